/**
 * A whole test site: a private Docker Engine, a private registry, an empty Tagkeeper data
 * directory, and ways to drive Tagkeeper against them (the real CLI, or the core in-process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { openInstance, type Instance } from '../../main/shells/open-instance';
import { runCli, type CliResult } from './cli';
import { startEngine, type TestEngine } from './engine';
import { startRegistry, type StartRegistryOptions, type TestRegistry } from './registry';

export interface TestSite {
  engine: TestEngine;
  registry: TestRegistry;
  dataDir: string;
  /** dockerode on the private engine, for assertions. */
  docker: Docker;
  /** Runs `tagkeeper ARGS` against this site. */
  cli(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Opens the core in this process against this site (close it when done). */
  open(): Instance;
  stop(): Promise<void>;
}

export async function startSite(options: { registry?: StartRegistryOptions } = {}): Promise<TestSite> {
  const [engine, registry] = await Promise.all([startEngine(), startRegistry(options.registry)]);
  const dataDir = mkdtempSync(join(tmpdir(), 'tk-data-'));
  const docker = new Docker({ socketPath: engine.socketPath });
  // A short grace period keeps the suite quick; tests of the setting itself clear it.
  const env = { DOCKER_HOST: engine.dockerHost, TAGKEEPER_DATA_DIR: dataDir, TAGKEEPER_START_GRACE_MS: '1500' };
  return {
    engine,
    registry,
    dataDir,
    docker,
    cli: (args, extra = {}) => runCli(args, { ...env, ...extra }),
    open: () => openInstance({ dataDir, dockerHost: engine.dockerHost, actor: 'tester' }),
    async stop() {
      await Promise.allSettled([engine.stop(), registry.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Manifest and blob requests of a registry log, e.g. to prove that no layer was downloaded. */
export function classify<R extends { method: string; path: string }>(requests: R[]) {
  const is = (method: string, kind: string): R[] => requests.filter((r) => r.method === method && r.path.includes(`/${kind}/`));
  return {
    manifestHeads: is('HEAD', 'manifests'),
    manifestGets: is('GET', 'manifests'),
    blobGets: is('GET', 'blobs'),
  };
}
