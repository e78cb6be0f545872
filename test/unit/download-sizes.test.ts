/**
 * The download sizes of pending updates, on the fake box: the manifests they need are all
 * asked for before the first answer is awaited, so a list of many updates costs a few round
 * trips to the registry rather than one per update (the Updates screen waits for the list).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBox } from '../helpers/fake-deps';

const SERVICES = ['a', 'b', 'c', 'd'];
const reference = (service: string) => `registry.test/shop/${service}:1`;

test('updates:list asks for every manifest at once, and each update gets its own size', async (t) => {
  const box = FakeBox.for(t);
  for (const service of SERVICES) box.publish(reference(service));
  const proc = box.start();
  await proc.client.call('apps:create', { name: 'shop', services: SERVICES.map((name) => ({ name, image: reference(name) })) });
  const moved = SERVICES.map((service) => box.publish(reference(service)).manifestDigest);
  await proc.client.call('images:check', { apps: ['shop'] });

  // Each manifest answer takes 20 ms of real time; count how many are asked for at once.
  const getManifest = box.registry.getManifest.bind(box.registry);
  let inFlight = 0;
  let most = 0;
  const asked: string[] = [];
  box.registry.getManifest = async (repo, ref) => {
    asked.push(ref);
    most = Math.max(most, ++inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return await getManifest(repo, ref);
    } finally {
      inFlight--;
    }
  };

  const updates = await proc.client.call('updates:list', {});
  assert.deepEqual(updates.map((u) => [u.service, u.to.manifestDigest]).sort(), SERVICES.map((s, i) => [s, moved[i]]).sort());
  assert.deepEqual(updates.map((u) => u.downloadSize), SERVICES.map(() => '1.0 kB in 1 of 1 layers'));
  assert.deepEqual([...asked].sort(), [...moved].sort(), 'one GET per new manifest');
  assert.equal(most, SERVICES.length, 'all asked for together');
});
