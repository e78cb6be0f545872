/**
 * A unix socket in front of a test engine's that passes every byte through and notes each
 * HTTP request's method and path: what a Tagkeeper process asked of the engine. It outlives
 * a restart of the engine (connections made while the engine is down are closed at once,
 * as the engine's own socket would refuse them), and can cut its clients off while the
 * engine stays up (their event stream breaks; what happens meanwhile reaches them by no event).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EngineProxy {
  /** `unix:///tmp/…/engine.sock`: give it as DOCKER_HOST. */
  dockerHost: string;
  /** `GET /v1.43/containers/json?all=1`, … in the order they were sent; the version prefix removed. */
  readonly requests: string[];
  /** Closes every open connection and refuses new ones until mend(). */
  cut(): void;
  mend(): void;
  stop(): Promise<void>;
}

const REQUEST_LINE = /^(GET|HEAD|POST|PUT|DELETE) (\S+) HTTP\/1\.[01]\r?$/gm;

export async function startEngineProxy(engineSocket: string): Promise<EngineProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'tk-engine-proxy-'));
  const socketPath = join(dir, 'engine.sock');
  const requests: string[] = [];
  const open = new Set<Socket>();
  let refusing = false;
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const engine = createConnection(engineSocket);
    for (const socket of [client, engine]) {
      open.add(socket);
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        engine.destroy();
      });
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      for (const [, method, path] of chunk.toString('latin1').matchAll(REQUEST_LINE)) requests.push(`${method} ${path.replace(/^\/v\d+\.\d+\//, '/')}`);
    });
    client.pipe(engine);
    engine.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    dockerHost: `unix://${socketPath}`,
    requests,
    cut() {
      refusing = true;
      for (const socket of open) socket.destroy();
    },
    mend() {
      refusing = false;
    },
    async stop() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
