/**
 * A loopback HTTP proxy in front of a real registry that alters what it serves: manifest
 * bodies get one extra byte (headers unchanged), as a compromised mirror or a corrupting
 * middlebox would. Everything else passes through untouched.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TamperProxy {
  host: string;
  url: string;
  stop(): Promise<void>;
}

export async function startTamperProxy(upstreamUrl: string, options: { tamperManifests: boolean }): Promise<TamperProxy> {
  const upstream = new URL(upstreamUrl);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const tamper = options.tamperManifests && req.method === 'GET' && /\/manifests\//.test(req.url ?? '');
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        if (!tamper) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat([...chunks, Buffer.from(' ')]);
          res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': String(body.length) });
          res.end(body);
        });
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
