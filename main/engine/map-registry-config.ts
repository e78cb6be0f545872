/** The engine's `RegistryConfig` (GET /info) → EngineRegistryConfig. */
import type { EngineRegistryConfig } from '../core/ports/engine-port';

export interface RawRegistryConfig {
  Mirrors?: string[] | null;
  InsecureRegistryCIDRs?: string[] | null;
  IndexConfigs?: Record<string, { Name?: string; Secure?: boolean; Mirrors?: string[] | null } | null> | null;
}

export function mapRegistryConfig(raw: RawRegistryConfig | null | undefined): EngineRegistryConfig {
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string' && x !== '') : []);
  const insecureRegistries = Object.entries(raw?.IndexConfigs ?? {})
    .filter(([, index]) => index?.Secure === false)
    .map(([name, index]) => index?.Name || name);
  return { mirrors: strings(raw?.Mirrors), insecureRegistries, insecureCidrs: strings(raw?.InsecureRegistryCIDRs) };
}
