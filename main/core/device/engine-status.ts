/** Whether the engine answers, where it was looked for and why there, and what to do when it does not. */
import { asTagkeeperError } from '../../api/errors';
import type { EngineStatus } from '../../api/types/engine';
import type { CoreDeps } from '../ports/deps';

export async function engineStatus(deps: Pick<CoreDeps, 'engine'>): Promise<EngineStatus> {
  const where = { endpoint: deps.engine.endpoint, source: deps.engine.endpointSource };
  try {
    await deps.engine.ping();
    const [platform, identity] = await Promise.all([deps.engine.platform(), deps.engine.identity()]);
    return { reachable: true, ...where, platform, identity, error: null };
  } catch (error) {
    return { reachable: false, ...where, platform: null, identity: null, error: asTagkeeperError(error).toInfo() };
  }
}
