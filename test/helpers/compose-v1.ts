/**
 * Runs Debian's docker-compose 1.29.2 (`docker-compose -f FILE -p P [--env-file F] config`,
 * which needs no engine) and reads its output into the values Tagkeeper's Compose model
 * holds, for the comparison in test/integration/compose-config.test.ts. Only what 1.29.2
 * prints unambiguously is read; this helper does not reuse any code of the model.
 *
 * What 1.29.2 prints: `$` escaped as `$$` (so the output can be loaded again); `command`,
 * `entrypoint` and a healthcheck `test` written as a string stay strings (docker-py splits
 * commands with Python's shlex when it creates the container, and a string test runs as
 * CMD-SHELL); ports as `{target, published, protocol}` or `IP:PUBLISHED:TARGET/PROTO`
 * strings (IPv6 without brackets); volumes as `SOURCE:TARGET:MODE` strings or long-syntax
 * mappings; durations as `90s`, `500ms`, `1h`.
 */
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';

export interface V1Port {
  target: number;
  published: number | null;
  hostIp: string | null;
  protocol: string;
}

export interface V1Mount {
  type: 'volume' | 'bind';
  source: string | null;
  target: string;
  readOnly: boolean;
}

export type V1Result = { ok: true; config: Record<string, any> } | { ok: false; stderr: string };

export function dockerComposeConfig(options: { file: string; project: string; envFile?: string; env: Record<string, string> }): V1Result {
  const args = ['-f', options.file, '--project-name', options.project, ...(options.envFile === undefined ? [] : ['--env-file', options.envFile]), 'config'];
  const run = spawnSync('docker-compose', args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env }, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) return { ok: false, stderr: `${run.stderr}${run.stdout}` };
  return { ok: true, config: parse(run.stdout) as Record<string, any> };
}

/** `$$` in 1.29.2's output is a literal `$`. */
export function unescape(value: string): string {
  return value.replaceAll('$$', '$');
}

/** What docker-py does with a command string: Python's shlex.split. */
export function shlexSplit(command: string): string[] {
  const run = spawnSync('/usr/bin/python3', ['-c', 'import json, shlex, sys; print(json.dumps(shlex.split(sys.argv[1])))', command], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`shlex.split failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[];
}

export function v1Command(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? shlexSplit(unescape(value)) : (value as string[]).map(unescape);
}

export function v1Environment(value: Record<string, unknown> | undefined): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value ?? {})) {
    // null: named without a value and unset; the container gets no such variable.
    if (entry !== null) environment[key] = unescape(String(entry));
  }
  return environment;
}

export function v1Ports(value: unknown[] | undefined): V1Port[] {
  return (value ?? [])
    .map((entry): V1Port => {
      if (typeof entry === 'object' && entry !== null) {
        const port = entry as Record<string, unknown>;
        return { target: Number(port.target), published: port.published === undefined ? null : Number(port.published), hostIp: null, protocol: String(port.protocol ?? 'tcp') };
      }
      const [spec, protocol = 'tcp'] = String(entry).split('/');
      const parts = spec.split(':');
      const target = Number(parts[parts.length - 1]);
      const published = parts.length >= 2 && parts[parts.length - 2] !== '' ? Number(parts[parts.length - 2]) : null;
      const hostIp = parts.length >= 3 ? parts.slice(0, -2).join(':') : null;
      return { target, published, hostIp, protocol };
    })
    .sort((a, b) => a.target - b.target || a.protocol.localeCompare(b.protocol));
}

export function v1Mounts(value: unknown[] | undefined): V1Mount[] {
  return (value ?? [])
    .map((entry): V1Mount => {
      if (typeof entry === 'object' && entry !== null) {
        const mount = entry as Record<string, unknown>;
        return { type: mount.type as 'volume' | 'bind', source: (mount.source as string | undefined) ?? null, target: String(mount.target), readOnly: mount.read_only === true };
      }
      const parts = String(entry).split(':');
      if (parts.length === 1) return { type: 'volume', source: null, target: parts[0], readOnly: false };
      return { type: parts[0].startsWith('/') ? 'bind' : 'volume', source: parts[0], target: parts[1], readOnly: parts[2] === 'ro' };
    })
    .sort((a, b) => (a.target < b.target ? -1 : 1));
}

const NANOS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** 1.29.2's printed durations (`90s`, `500ms`, `1h`, `1m30s`) in nanoseconds. */
export function v1Duration(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  let total = 0;
  for (const [, amount, unit] of String(value).matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)) total += Number(amount) * NANOS[unit];
  return total;
}

export function v1HealthTest(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? ['CMD-SHELL', unescape(value)] : (value as string[]).map(unescape);
}
