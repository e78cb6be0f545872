/**
 * Reads the engine's newline-delimited JSON streams (pull, push, import, events).
 */

/**
 * Calls `onObject` for every JSON line of `stream`. Resolves at the end of the stream;
 * rejects on a stream error, a line that is not JSON, an `onObject` that throws, or a stream
 * closed before its end (the engine went away: the error has code ECONNRESET).
 */
export function readJsonLines(stream: NodeJS.ReadableStream, onObject: (value: unknown) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let settled = false;
    const decoder = new TextDecoder();

    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      destroy(stream);
      reject(error);
    };
    const processLines = (final: boolean): void => {
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        handleLine(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        if (settled) return;
      }
      if (final && buffer.trim()) handleLine(buffer);
    };
    const handleLine = (line: string): void => {
      const text = line.trim();
      if (!text) return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        fail(new Error(`unexpected line from the engine: ${text.slice(0, 200)}`, { cause: error }));
        return;
      }
      try {
        onObject(value);
      } catch (error) {
        fail(error);
      }
    };

    stream.on('data', (chunk: Buffer | string) => {
      if (settled) return;
      buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      processLines(false);
    });
    stream.on('end', () => {
      if (settled) return;
      buffer += decoder.decode();
      processLines(true);
      if (settled) return;
      settled = true;
      resolve();
    });
    stream.on('error', fail);
    stream.on('close', () => {
      fail(Object.assign(new Error('the engine closed the stream before its end'), { code: 'ECONNRESET', syscall: 'read' }));
    });
  });
}

/** Destroys a readable if it can be destroyed (aborting the HTTP request behind it). */
export function destroy(stream: NodeJS.ReadableStream): void {
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void; destroyed?: boolean };
  if (typeof destroyable.destroy === 'function' && !destroyable.destroyed) destroyable.destroy();
}
