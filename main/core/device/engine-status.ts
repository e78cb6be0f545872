/** Whether the engine answers, where it was looked for, and what to do when it does not. */
import { asTagkeeperError } from '../../api/errors';
import type { EngineStatus } from '../../api/types/engine';
import type { CoreDeps } from '../ports/deps';

export async function engineStatus(deps: Pick<CoreDeps, 'engine'>): Promise<EngineStatus> {
  try {
    await deps.engine.ping();
    return { reachable: true, endpoint: deps.engine.endpoint, platform: await deps.engine.platform(), error: null };
  } catch (error) {
    return { reachable: false, endpoint: deps.engine.endpoint, platform: null, error: asTagkeeperError(error).toInfo() };
  }
}
