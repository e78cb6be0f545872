import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadUndiciParts } from '../../main/registry/transport';

const loaded = (ending: string) => Object.keys(require.cache).some((file) => file.endsWith(ending));

test("the transport loads undici's Agent and request alone; they answer, and they are what undici exports", async () => {
  assert.equal(loaded('/undici/index.js'), false, 'undici was loaded before the test: run this file on its own');
  const { Agent, request } = loadUndiciParts();
  assert.equal(loaded('/undici/index.js'), false, "loading the parts loaded undici's whole index (fetch, WebSocket, …)");
  assert.equal(loaded('/undici/lib/web/fetch/index.js'), false);

  const server = createServer((req, res) => res.end(`${req.method} ${req.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new Agent({ connections: 1 });
  try {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await request.call(agent, { origin, path: '/v2/', method: 'GET' });
    assert.equal(res.statusCode, 200);
    assert.equal(await res.body.text(), 'GET /v2/');
    assert.equal(loaded('/undici/index.js'), false);

    const undici = require('undici') as typeof import('undici');
    assert.equal(Agent, undici.Agent);
    assert.equal(request, undici.Dispatcher.prototype.request);
  } finally {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  }
});
