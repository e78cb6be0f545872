/**
 * What the global options (--data-dir, -H/--host, --context) make of a CLI run: the data
 * directory and the engine an instance opens; and, when an instance already serves that data
 * directory, the check that an engine asked for explicitly is the one it serves.
 */
import type { TagkeeperClient } from '../api/client';
import { TagkeeperError } from '../api/errors';
import { describeEngine, sameEngine } from '../core/device/engine-identity';
import { resolveDataDir } from '../store/data-dir';
import type { InstanceOptions } from '../shells/open-instance';
import type { RunningInstance } from '../shells/running-instance';
import type { GlobalOptions } from './program';

export function instanceTarget(globals: GlobalOptions, env: NodeJS.ProcessEnv = process.env): InstanceOptions & { dataDir: string } {
  return {
    dataDir: globals.dataDir ?? resolveDataDir(env),
    ...(globals.host ? { dockerHost: globals.host } : {}),
    ...(globals.context ? { context: globals.context } : {}),
  };
}

/**
 * A running instance works with the engine it was started with. An engine named with --host
 * or --context must be that one (same endpoint, or the same engine ID behind another), or the
 * request would silently go to another engine than the one asked for.
 */
export async function checkRunningEngine(client: TagkeeperClient, running: RunningInstance, target: InstanceOptions & { dataDir: string }): Promise<void> {
  if (!target.dockerHost && !target.context) return;
  // Loaded only here: the engine adapter is start-up cost a handed-over command does not pay otherwise.
  const { createEngine } = require('../engine/docker-engine') as typeof import('../engine/docker-engine');
  const asked = createEngine({ dockerHost: target.dockerHost, context: target.context });
  const serving = await client.call('engine:status', {});
  if (serving.endpoint === asked.endpoint) return;
  const askedIdentity = await asked.identity();
  if (serving.identity && askedIdentity.id && sameEngine(serving.identity, askedIdentity)) return;
  throw new TagkeeperError(
    'engine-mismatch',
    `the Tagkeeper instance running on the data directory ${target.dataDir} (pid ${running.pid}) works with the engine at ${serving.endpoint}` +
      `${serving.identity ? ` ${describeEngine(serving.identity)}` : ''}, not with the one asked for at ${asked.endpoint}${askedIdentity.id ? ` ${describeEngine(askedIdentity)}` : ''}`,
    { hint: 'leave out --host/--context to use the running instance, or give that engine a data directory of its own (--data-dir DIR)' },
  );
}
