/**
 * A whole test site: a private Docker Engine, a private registry, an empty Tagkeeper data
 * directory, and ways to drive Tagkeeper against them (the real CLI, or the core in-process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import Docker from 'dockerode';
import { openInstance, type Instance } from '../../main/shells/open-instance';
import { runCli, type CliResult } from './cli';
import { startEngine, type StartEngineOptions, type TestEngine } from './engine';
import { useStarted } from './hooks';
import { startRegistry, type StartRegistryOptions, type TestRegistry } from './registry';

export interface TestSite {
  engine: TestEngine;
  registry: TestRegistry;
  dataDir: string;
  /**
   * The docker CLI's config folder Tagkeeper reads here (DOCKER_CONFIG): empty unless a test
   * writes a config.json into it, so the logins of whoever runs the tests never leak in.
   */
  dockerConfigDir: string;
  /** dockerode on the private engine, for assertions. */
  docker: Docker;
  /** Runs `tagkeeper ARGS` against this site. */
  cli(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Opens the core in this process against this site (close it when done). */
  open(): Instance;
  stop(): Promise<void>;
}

export interface StartSiteOptions {
  /** Options of the site's registry, e.g. `{ auth: 'basic', username, password }`. */
  registry?: StartRegistryOptions;
  /** Options of the site's engine (its daemon.json). */
  engine?: StartEngineOptions;
}

export async function startSite(options: StartSiteOptions = {}): Promise<TestSite> {
  const [engine, registry] = await Promise.all([startEngine(options.engine), startRegistry(options.registry)]);
  const dataDir = mkdtempSync(join(tmpdir(), 'tk-data-'));
  const dockerConfigDir = mkdtempSync(join(tmpdir(), 'tk-docker-config-'));
  const docker = new Docker({ socketPath: engine.socketPath });
  // A short grace period keeps the suite quick; tests of the setting itself clear it.
  const env = { DOCKER_HOST: engine.dockerHost, TAGKEEPER_DATA_DIR: dataDir, TAGKEEPER_START_GRACE_MS: '1500', DOCKER_CONFIG: dockerConfigDir };
  return {
    engine,
    registry,
    dataDir,
    dockerConfigDir,
    docker,
    cli: (args, extra = {}) => runCli(args, { ...env, ...extra }),
    open: () => openInstance({ dataDir, dockerHost: engine.dockerHost, actor: 'tester', dockerConfig: join(dockerConfigDir, 'config.json') }),
    async stop() {
      await Promise.allSettled([engine.stop(), registry.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(dockerConfigDir, { recursive: true, force: true });
    },
  };
}

/**
 * A test site for the tests of this file (called at its top level) or of a `describe` (called
 * inside it): started in a `before` hook, stopped in an `after` hook. Returns the site's
 * handle at once; its members work from that hook on, in tests and in the hooks registered
 * after it with `before` from hooks.ts (see there). Call it once per site (twice for two
 * sites). What runs on the site (a server, an open instance) is stopped first with
 * stopBefore(site, …) from hooks.ts.
 */
export function useSite(options: StartSiteOptions = {}): TestSite {
  return useStarted('the test site (useSite)', () => startSite(options), (site) => site.stop());
}

/** A private Docker Engine alone, for the tests of this file or `describe` (as useSite). */
export function useEngine(options: StartEngineOptions = {}): TestEngine {
  return useStarted(`the test engine (useEngine${options.name ? ` "${options.name}"` : ''})`, () => startEngine(options), (engine) => engine.stop());
}

/** A registry alone, for the tests of this file or `describe` (as useSite). */
export function useRegistry(options: StartRegistryOptions = {}): TestRegistry {
  return useStarted('the test registry (useRegistry)', () => startRegistry(options), (registry) => registry.stop());
}

/** A registry of its own for one test: started now, stopped when the test ends (passed or not). */
export async function registryForTest(t: TestContext, options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const registry = await startRegistry(options);
  t.after(() => registry.stop());
  return registry;
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
