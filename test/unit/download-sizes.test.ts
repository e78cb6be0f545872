/**
 * The download sizes of pending updates, on the fake box: the manifests they need are asked
 * for together, so a list of many updates costs a few round trips to the registry rather
 * than one per update (the Updates screen waits for the list); of each registry the first
 * goes alone, so a registry that cannot be reached costs one request, not one per update.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { FakeBox } from '../helpers/fake-deps';

const SERVICES = ['a', 'b', 'c', 'd'];
const reference = (service: string) => `registry.test/shop/${service}:1`;

/** App shop whose four tags moved and were checked: four pending updates; the registry's manifest answers then take 20 ms, and how many are asked for at once is counted. */
async function fourUpdates(t: TestContext) {
  const box = FakeBox.for(t);
  for (const service of SERVICES) box.publish(reference(service));
  const proc = box.start();
  await proc.client.call('apps:create', { name: 'shop', services: SERVICES.map((name) => ({ name, image: reference(name) })) });
  const moved = SERVICES.map((service) => box.publish(reference(service)).manifestDigest);
  await proc.client.call('images:check', { apps: ['shop'] });

  const getManifest = box.registry.getManifest.bind(box.registry);
  const seen = { asked: [] as string[], inFlight: 0, most: 0 };
  box.registry.getManifest = async (repo, ref) => {
    seen.asked.push(ref);
    seen.most = Math.max(seen.most, ++seen.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return await getManifest(repo, ref);
    } finally {
      seen.inFlight--;
    }
  };
  return { box, proc, moved, seen };
}

test('updates:list asks for the first manifest, then all the others at once; each update gets its own size', async (t) => {
  const { proc, moved, seen } = await fourUpdates(t);
  const updates = await proc.client.call('updates:list', {});
  assert.deepEqual(updates.map((u) => [u.service, u.to.manifestDigest]).sort(), SERVICES.map((s, i) => [s, moved[i]]).sort());
  assert.deepEqual(updates.map((u) => u.downloadSize), SERVICES.map(() => '1.0 kB in 1 of 1 layers'));
  assert.deepEqual([...seen.asked].sort(), [...moved].sort(), 'one GET per new manifest');
  assert.equal(seen.most, SERVICES.length - 1, 'after the first, the others together');

  const again = seen.asked.length;
  await proc.client.call('updates:list', {});
  assert.equal(seen.asked.length, again, 'known manifests are not asked for again');
});

test('a registry that cannot be reached: one request, and every update says why its size is unknown', async (t) => {
  const { box, proc, seen } = await fourUpdates(t);
  box.registry.reachable = false;
  const updates = await proc.client.call('updates:list', {});
  assert.equal(seen.asked.length, 1);
  assert.deepEqual(updates.map((u) => [u.downloadSize, u.sizeError?.code]), SERVICES.map(() => [null, 'registry-unreachable']));
});
