/**
 * A loopback HTTP proxy in front of a test registry that injects faults, one per request,
 * from a queue: an HTTP status (429/5xx with Retry-After …), a connection reset, a request
 * left hanging, or a response altered on its way back (digest header removed or wrong, body
 * tampered, Content-Length dropped). Requests with no fault queued pass through unchanged
 * (but for `addHeaders`), streamed. Point clients (or the engine) at `host` instead of the registry's.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { useStarted } from './hooks';

export type Fault =
  | { status: number; headers?: Record<string, string> }
  | 'reset'
  | 'hang'
  | 'strip-digest'
  | 'wrong-digest'
  | 'tamper-body'
  | 'chunked';

export interface FaultProxy {
  /** '127.0.0.1:PORT' of the proxy. */
  host: string;
  url: string;
  /** Every request the proxy received, in order. */
  hits: { method: string; path: string }[];
  /** Faults still to inject; each matching request takes the first one. */
  faults: Fault[];
  /** Only requests for which this returns true take a fault (default: all). */
  filter: (method: string, path: string) => boolean;
  /** Headers added to every answer passed through (Docker Hub's `ratelimit-*` …). */
  addHeaders: Record<string, string>;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: { host: string }): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  const [upHost, upPort] = splitHost(upstream.host);
  const proxy: FaultProxy = { host: '', url: '', hits: [], faults: [], filter: () => true, addHeaders: {}, close: async () => undefined };

  const server: Server = createServer((req, res) => {
    const method = req.method ?? '';
    const path = req.url ?? '';
    proxy.hits.push({ method, path });
    const fault = proxy.filter(method, path) ? proxy.faults.shift() : undefined;
    if (fault === 'reset') return void req.socket.destroy();
    if (fault === 'hang') return;
    if (typeof fault === 'object') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      return void res.end(JSON.stringify({ errors: [{ code: 'INJECTED', message: `injected ${fault.status}` }] }));
    }
    const up = httpRequest({ host: upHost, port: upPort, method, path, headers: { ...req.headers, host: upstream.host } }, (upRes) => {
      if (fault === undefined) {
        res.writeHead(upRes.statusCode ?? 502, { ...upRes.headers, ...proxy.addHeaders });
        upRes.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      upRes.on('data', (c: Buffer) => chunks.push(c));
      upRes.on('end', () => {
        let body = Buffer.concat(chunks);
        const headers: IncomingHttpHeaders = { ...upRes.headers };
        if (fault === 'strip-digest') delete headers['docker-content-digest'];
        if (fault === 'wrong-digest') headers['docker-content-digest'] = `sha256:${'0'.repeat(64)}`;
        if (fault === 'tamper-body' && body.length > 0) {
          // Same JSON meaning, different bytes (and so a different digest).
          body = Buffer.from(body.toString('utf8').replace('"schemaVersion":2', '"schemaVersion": 2'));
          headers['content-length'] = String(body.length);
        }
        if (fault === 'chunked') delete headers['content-length'];
        res.writeHead(upRes.statusCode ?? 502, headers);
        res.end(method === 'HEAD' ? undefined : body);
      });
    });
    up.on('error', () => req.socket.destroy());
    req.pipe(up);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.url = `http://${proxy.host}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

/**
 * A fault proxy for the tests of this file or `describe`: started in a `before` hook in front
 * of what `upstream()` returns then (e.g. `() => site.registry`), closed in an `after` hook.
 * The handle works from the `before` hook on; setting `faults` or `filter` on it sets them
 * on the proxy.
 */
export function useFaultProxy(upstream: () => { host: string }): FaultProxy {
  return useStarted('the fault proxy (useFaultProxy)', () => startFaultProxy(upstream()), (proxy) => proxy.close());
}

function splitHost(host: string): [string, number] {
  const colon = host.lastIndexOf(':');
  return [host.slice(0, colon).replace(/^\[|\]$/g, ''), Number(host.slice(colon + 1))];
}
