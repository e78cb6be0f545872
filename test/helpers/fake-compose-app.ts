/**
 * Compose apps on the fake box: writing the Compose file, reading the app's containers by
 * service, and the check every scenario ends with — the store and the engine agree on one
 * definition: one running container per service under its Compose name (a one-shot service's
 * may have finished, with 0), on the latched image, with exactly the settings that
 * definition gives it, and nothing else of the project.
 */
import assert from 'node:assert/strict';
import type { AppRecord } from '../../main/api/types/apps';
import { COMPOSE_LABEL, LABEL, composeContainerName, composeServiceConfig } from '../../main/core/apps/app-topology';
import type { FakeBox, FakeProcess } from './fake-deps';
import type { FakeContainer } from './fake-container';

export const FILE = '/srv/shop/compose.yaml';

/** Writes `yaml` as the Compose file and creates app `name` from it. */
export function createComposeApp(box: FakeBox, proc: FakeProcess, yaml: string, name = 'shop') {
  box.files[FILE] = yaml;
  return proc.client.call('compose:create', { name, file: FILE });
}

/** Writes `yaml` as the Compose file and moves app `name` to it. */
export function updateComposeApp(box: FakeBox, proc: FakeProcess, yaml: string, name = 'shop') {
  box.files[FILE] = yaml;
  return proc.client.call('compose:update', { name, file: FILE });
}

/** The project's containers (running or not), by service. */
export function containersBy(box: FakeBox, project = 'shop'): Record<string, FakeContainer> {
  const mine = box.engine.allContainers().filter((c) => c.labels[COMPOSE_LABEL.project] === project);
  return Object.fromEntries(mine.map((c) => [c.labels[COMPOSE_LABEL.service], c]));
}

/** Container ids by service. */
export function idsBy(box: FakeBox, project = 'shop'): Record<string, string> {
  return Object.fromEntries(Object.entries(containersBy(box, project)).map(([service, c]) => [service, c.id]));
}

/** The engine calls other than reads made since call number `since`, on container `id`. */
export function changesTo(box: FakeBox, id: string, since = 0): string[] {
  return box.engine.calls.slice(since).filter((c) => c.target === id).map((c) => c.method);
}

/** The store's record of the app and what the engine runs agree, on the definition the store holds. */
export function assertConsistent(box: FakeBox, app: AppRecord): void {
  const compose = app.compose;
  assert.ok(compose, `app ${app.name} has a Compose definition`);
  const project = compose.project;
  const mine = box.engine.allContainers().filter((c) => c.labels[COMPOSE_LABEL.project] === project.name);
  assert.deepEqual(
    mine.map((c) => c.name).sort(),
    project.services.map((s) => composeContainerName(project.name, s.name)).sort(),
    'one container per service of the definition, under its Compose name, and no other',
  );
  assert.deepEqual(app.services.map((s) => s.name).sort(), project.services.map((s) => s.name).sort(), 'the store has a drive per service');
  // One-shot services: another waits for them to finish.
  const finishes = new Set(project.services.flatMap((s) => Object.entries(s.dependsOn).filter(([, d]) => d.condition === 'service_completed_successfully').map(([name]) => name)));
  for (const service of project.services) {
    const record = app.services.find((s) => s.name === service.name)!;
    const container = mine.find((c) => c.name === composeContainerName(project.name, service.name))!;
    if (finishes.has(service.name) && container.status === 'exited') assert.equal(container.exitCode, 0, `${container.name} did its job`);
    else assert.equal(container.status, 'running', `${container.name} runs`);
    assert.equal(container.image, record.latched?.imageId, `${container.name} runs the image latched for ${service.name}`);
    assert.equal(container.labels[LABEL.manifestDigest], record.latched?.manifestDigest, `${container.name} is labelled with its latched digest`);
    assert.equal(record.containerId, container.id, `the store names ${container.name} as the container of ${service.name}`);
    assert.deepEqual(container.config, composeServiceConfig(compose, service), `${container.name} has the settings of the definition`);
  }
}
