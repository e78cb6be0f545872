// The engine's container list entry → ContainerState: what app list shows without inspecting
// each container (the list says health only in its Status text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapContainerSummary } from '../../main/engine/map-container';

const entry = (State: string, Status: string) => ({
  Id: 'c0ffee',
  Names: ['/tagkeeper-web-main'],
  ImageID: 'sha256:abc',
  Labels: { 'tagkeeper.app': 'web', 'tagkeeper.service': 'main' },
  State,
  Status,
});

test('id, name without its slash, image id, labels and state come from the list entry', () => {
  assert.deepEqual(mapContainerSummary(entry('running', 'Up 2 minutes')), {
    id: 'c0ffee',
    name: 'tagkeeper-web-main',
    imageId: 'sha256:abc',
    labels: { 'tagkeeper.app': 'web', 'tagkeeper.service': 'main' },
    status: 'running',
    health: null,
  });
});

test('health as the Status text says it', () => {
  assert.equal(mapContainerSummary(entry('running', 'Up 2 minutes (healthy)')).health, 'healthy');
  assert.equal(mapContainerSummary(entry('running', 'Up 5 seconds (health: starting)')).health, 'starting');
  assert.equal(mapContainerSummary(entry('running', 'Up 1 hour (unhealthy)')).health, 'unhealthy');
  assert.equal(mapContainerSummary(entry('exited', 'Exited (0) 3 minutes ago')).health, null);
});

test('an unknown state counts as dead; missing fields are empty', () => {
  const raw = { Id: 'x', State: 'zombie' };
  assert.deepEqual(mapContainerSummary(raw), { id: 'x', name: '', imageId: '', labels: {}, status: 'dead', health: null });
});
