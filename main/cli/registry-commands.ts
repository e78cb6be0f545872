/**
 * `registries`: the registry credentials in use (Tagkeeper's and the docker CLI's, masked,
 * with where each comes from), the engine's mirrors and insecure registries, and the rate
 * limits registries stated. `settings show` prints the same after the settings.
 */
import type { Command } from 'commander';
import type { RegistriesStatus, RegistryView } from '../api/types/settings';
import type { TagkeeperClient } from '../api/client';
import { rateLimitLine, table } from './format';
import type { CliIo } from './program';

export interface RegistriesAnswer {
  credentials: RegistryView[];
  status: RegistriesStatus;
}

export async function readRegistries(client: TagkeeperClient): Promise<RegistriesAnswer> {
  const [credentials, status] = await Promise.all([client.call('registries:list', {}), client.call('registries:status', {})]);
  return { credentials, status };
}

export function addRegistryCommands(program: Command, io: CliIo): void {
  program
    .command('registries')
    .description("registry credentials (Tagkeeper's and Docker's, masked), the engine's mirrors and insecure registries, rate limits")
    .option('--json', 'print JSON')
    .action(async (o) => {
      const answer = await readRegistries(await io.client());
      io.stdout.write(o.json ? `${JSON.stringify(answer, null, 2)}\n` : `${formatRegistries(answer)}\n`);
    });
}

export function formatRegistries({ credentials, status }: RegistriesAnswer): string {
  const lines: string[] = [];
  if (credentials.length === 0) {
    lines.push(`Registry credentials: none (Tagkeeper has none saved; Docker's config ${status.dockerConfig} names none): registries are reached anonymously.`);
  } else {
    lines.push(`Registry credentials (Tagkeeper's first, then Docker's config ${status.dockerConfig}):`);
    const rows = [['REGISTRY', 'USER', 'PASSWORD', 'SOURCE', 'IN USE']];
    for (const r of credentials) rows.push([r.host, r.username, r.password, r.source, r.inUse ? 'yes' : r.problem ? `no: ${r.problem}` : 'no (Tagkeeper\'s win)']);
    lines.push(table(rows));
  }
  if (status.engineError) {
    lines.push(`Engine registry configuration: unknown (${status.engineError})`);
  } else {
    lines.push(`Engine mirrors for docker.io: ${status.mirrors.join(', ') || 'none'}`);
    lines.push(`Engine insecure registries: ${status.engineInsecureRegistries.join(', ') || 'none'}`);
  }
  if (status.rateLimits.length === 0) lines.push('Rate limits: none stated yet');
  for (const r of status.rateLimits) lines.push(`${rateLimitLine(r)} (as of ${r.seenAt})`);
  return lines.join('\n');
}
