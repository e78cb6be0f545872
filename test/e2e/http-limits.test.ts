/**
 * What the live `tagkeeper serve` takes before it says no, seen from outside with plain
 * sockets and HTTP: a body over the limit is answered 413 (declared or streamed) before the
 * connection closes, and an upload over it leaves no file behind; event streams past the cap
 * are answered 503; a connection that sends no request headers in time is closed; past the
 * connection cap a new connection is closed at once. The limits are set low for the test
 * (TAGKEEPER_SERVE_*); no engine is needed for any of it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStream, startServe, type EventStream, type ServedProcess } from '../helpers/serve';

const LIMITS = { connections: 6, eventStreams: 2, uploadBytes: 100_000, headersTimeoutMs: 1_000 };
/** What the tests wait for at most before they fail (what they wait for comes much sooner). */
const WAIT_MS = 15_000;
const NO_ENGINE = 'unix:///tmp/tagkeeper-no-such.sock';
let dataDir: string;
let served: ServedProcess;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tk-data-'));
  served = await startServe(
    { dockerHost: NO_ENGINE, dataDir },
    {
      env: {
        TAGKEEPER_SERVE_MAX_CONNECTIONS: String(LIMITS.connections),
        TAGKEEPER_SERVE_MAX_EVENT_STREAMS: String(LIMITS.eventStreams),
        TAGKEEPER_SERVE_MAX_UPLOAD_BYTES: String(LIMITS.uploadBytes),
        TAGKEEPER_SERVE_HEADERS_TIMEOUT_MS: String(LIMITS.headersTimeoutMs),
      },
    },
  );
});
after(async () => {
  await served?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${served.token}`, host: `127.0.0.1:${served.port}` });

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  /** Resolves when the connection is closed (the client sends no more after the answer: the server cuts it). */
  closed: Promise<void>;
}

/**
 * POSTs `total` bytes to `path`, declared up front (Content-Length) or streamed (chunked) in
 * 64 KiB pieces, and resolves with the answer as soon as it comes (the rest is not sent);
 * `sendAtMost`: the body stops there and waits for the answer.
 */
function post(path: string, total: number, how: 'declared' | 'chunked', options: { sendAtMost?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request({
      host: '127.0.0.1',
      port: served.port,
      path,
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', ...(how === 'declared' ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' }) },
    });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, closed }));
      res.on('error', reject);
    });
    // Writes after the server closed its side fail; the answer already came (or the test fails on it).
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const closed = new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`the server kept the connection of ${path} open for ${WAIT_MS / 1000} s`)), WAIT_MS);
      req.on('close', () => {
        clearTimeout(timer);
        done();
      });
    });
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const limit = Math.min(total, options.sendAtMost ?? total);
    const pump = () => {
      while (!answered && sent < limit) {
        const size = Math.min(piece.length, total - sent);
        sent += size;
        if (!req.write(piece.subarray(0, size))) return void req.once('drain', pump);
      }
      if (!answered && sent === total) req.end();
    };
    pump();
  });
}

/** Resolves with what the server sent before it closed the connection. */
function closedBy(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const timer = setTimeout(() => reject(new Error(`the server kept the connection open for ${WAIT_MS / 1000} s; it sent: ${JSON.stringify(data)}`)), WAIT_MS);
    socket.setEncoding('utf8').on('data', (c: string) => (data += c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

function openSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(served.port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

const scratchUploads = () => readdirSync(join(dataDir, 'scratch')).filter((name) => name.startsWith('upload'));

test('a connection that sends no request, or never finishes its headers, is closed (408)', async () => {
  const silent = await openSocket();
  const slow = await openSocket();
  slow.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\nX-Slow: `);
  const [fromSilent, fromSlow] = await Promise.all([closedBy(silent), closedBy(slow)]);
  assert.match(fromSilent, /^HTTP\/1\.1 408 /);
  assert.match(fromSlow, /^HTTP\/1\.1 408 /);
});

test('an API body over 1 MiB is answered 413 before the connection closes, whether declared or streamed', async () => {
  // Content-Length is enough: the answer comes while the body waits after its first 64 KiB.
  const declared = await post('/api/op/settings:get', 2 * 1024 * 1024, 'declared', { sendAtMost: 64 * 1024 });
  assert.equal(declared.status, 413, declared.body);
  assert.match(JSON.parse(declared.body).error, /larger than 1048576 bytes/);
  await declared.closed;

  const streamed = await post('/api/op/settings:get', 8 * 1024 * 1024, 'chunked');
  assert.equal(streamed.status, 413, streamed.body);
  await streamed.closed;

  const small = await post('/api/op/settings:get', 2, 'declared').catch((e: Error) => e);
  assert.ok(!(small instanceof Error) && small.status === 200, 'a body under the limit still gets through');
});

test('an upload over the limit is answered 413 (declared or streamed) and leaves no file in the work folder', async () => {
  const declared = await post('/api/files', LIMITS.uploadBytes + 1, 'declared', { sendAtMost: 1000 });
  assert.equal(declared.status, 413, declared.body);
  assert.match(JSON.parse(declared.body).error, /the upload is larger than a bundle may be/);
  await declared.closed;

  const streamed = await post('/api/files', 4 * 1024 * 1024, 'chunked');
  assert.equal(streamed.status, 413, streamed.body);
  await streamed.closed;
  assert.deepEqual(scratchUploads(), [], 'the part received was removed');

  const fits = await post('/api/files', 1000, 'chunked');
  assert.equal(fits.status, 200, fits.body);
  assert.equal(JSON.parse(fits.body).bytes, 1000);
});

test('event streams past the cap are answered 503 saying why; once one closes, a new one opens', async () => {
  const open: EventStream[] = [];
  try {
    for (let i = 0; i < LIMITS.eventStreams; i++) open.push(await openEventStream(served));
    const refused = await fetch(`${served.baseUrl}/api/events`, { headers: { authorization: `Bearer ${served.token}` } });
    assert.equal(refused.status, 503);
    assert.match((await refused.json()).error, /^2 event streams are open already .*close other Tagkeeper pages/);

    open.shift()!.close();
    const deadline = Date.now() + WAIT_MS;
    let again: EventStream | Error = new Error('not tried');
    while (Date.now() < deadline) {
      again = await openEventStream(served).catch((e: Error) => e);
      if (!(again instanceof Error)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(!(again instanceof Error), `a stream opens once another closed: ${String(again)}`);
    open.push(again as EventStream);
  } finally {
    for (const stream of open) stream.close();
  }
});

test('past the connection cap a new connection is closed unanswered; once others close, requests get through again', async () => {
  // Connections held open with an authenticated request whose body never comes (headers done: no 408).
  const held: Socket[] = [];
  try {
    for (let i = 0; i < LIMITS.connections; i++) {
      const socket = await openSocket();
      socket.on('error', () => undefined);
      socket.write(`POST /api/op/settings:get HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\nAuthorization: Bearer ${served.token}\r\nContent-Length: 10\r\n\r\n`);
      held.push(socket);
    }
    const extra = await openSocket();
    extra.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\n\r\n`);
    assert.equal(await closedBy(extra), '', 'closed without an answer');
  } finally {
    for (const socket of held) socket.destroy();
  }
  const deadline = Date.now() + WAIT_MS;
  let status = 0;
  while (status !== 200 && Date.now() < deadline) {
    status = await fetch(`${served.baseUrl}/api/op/settings:get`, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${served.token}` } })
      .then((r) => r.status)
      .catch(() => 0);
  }
  assert.equal(status, 200);
});
