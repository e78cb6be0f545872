/**
 * The HTTP shell (`tagkeeper serve`): the same contract and the same renderer as the
 * desktop app, on loopback only. Every API request must carry the instance's random token;
 * Host and Origin are checked (no DNS rebinding, no cross-site calls); no CORS headers.
 * Connections, event streams and bodies are capped, and a connection that sends no request
 * headers in time is closed (http-limits.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { API_ROOT, EVENTS_PATH, FILES_PATH, OPERATION_PATH } from '../api/routes';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../window-options';
import type { CoreEvent } from '../api/types/events';
import { handle } from './dispatch';
import type { Instance } from './open-instance';
import { receiveUpload, sendDownload } from './http-files';
import { DEFAULT_HTTP_LIMITS, whileReading, type HttpLimits } from './http-limits';
import { loadStaticFiles, staticFileAt } from './http-static';

export interface HttpShellOptions {
  instance: Instance;
  port: number;
  token: string;
  /** The built renderer (dist/renderer), read once at the start. */
  staticDir: string;
  /** Default: DEFAULT_HTTP_LIMITS. */
  limits?: HttpLimits;
}

export interface HttpShell {
  port: number;
  /** The URL to open, token included (in the fragment, which browsers never send). */
  url: string;
  /** The interface's folder when it holds no index.html (not built): the API answers, a page does not. */
  missingInterface: string | null;
  close(): Promise<void>;
}

/** How long a refused request's connection may go on sending before it is cut (ms): long enough for the answer to be read. */
const LINGER_MS = 2_000;
const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export async function startHttpShell(options: HttpShellOptions): Promise<HttpShell> {
  const token = Buffer.from(options.token);
  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const streams = new Set<ServerResponse>();
  const staticFiles = loadStaticFiles(options.staticDir);
  // The interface's own policy: the base one and the hashes of index.html's inline scripts.
  const pagePolicy = contentSecurityPolicy(staticFileAt(staticFiles, '/')?.content.toString('utf8'));
  let port = options.port;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];

  const server = createServer(
    {
      // A connection that has not sent a request's headers in time is answered 408 and closed
      // (checked every second); bodies are timed by their own idleness instead of a total, so a
      // large upload through a slow tunnel still gets through.
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: 0,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req, res) => {
      void route(req, res).catch(() => {
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
        else res.end();
      });
    },
  );
  server.maxConnections = limits.maxConnections;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().includes(req.headers.host ?? '')) return refuse(req, res, 403, 'unexpected Host header');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`)) return refuse(req, res, 403, 'cross-origin requests are refused');
    const path = new URL(req.url ?? '/', 'http://x').pathname;

    if (path.startsWith(API_ROOT)) {
      if (!authorized(req.headers.authorization)) return refuse(req, res, 401, 'missing or wrong token');
      if (path === EVENTS_PATH && req.method === 'GET') return streamEvents(req, res);
      const reply = (status: number, body: unknown) => send(res, status, body);
      const tooLarge = (message: string) => refuse(req, res, 413, message);
      if (path === FILES_PATH && req.method === 'POST') {
        return receiveUpload(options.instance.workFiles, req, res, { reply, tooLarge, maxBytes: limits.maxUploadBytes, idleMs: limits.bodyIdleTimeoutMs });
      }
      if (path.startsWith(`${FILES_PATH}/`) && req.method === 'GET') return sendDownload(options.instance.workFiles, decodeURIComponent(path.slice(FILES_PATH.length + 1)), res, reply);
      if (path.startsWith(OPERATION_PATH) && req.method === 'POST') {
        const operation = decodeURIComponent(path.slice(OPERATION_PATH.length));
        const body = await readBody(req, limits);
        if (body === null) return tooLarge(`the request body is larger than ${limits.maxBodyBytes} bytes`);
        let request: unknown;
        try {
          request = body.length === 0 ? {} : JSON.parse(body);
        } catch {
          return send(res, 200, { ok: false, error: { code: 'invalid-input', message: `${operation}: the request body is not JSON` } });
        }
        return send(res, 200, await handle(options.instance.handlers, operation, request));
      }
      return refuse(req, res, 404, 'no such API path');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(req, res, 405, 'method not allowed');
    return serveStatic(req, path, res);
  }

  function authorized(header: string | undefined): boolean {
    const presented = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
    return presented.length === token.length && timingSafeEqual(presented, token);
  }

  function streamEvents(req: IncomingMessage, res: ServerResponse): void {
    if (streams.size >= limits.maxEventStreams) {
      return refuse(req, res, 503, `${streams.size} event streams are open already (the most one serve keeps); close other Tagkeeper pages or tabs`);
    }
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

  function serveStatic(req: IncomingMessage, path: string, res: ServerResponse): void {
    const file = staticFileAt(staticFiles, path);
    if (!file) return send(res, 404, { error: 'not found' });
    // The interface's files hold no secret: revalidated on every visit rather than never
    // stored, so the browser keeps them, and the code it compiled from app.js, between visits.
    const headers = { 'content-type': file.contentType, ...SECURITY_HEADERS, 'content-security-policy': pagePolicy, 'cache-control': 'no-cache', etag: file.etag };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end(file.content);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/#token=${options.token}`,
    missingInterface: staticFileAt(staticFiles, '/') ? null : options.staticDir,
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

/**
 * Answers a request whose body is not read (refused, or too large). What the client still
 * sends is read and dropped, so that it gets the answer (closing at once would reset the
 * connection and lose it); a body that has not ended within LINGER_MS of the answer is cut
 * off with its connection.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  if (res.headersSent || res.destroyed) {
    req.destroy();
    return;
  }
  send(res, status, { error });
  req.resume();
  if (req.readableEnded) return;
  const cut = setTimeout(() => req.socket.destroy(), LINGER_MS);
  cut.unref();
  req.once('end', () => clearTimeout(cut));
  req.socket.once('close', () => clearTimeout(cut));
}

/**
 * The body while it stays under the limit (checked on Content-Length first, then on the bytes
 * that come); null when it is larger. A body that stalls is dropped with its connection.
 */
function readBody(req: IncomingMessage, limits: Pick<HttpLimits, 'maxBodyBytes' | 'bodyIdleTimeoutMs'>): Promise<string | null> {
  if (Number(req.headers['content-length'] ?? 0) > limits.maxBodyBytes) return Promise.resolve(null);
  const reading = whileReading(req, limits.bodyIdleTimeoutMs);
  return new Promise<string | null>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limits.maxBodyBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', collect);
      resolve(null);
    };
    req.on('data', collect);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  }).finally(reading.done);
}
