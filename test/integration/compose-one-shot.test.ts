/**
 * A one-shot service on a real engine: `migrate` runs and exits 0, `web` waits for it with
 * `service_completed_successfully`. Its exit is its job done, so an update of `web` and a
 * restart of the app are done — not rolled back because migrate "did not stay up". The same
 * scenarios on the fake engine: test/unit/compose-runner-update.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before } from '../helpers/hooks';
import { operation, publish } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';
import { tempDir } from '../helpers/temp-dir';

const site = useSite();

const yaml = (env: string) => `services:
  migrate:
    image: \${REG}/one-shot-job:1
    command: ["/bin/sh", "-c", "sleep 1; exit 0"]
  web:
    image: \${REG}/one-shot-web:1
    command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    environment: {X: "${env}"}
    depends_on: {migrate: {condition: service_completed_successfully}}
`;

before(async () => {
  await publish(site, 'one-shot-job', '1', 'one-shot-job-v1');
  await publish(site, 'one-shot-web', '1', 'one-shot-web-v1');
});

test('a finished one-shot service does not roll back an update or a restart', async () => {
  const file = join(tempDir('tk-one-shot-'), 'compose.yaml');
  const env = { REG: site.registry.host };
  writeFileSync(file, yaml('1'));
  const created = await site.cli(['app', 'create', 'jobs', '--compose', file], env);
  assert.equal(created.code, 0, created.stderr);

  writeFileSync(file, yaml('2'));
  const updated = await site.cli(['app', 'update', 'jobs', '--compose', file, '--json'], env);
  assert.equal(updated.code, 0, updated.stderr);
  const { result } = updated.json<{ result: { outcome: string; error: unknown } }>();
  assert.deepEqual([result.outcome, result.error], ['done', null]);
  const web = await site.docker.getContainer('jobs-web-1').inspect();
  assert.ok(web.Config.Env.includes('X=2'));
  assert.equal(web.State.Running, true);
  const migrate = await site.docker.getContainer('jobs-migrate-1').inspect();
  assert.deepEqual([migrate.State.Status, migrate.State.ExitCode], ['exited', 0]);

  const restarted = await operation(site, ['app', 'restart', 'jobs']);
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.deepEqual([restarted.result.outcome, restarted.result.error], ['done', null]);
});
