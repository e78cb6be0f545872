/**
 * Container inspect JSON → ContainerConfig: the inverse of containerCreateBody (map-container.ts),
 * normalized as core/compose/compose-types.ts says (sorted lists and records, durations in ns,
 * sizes in bytes, null when not set), so that for a container created from spec S,
 * `configOfContainer(inspect)` equals `S.config`.
 *
 * The engine fills in what a spec leaves unset, from the image or from its own defaults. Where
 * that can be told apart, the filled-in value is reported as null (not set), like the spec:
 *
 * - image defaults (the engine merges the image's config into the container's at creation):
 *   `environment` leaves out the image's own `K=V` entries; `command`, `entrypoint`, `user`,
 *   `workingDir`, `stopSignal` and each health check field are null when equal to the image's;
 *   `ports` leaves out the image's EXPOSE'd ports that nothing publishes. A spec that sets one of
 *   these to the image's own value therefore reads back as null: the engine keeps no trace of
 *   who set it. One refinement: a container with an entrypoint of its own (differing from the
 *   image's) never inherits the image's command, so its command is reported as it is.
 * - `hostname`: the engine writes the short id (the host's name with `networkMode: host`, the
 *   other container's hostname once started with `container:…`, where none may be set) → null.
 * - `networkMode: container:NAME`: the engine keeps the other container's id; it is reported by
 *   that container's name (`sharedWith`), as a spec names it.
 * - network aliases: on a user-defined network the engine appends the short id, then the
 *   hostname, after the aliases asked for → everything from the short id on is left out.
 * - `logging`: the engine writes its default driver with no options when none was asked for →
 *   null; a spec with options but no driver reads back with the driver the engine chose.
 * - `shmSizeBytes`: the engine writes 64 MiB (its default-shm-size) → null.
 * - `securityOpt`: a privileged container gets `label=disable` from the engine → left out.
 * - `restart`: an empty policy name is 'no'.
 * - zero for a duration, a limit or retries is what the engine keeps for "unset" → null.
 * - `stopGracePeriodNs`: the engine keeps whole seconds (StopTimeout), so a grace period that is
 *   not whole seconds reads back rounded up, as createContainer sent it.
 * - `capAdd`/`capDrop`: kept as given by the engine → `CAP_`-prefixed, upper case, sorted.
 */
import type { ContainerConfig } from '../core/ports/engine-port';
import type { ComposeHealthcheck, ComposeLogging, ComposePort, ComposeRestart } from '../api/types/compose';
import { compareText, sortedRecord, uniqueSorted } from '../core/compose/read-values';
import { mountsOf, type RawMount } from './map-container-mounts';

/** The inspect fields of Config and of an image's Config that the mapping reads. */
export interface RawRunConfig {
  Hostname?: string | null;
  User?: string | null;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  WorkingDir?: string | null;
  ExposedPorts?: Record<string, unknown> | null;
  Healthcheck?: RawHealthcheck | null;
  StopSignal?: string | null;
  StopTimeout?: number | null;
}

interface RawHealthcheck {
  Test?: string[] | null;
  Interval?: number | null;
  Timeout?: number | null;
  StartPeriod?: number | null;
  StartInterval?: number | null;
  Retries?: number | null;
}

export interface RawHostConfig {
  Binds?: string[] | null;
  Mounts?: RawMount[] | null;
  Tmpfs?: Record<string, string> | null;
  NetworkMode?: string | null;
  PortBindings?: Record<string, { HostIp?: string | null; HostPort?: string | null }[] | null> | null;
  RestartPolicy?: { Name?: string | null; MaximumRetryCount?: number | null } | null;
  ExtraHosts?: string[] | null;
  LogConfig?: { Type?: string | null; Config?: Record<string, string> | null } | null;
  Privileged?: boolean | null;
  ReadonlyRootfs?: boolean | null;
  Init?: boolean | null;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Devices?: { PathOnHost?: string; PathInContainer?: string; CgroupPermissions?: string }[] | null;
  SecurityOpt?: string[] | null;
  Sysctls?: Record<string, string> | null;
  Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
  ShmSize?: number | null;
  Memory?: number | null;
  NanoCpus?: number | null;
}

/** The parts of a container inspect the mapping reads. */
export interface RawConfigInspect {
  Id: string;
  Config?: RawRunConfig | null;
  HostConfig?: RawHostConfig | null;
  NetworkSettings?: { Networks?: Record<string, { Aliases?: string[] | null } | null> | null } | null;
}

/** What the mapping needs besides the container: its image's config and two engine facts. */
export interface ConfigContext {
  /** The image's Config (null when the engine no longer has the image: nothing is taken as the image's). */
  image: RawRunConfig | null;
  /** The engine's default logging driver (`docker info`: LoggingDriver). */
  loggingDriver: string;
  /** The engine host's name (`docker info`: Name), the hostname of a `host`-network container. */
  hostName: string;
  /** With NetworkMode `container:ID`: that container's name; null when it is gone (the id is kept). */
  sharedWith: string | null;
}

const NANOS_PER_SECOND = 1_000_000_000;
/** The engine's default-shm-size. */
const DEFAULT_SHM_BYTES = 64 * 1024 * 1024;
const SHORT_ID_LENGTH = 12;
const RESTART_POLICIES: readonly ComposeRestart['policy'][] = ['no', 'always', 'unless-stopped', 'on-failure'];
const PROTOCOLS: readonly ComposePort['protocol'][] = ['tcp', 'udp', 'sctp'];

export function configOfContainer(raw: RawConfigInspect, context: ConfigContext): ContainerConfig {
  const config = raw.Config ?? {};
  const host = raw.HostConfig ?? {};
  const image = context.image ?? {};
  const entrypoint = unlessImages(listOrNull(config.Entrypoint), listOrNull(image.Entrypoint));
  const command = listOrNull(config.Cmd);
  const hostname = textOrNull(config.Hostname);
  const shortId = raw.Id.slice(0, SHORT_ID_LENGTH);
  const mode = host.NetworkMode ?? '';
  const engineHostname = mode === 'host' ? context.hostName : mode.startsWith('container:') ? hostname : shortId;
  return {
    command: entrypoint !== null ? command : unlessImages(command, listOrNull(image.Cmd)),
    entrypoint,
    environment: environmentOf(config.Env ?? [], image.Env ?? []),
    ports: portsOf(host.PortBindings ?? {}, config.ExposedPorts ?? {}, image.ExposedPorts ?? {}),
    mounts: mountsOf(host.Mounts ?? [], host.Binds ?? []),
    tmpfs: sortedRecord(Object.entries(host.Tmpfs ?? {})),
    ...networkingOf(mode, raw.NetworkSettings?.Networks ?? {}, shortId, context.sharedWith),
    healthcheck: healthcheckOf(config.Healthcheck ?? null, image.Healthcheck ?? {}),
    restart: restartOf(host.RestartPolicy ?? {}),
    user: unlessImages(textOrNull(config.User), textOrNull(image.User)),
    workingDir: unlessImages(textOrNull(config.WorkingDir), textOrNull(image.WorkingDir)),
    hostname: hostname === engineHostname ? null : hostname,
    extraHosts: extraHostsOf(host.ExtraHosts ?? []),
    logging: loggingOf(host.LogConfig ?? {}, context.loggingDriver),
    privileged: host.Privileged === true,
    readOnly: host.ReadonlyRootfs === true,
    init: typeof host.Init === 'boolean' ? host.Init : null,
    capAdd: capabilities(host.CapAdd ?? []),
    capDrop: capabilities(host.CapDrop ?? []),
    devices: (host.Devices ?? [])
      .map((d) => ({ source: d.PathOnHost ?? '', target: d.PathInContainer ?? '', permissions: d.CgroupPermissions || 'rwm' }))
      .sort((a, b) => compareText(a.target, b.target) || compareText(a.source, b.source)),
    securityOpt: uniqueSorted((host.SecurityOpt ?? []).filter((opt) => !(host.Privileged === true && opt === 'label=disable'))),
    sysctls: sortedRecord(Object.entries(host.Sysctls ?? {})),
    ulimits: sortedRecord((host.Ulimits ?? []).map((u) => [u.Name, { soft: u.Soft, hard: u.Hard }])),
    stopSignal: unlessImages(textOrNull(config.StopSignal), textOrNull(image.StopSignal)),
    stopGracePeriodNs: typeof config.StopTimeout === 'number' ? config.StopTimeout * NANOS_PER_SECOND : null,
    shmSizeBytes: positiveOrNull(host.ShmSize) === DEFAULT_SHM_BYTES ? null : positiveOrNull(host.ShmSize),
    memoryLimitBytes: positiveOrNull(host.Memory),
    nanoCpus: positiveOrNull(host.NanoCpus),
  };
}

/** Env minus the image's own entries, as a sorted record (an entry without `=` sets nothing). */
function environmentOf(env: string[], imageEnv: string[]): Record<string, string> {
  const inherited = new Set(imageEnv);
  const entries = env
    .filter((entry) => entry.includes('=') && !inherited.has(entry))
    .map((entry): [string, string] => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]);
  return sortedRecord(entries);
}

/**
 * PortBindings (an empty HostPort or HostIp: the engine's choice → null), plus ports the
 * container exposes without a binding, except those the image exposes; sorted as Compose sorts.
 */
function portsOf(bindings: NonNullable<RawHostConfig['PortBindings']>, exposed: Record<string, unknown>, imageExposed: Record<string, unknown>): ComposePort[] {
  const ports: ComposePort[] = [];
  for (const [key, list] of Object.entries(bindings)) {
    const port = portKey(key);
    if (!port) continue;
    for (const binding of list ?? []) {
      ports.push({ ...port, published: binding.HostPort ? Number(binding.HostPort) : null, hostIp: binding.HostIp || null });
    }
  }
  for (const key of Object.keys(exposed)) {
    const port = portKey(key);
    if (port && !(key in bindings) && !(key in imageExposed)) ports.push({ ...port, published: null, hostIp: null });
  }
  return ports.sort(
    (a, b) => a.target - b.target || compareText(a.protocol, b.protocol) || compareText(a.hostIp ?? '', b.hostIp ?? '') || (a.published ?? 0) - (b.published ?? 0),
  );
}

/** `80/tcp` → target and protocol; null for what no spec makes (a range, an unknown protocol). */
function portKey(key: string): Pick<ComposePort, 'target' | 'protocol'> | null {
  const match = /^(\d+)(?:\/(\w+))?$/.exec(key);
  const protocol = PROTOCOLS.find((p) => p === (match?.[2] ?? 'tcp'));
  return match && protocol ? { target: Number(match[1]), protocol } : null;
}

/**
 * NetworkMode host/none/bridge/container:… is the mode; `default` (or none given) is the
 * engine's default network: null and no networks; any other name is a user-defined network,
 * and the container's networks are all of NetworkSettings.Networks, with the aliases asked for.
 */
function networkingOf(
  mode: string,
  networks: Record<string, { Aliases?: string[] | null } | null>,
  shortId: string,
  sharedWith: string | null,
): Pick<ContainerConfig, 'networkMode' | 'networks'> {
  if (mode === 'host' || mode === 'none' || mode === 'bridge') return { networkMode: mode, networks: {} };
  if (mode.startsWith('container:')) return { networkMode: `container:${sharedWith ?? mode.slice('container:'.length)}`, networks: {} };
  if (mode === '' || mode === 'default') return { networkMode: null, networks: {} };
  return {
    networkMode: null,
    networks: sortedRecord(
      Object.entries(networks).map(([name, endpoint]) => {
        const aliases = endpoint?.Aliases ?? [];
        const added = aliases.indexOf(shortId);
        return [name, { aliases: uniqueSorted(added < 0 ? aliases : aliases.slice(0, added)) }];
      }),
    ),
  };
}

function healthcheckOf(check: RawHealthcheck | null, image: RawHealthcheck): ComposeHealthcheck | null {
  if (check === null) return null;
  const duration = (value: number | null | undefined, inherited: number | null | undefined) => unlessImages(positiveOrNull(value), positiveOrNull(inherited));
  const result: ComposeHealthcheck = {
    test: unlessImages(listOrNull(check.Test), listOrNull(image.Test)),
    intervalNs: duration(check.Interval, image.Interval),
    timeoutNs: duration(check.Timeout, image.Timeout),
    startPeriodNs: duration(check.StartPeriod, image.StartPeriod),
    startIntervalNs: duration(check.StartInterval, image.StartInterval),
    retries: duration(check.Retries, image.Retries),
  };
  return Object.values(result).every((value) => value === null) ? null : result;
}

function restartOf(policy: NonNullable<RawHostConfig['RestartPolicy']>): ComposeRestart {
  const name = RESTART_POLICIES.find((p) => p === (policy.Name || 'no')) ?? 'no';
  return { policy: name, maxRetries: policy.MaximumRetryCount ?? 0 };
}

/** `name:ip` entries (an IPv6 address keeps its colons) → host → IPs in order. */
function extraHostsOf(entries: string[]): Record<string, string[]> {
  const hosts = new Map<string, string[]>();
  for (const entry of entries) {
    const cut = entry.indexOf(':');
    if (cut <= 0) continue;
    const name = entry.slice(0, cut);
    hosts.set(name, [...(hosts.get(name) ?? []), entry.slice(cut + 1)]);
  }
  return sortedRecord(hosts);
}

function loggingOf(log: NonNullable<RawHostConfig['LogConfig']>, engineDefault: string): ComposeLogging | null {
  const options = Object.entries(log.Config ?? {});
  if (!log.Type || (log.Type === engineDefault && options.length === 0)) return null;
  return { driver: log.Type, options: sortedRecord(options) };
}

/** `net_admin`, `NET_ADMIN` → `CAP_NET_ADMIN` (`ALL` stays), sorted, unique. */
function capabilities(names: string[]): string[] {
  return uniqueSorted(
    names.map((name) => {
      const upper = name.trim().toUpperCase();
      return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    }),
  );
}

/** `value`, or null when it is the image's own (the engine copied it from there). */
function unlessImages<T>(value: T | null, inherited: T | null): T | null {
  return value !== null && inherited !== null && JSON.stringify(value) === JSON.stringify(inherited) ? null : value;
}

function listOrNull(list: string[] | null | undefined): string[] | null {
  return list && list.length > 0 ? [...list] : null;
}

function textOrNull(text: string | null | undefined): string | null {
  return text ? text : null;
}

function positiveOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && value > 0 ? value : null;
}
