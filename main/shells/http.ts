/**
 * The HTTP shell (`tagkeeper serve`): the same contract and the same renderer as the
 * desktop app, on loopback only. Every API request must carry the instance's random token;
 * Host and Origin are checked (no DNS rebinding, no cross-site calls); no CORS headers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { API_ROOT, EVENTS_PATH, FILES_PATH, OPERATION_PATH } from '../api/routes';
import { CONTENT_SECURITY_POLICY } from '../window-options';
import type { CoreEvent } from '../api/types/events';
import { handle } from './dispatch';
import type { Instance } from './open-instance';
import { receiveUpload, sendDownload } from './http-files';

export interface HttpShellOptions {
  instance: Instance;
  port: number;
  token: string;
  /** The built renderer (dist/renderer). */
  staticDir: string;
}

export interface HttpShell {
  port: number;
  /** The URL to open, token included (in the fragment, which browsers never send). */
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export async function startHttpShell(options: HttpShellOptions): Promise<HttpShell> {
  const token = Buffer.from(options.token);
  const streams = new Set<ServerResponse>();
  let port = options.port;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const server = createServer((req, res) => {
    void route(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().includes(req.headers.host ?? '')) return send(res, 403, { error: 'unexpected Host header' });
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`)) return send(res, 403, { error: 'cross-origin requests are refused' });
    const path = new URL(req.url ?? '/', 'http://x').pathname;

    if (path.startsWith(API_ROOT)) {
      if (!authorized(req.headers.authorization)) return send(res, 401, { error: 'missing or wrong token' });
      if (path === EVENTS_PATH && req.method === 'GET') return streamEvents(req, res);
      const reply = (status: number, body: unknown) => send(res, status, body);
      if (path === FILES_PATH && req.method === 'POST') return receiveUpload(options.instance.workFiles, req, res, reply);
      if (path.startsWith(`${FILES_PATH}/`) && req.method === 'GET') return sendDownload(options.instance.workFiles, decodeURIComponent(path.slice(FILES_PATH.length + 1)), res, reply);
      if (path.startsWith(OPERATION_PATH) && req.method === 'POST') {
        const operation = decodeURIComponent(path.slice(OPERATION_PATH.length));
        const body = await readBody(req);
        if (body === null) return send(res, 413, { error: 'request body too large' });
        let request: unknown;
        try {
          request = body.length === 0 ? {} : JSON.parse(body);
        } catch {
          return send(res, 200, { ok: false, error: { code: 'invalid-input', message: `${operation}: the request body is not JSON` } });
        }
        return send(res, 200, await handle(options.instance.handlers, operation, request));
      }
      return send(res, 404, { error: 'no such API path' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
    return serveStatic(req, path, res);
  }

  function authorized(header: string | undefined): boolean {
    const presented = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
    return presented.length === token.length && timingSafeEqual(presented, token);
  }

  function streamEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    const forward = (event: CoreEvent) => res.write(`data: ${JSON.stringify(event)}\n\n`);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    options.instance.events.on('event', forward);
    streams.add(res);
    req.on('close', () => {
      clearInterval(heartbeat);
      options.instance.events.off('event', forward);
      streams.delete(res);
    });
  }

  async function serveStatic(req: IncomingMessage, path: string, res: ServerResponse): Promise<void> {
    const relative = normalize(path === '/' ? '/index.html' : path);
    if (relative.includes('..') || !TYPES[extname(relative)]) return send(res, 404, { error: 'not found' });
    try {
      const content = await readFile(join(options.staticDir, relative));
      // The interface's files hold no secret: revalidated on every visit rather than never
      // stored, so the browser keeps them, and the code it compiled from app.js, between visits.
      const etag = `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;
      const headers = { 'content-type': TYPES[extname(relative)], ...SECURITY_HEADERS, 'cache-control': 'no-cache', etag };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, headers);
      res.end(content);
    } catch {
      send(res, 404, { error: 'not found' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/#token=${options.token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
