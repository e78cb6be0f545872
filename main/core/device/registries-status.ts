/** `registries:status`: the engine's registry configuration as Tagkeeper applies it, and the rate limits registries stated. */
import type { RegistriesStatus } from '../../api/types/settings';
import { asTagkeeperError } from '../../api/errors';
import type { CoreDeps } from '../ports/deps';
import type { EngineRegistryConfig } from '../ports/engine-port';

export async function registriesStatus(deps: Pick<CoreDeps, 'engine' | 'store' | 'dockerCredentials'>): Promise<RegistriesStatus> {
  let engine: EngineRegistryConfig | null = null;
  let engineError: string | null = null;
  try {
    engine = await deps.engine.registryConfig();
  } catch (error) {
    engineError = asTagkeeperError(error).message;
  }
  return {
    dockerConfig: deps.dockerCredentials.configPath(),
    mirrors: engine?.mirrors ?? [],
    engineInsecureRegistries: engine ? [...engine.insecureRegistries, ...engine.insecureCidrs] : [],
    engineError,
    rateLimits: deps.store.listRateLimits(),
  };
}
