/**
 * A server-sent-events parser for a stream read in chunks: feeds each event's `data`
 * (several `data:` lines joined with newlines) to `onData`. Comments (`: keep-alive`) and
 * other fields are ignored; CRLF, CR and LF line ends are all accepted.
 */
export function createSseParser(onData: (data: string) => void): (chunk: string) => void {
  let buffer = '';
  let data: string[] = [];
  let pendingCr = false;

  function line(text: string): void {
    if (text === '') {
      if (data.length > 0) onData(data.join('\n'));
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
  }

  return (chunk: string) => {
    let text = chunk;
    // A CRLF split across two chunks: the LF belongs to the CR already handled.
    if (pendingCr && text.startsWith('\n')) text = text.slice(1);
    pendingCr = false;
    buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      if (!match) break;
      if (match[0] === '\r' && match.index === buffer.length - 1) pendingCr = true;
      line(buffer.slice(0, match.index));
      buffer = buffer.slice(match.index + match[0].length);
    }
  };
}
