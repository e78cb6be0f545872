/**
 * Requests to the engine over node:http, without dockerode. Requiring dockerode loads
 * docker-modem, ssh2, gRPC and protobuf: 0.2–0.8 s of CPU in a CLI run (measured on the
 * refresh path), more than the rest of the command's own work. So everything an operation
 * needs — `/_ping`, `/version`, the reads, images, containers, networks, volumes and the
 * pull — goes here; dockerode is loaded only for the event stream (serve, desktop). Every
 * request goes through the endpoint's connection (engine-connection.ts: unix socket, TCP,
 * TLS or ssh), as does the image load (load-image.ts).
 *
 * An answer that is not 2xx becomes an error shaped as dockerode's (`statusCode`, and the
 * engine's JSON as `json`), so engine-errors.ts maps both alike.
 */
import type { IncomingMessage } from 'node:http';
import type { EngineConnection } from './engine-connection';

export interface ProbeAnswer {
  status: number;
  body: string;
}

type Method = 'GET' | 'POST' | 'DELETE';

interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function probe(connection: EngineConnection, path: string, signal: AbortSignal): Promise<ProbeAnswer> {
  return engineRequest(connection, 'GET', path, { signal });
}

/** `method path`: the whole answer, whatever its status. */
export async function engineRequest(connection: EngineConnection, method: Method, path: string, options: RequestOptions = {}): Promise<ProbeAnswer> {
  const res = await open(connection, method, path, options);
  return { status: res.statusCode ?? 0, body: await text(res) };
}

/**
 * `method path` whose 200 answer is a stream (a pull's progress lines); any other answer is
 * read and thrown as answerError.
 */
export async function engineStream(connection: EngineConnection, method: Method, path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
  const res = await open(connection, method, path, options);
  if (res.statusCode === 200) return res;
  throw answerError({ status: res.statusCode ?? 0, body: await text(res) });
}

/** A non-2xx answer as the error engine-errors.ts understands: `statusCode`, and the engine's JSON (or text) as `json`. */
export function answerError(answer: ProbeAnswer): Error {
  let json: unknown = answer.body.trim();
  try {
    json = JSON.parse(answer.body);
  } catch {
    // not JSON: the text itself is the engine's message
  }
  return Object.assign(new Error(answer.body.trim() || `HTTP ${answer.status}`), { statusCode: answer.status, json });
}

/** `path?k=v&…` for the values given; an object (filters) goes as JSON, as the engine reads it. */
export function withQuery(path: string, query: Record<string, string | number | boolean | object | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function open(connection: EngineConnection, method: Method, path: string, { body, headers = {}, signal }: RequestOptions): Promise<IncomingMessage> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const sent = { host: 'docker', ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) };
  return new Promise((resolve, reject) => {
    const req = connection.request({ path, method, headers: sent, signal });
    req.on('response', resolve);
    req.on('error', reject);
    req.end(payload);
  });
}

async function text(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
