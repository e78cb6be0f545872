/**
 * One normalized service back to its Compose mapping. WRITERS has an entry for every field
 * of ComposeService (the type requires it), so a field added to the model cannot be left
 * out of the export unnoticed; each entry gives the Compose keys it writes, in the order
 * they appear in the file. Unset values (null, empty, false where false is the default) are
 * left out: Compose gives them the same meaning.
 *
 * Forms that docker-compose 1.29.2 does not read, written in the Compose Specification form
 * because nothing else says the same (1.29.2 refuses the file when they are present):
 * `depends_on.*.required: false` and `depends_on.*.restart: true`, `healthcheck.start_interval`,
 * mounts with `bind.create_host_path`, `volume.subpath` or `tmpfs.mode` (see export-values).
 */
import type { PullPolicy } from '../../api/types/apps';
import type { ComposeService } from '../../api/types/compose';
import { compareText } from './read-values';
import { deviceEntry, formatCpus, formatDuration, formatSize, healthcheckEntry, mountEntry, portEntry } from './export-values';
import { FlowList, type YamlMap, type YamlValue } from './export-yaml';

type Entries = [string, YamlValue][];
type Writer<K extends keyof ComposeService> = (value: ComposeService[K], service: ComposeService, image: string) => Entries;

const PULL_POLICY: Record<PullPolicy, string> = { always: 'always', never: 'never', 'if-not-present': 'if_not_present' };

const WRITERS: { [K in keyof ComposeService]-?: Writer<K> } = {
  name: () => [],
  image: (_value, _service, image) => [['image', image]],
  // `if_not_present`, not `missing`: 1.29.2 knows only the older spelling, v2 reads both.
  pullPolicy: (value) => when(value !== null, 'pull_policy', () => PULL_POLICY[value as PullPolicy]),
  command: (value) => when(value !== null, 'command', () => new FlowList(value as string[])),
  entrypoint: (value) => when(value !== null, 'entrypoint', () => new FlowList(value as string[])),
  environment: (value) => nonEmpty('environment', sorted(value)),
  labels: (value) => nonEmpty('labels', sorted(value)),
  ports: (value) => when(value.length > 0, 'ports', () => value.map(portEntry)),
  mounts: (value) => when(value.length > 0, 'volumes', () => value.map(mountEntry)),
  tmpfs: (value) => when(Object.keys(value).length > 0, 'tmpfs', () => sortedEntries(value).map(([path, options]) => (options === '' ? path : `${path}:${options}`))),
  secrets: (value) => when(value.length > 0, 'secrets', () => value.map(({ source, target }) => ({ source, target }))),
  configs: (value) => when(value.length > 0, 'configs', () => value.map(({ source, target }) => ({ source, target }))),
  networkMode: (value) => when(value !== null, 'network_mode', () => value as string),
  networks: (value, service) =>
    when(service.networkMode === null, 'networks', () => mapValues(value, ({ aliases }): YamlMap => (aliases.length > 0 ? { aliases: [...aliases] } : {}))),
  dependsOn: (value, service) => {
    const shared = service.networkMode?.startsWith('service:') ? service.networkMode.slice('service:'.length) : null;
    const written: [string, YamlMap][] = [];
    for (const [name, dependency] of sortedEntries(value)) {
      // network_mode: service:NAME implies exactly this dependency (in Compose and in the
      // loader), so it is left to network_mode: written out, 1.29.2 would refuse `restart`.
      if (name === shared && dependency.condition === 'service_started' && dependency.required && dependency.restart) continue;
      const entry: YamlMap = { condition: dependency.condition };
      if (!dependency.required) entry.required = false;
      if (dependency.restart) entry.restart = true;
      written.push([name, entry]);
    }
    return nonEmpty('depends_on', Object.fromEntries(written));
  },
  healthcheck: (value) => when(value !== null, 'healthcheck', () => healthcheckEntry(value as NonNullable<typeof value>)),
  restart: (value) => [['restart', value.policy === 'on-failure' && value.maxRetries > 0 ? `on-failure:${value.maxRetries}` : value.policy]],
  user: (value) => when(value !== null, 'user', () => value as string),
  workingDir: (value) => when(value !== null, 'working_dir', () => value as string),
  hostname: (value) => when(value !== null, 'hostname', () => value as string),
  // One `host:ip` per address, in order: both tools split at the first `:` (so IPv6 works)
  // and add repeated hosts up; 1.29.2 knows neither `host=ip` nor several IPs in one entry.
  extraHosts: (value) => {
    const lines = sortedEntries(value).flatMap(([host, ips]) => ips.map((ip) => `${host}:${ip}`));
    return when(lines.length > 0, 'extra_hosts', () => lines);
  },
  logging: (value) =>
    when(value !== null, 'logging', () => {
      const logging = value as NonNullable<typeof value>;
      const entry: YamlMap = {};
      if (logging.driver !== null) entry.driver = logging.driver;
      if (Object.keys(logging.options).length > 0) entry.options = sorted(logging.options);
      return entry;
    }),
  privileged: (value) => when(value, 'privileged', () => true),
  readOnly: (value) => when(value, 'read_only', () => true),
  init: (value) => when(value !== null, 'init', () => value as boolean),
  capAdd: (value) => when(value.length > 0, 'cap_add', () => [...value]),
  capDrop: (value) => when(value.length > 0, 'cap_drop', () => [...value]),
  devices: (value) => when(value.length > 0, 'devices', () => value.map(deviceEntry)),
  securityOpt: (value) => when(value.length > 0, 'security_opt', () => [...value]),
  sysctls: (value) => nonEmpty('sysctls', sorted(value)),
  ulimits: (value) => nonEmpty('ulimits', mapValues(value, ({ soft, hard }) => (soft === hard ? soft : { soft, hard }))),
  stopSignal: (value) => when(value !== null, 'stop_signal', () => value as string),
  stopGracePeriodNs: (value) => when(value !== null, 'stop_grace_period', () => formatDuration(value as number)),
  shmSizeBytes: (value) => when(value !== null, 'shm_size', () => formatSize(value as number)),
  // mem_limit and cpus rather than deploy.resources.limits: both tools apply them outside a Swarm.
  memoryLimitBytes: (value) => when(value !== null, 'mem_limit', () => formatSize(value as number)),
  nanoCpus: (value) => when(value !== null, 'cpus', () => formatCpus(value as number)),
};

/** The service's Compose mapping, with `image` already pinned. */
export function exportService(service: ComposeService, image: string): YamlMap {
  const mapping: YamlMap = {};
  for (const field of Object.keys(WRITERS) as (keyof ComposeService)[]) {
    const write = WRITERS[field] as Writer<typeof field>;
    for (const [key, value] of write(service[field], service, image)) mapping[key] = value;
  }
  return mapping;
}

function when(condition: boolean, key: string, value: () => YamlValue): Entries {
  return condition ? [[key, value()]] : [];
}

function nonEmpty(key: string, value: YamlMap): Entries {
  return Object.keys(value).length > 0 ? [[key, value]] : [];
}

function sortedEntries<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => compareText(a, b));
}

function sorted(record: Record<string, string>): YamlMap {
  return Object.fromEntries(sortedEntries(record));
}

export function mapValues<T>(record: Record<string, T>, map: (value: T) => YamlValue): YamlMap {
  return Object.fromEntries(sortedEntries(record).map(([key, value]) => [key, map(value)]));
}
