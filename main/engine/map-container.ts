/**
 * ContainerSpec → the engine's create body, container inspect JSON → ContainerInfo (its
 * config mapped back by map-container-config.ts), and a container list entry → ContainerState.
 */
import type { ContainerInfo, ContainerSpec, ContainerState } from '../core/ports/engine-port';
import type { ContainerStatus } from '../api/types/engine';
import { configOfContainer, type ConfigContext, type RawConfigInspect, type RawRunConfig } from './map-container-config';

/** Body of POST /containers/create (the name goes in the query). */
export interface CreateContainerBody {
  Image: string;
  Labels: Record<string, string>;
  Cmd?: string[];
  Entrypoint?: string[];
  Env: string[];
  User?: string;
  WorkingDir?: string;
  Hostname?: string;
  StopSignal?: string;
  StopTimeout?: number;
  ExposedPorts?: Record<string, Record<string, never>>;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number; StartInterval?: number };
  HostConfig: Record<string, unknown> & {
    Mounts: Record<string, unknown>[];
    Binds?: string[];
    NetworkMode?: string;
    PortBindings?: Record<string, { HostIp: string; HostPort: string }[]>;
    RestartPolicy: { Name: string; MaximumRetryCount: number };
  };
  NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases: string[] }> };
}

const NANOS_PER_SECOND = 1_000_000_000;

/**
 * The create body of a ContainerConfig. A container joins one network at creation (the
 * engine's API before 1.44 takes one): `laterNetworks` are the ones to connect before start.
 */
export function containerCreateBody(spec: ContainerSpec): CreateContainerBody {
  const c = spec.config;
  const body: CreateContainerBody = {
    Image: spec.image,
    Labels: { ...spec.labels },
    Env: Object.entries(c.environment).map(([k, v]) => `${k}=${v}`),
    HostConfig: {
      Mounts: [],
      RestartPolicy: { Name: c.restart.policy, MaximumRetryCount: c.restart.maxRetries },
    },
  };
  const host = body.HostConfig;
  if (c.command) body.Cmd = [...c.command];
  if (c.entrypoint) body.Entrypoint = [...c.entrypoint];
  if (c.user !== null) body.User = c.user;
  if (c.workingDir !== null) body.WorkingDir = c.workingDir;
  if (c.hostname !== null) body.Hostname = c.hostname;
  if (c.stopSignal !== null) body.StopSignal = c.stopSignal;
  if (c.stopGracePeriodNs !== null) body.StopTimeout = Math.ceil(c.stopGracePeriodNs / NANOS_PER_SECOND);
  mounts(c, host);
  if (Object.keys(c.tmpfs).length > 0) host.Tmpfs = { ...c.tmpfs };
  networking(c, body);
  ports(c, body);
  if (c.healthcheck) body.Healthcheck = healthcheck(c.healthcheck);
  const hosts = Object.entries(c.extraHosts).flatMap(([name, ips]) => ips.map((ip) => `${name}:${ip}`));
  if (hosts.length > 0) host.ExtraHosts = hosts;
  if (c.logging) host.LogConfig = { Type: c.logging.driver ?? '', Config: { ...c.logging.options } };
  if (c.privileged) host.Privileged = true;
  if (c.readOnly) host.ReadonlyRootfs = true;
  if (c.init !== null) host.Init = c.init;
  if (c.capAdd.length > 0) host.CapAdd = [...c.capAdd];
  if (c.capDrop.length > 0) host.CapDrop = [...c.capDrop];
  if (c.devices.length > 0) host.Devices = c.devices.map((d) => ({ PathOnHost: d.source, PathInContainer: d.target, CgroupPermissions: d.permissions }));
  if (c.securityOpt.length > 0) host.SecurityOpt = [...c.securityOpt];
  if (Object.keys(c.sysctls).length > 0) host.Sysctls = { ...c.sysctls };
  const ulimits = Object.entries(c.ulimits).map(([Name, u]) => ({ Name, Soft: u.soft, Hard: u.hard }));
  if (ulimits.length > 0) host.Ulimits = ulimits;
  if (c.shmSizeBytes !== null) host.ShmSize = c.shmSizeBytes;
  if (c.memoryLimitBytes !== null) host.Memory = c.memoryLimitBytes;
  if (c.nanoCpus !== null) host.NanoCpus = c.nanoCpus;
  return body;
}

/** The networks to connect after creation (all but the one the container was created on). */
export function laterNetworks(spec: ContainerSpec): [string, { aliases: string[] }][] {
  if (spec.config.networkMode !== null) return [];
  return Object.entries(spec.config.networks).slice(1);
}

/**
 * Named volumes and tmpfs as Mounts; binds as Mounts too, except those that must create a
 * missing host path or carry an SELinux label: only the Binds form does either (as `docker
 * compose` does for the short syntax).
 */
function mounts(c: ContainerSpec['config'], host: CreateContainerBody['HostConfig']): void {
  const binds: string[] = [];
  for (const m of c.mounts) {
    if (m.type === 'volume') {
      const options: Record<string, unknown> = {};
      if (m.noCopy) options.NoCopy = true;
      if (m.subpath !== null) options.Subpath = m.subpath;
      host.Mounts.push({ Type: 'volume', Source: m.source ?? '', Target: m.target, ReadOnly: m.readOnly, ...(Object.keys(options).length > 0 ? { VolumeOptions: options } : {}) });
    } else if (m.type === 'bind' && (m.createHostPath || m.selinux !== null)) {
      const flags = [m.readOnly ? 'ro' : 'rw', ...(m.selinux ? [m.selinux] : []), ...(m.propagation ? [m.propagation] : [])];
      binds.push(`${m.source}:${m.target}:${flags.join(',')}`);
    } else if (m.type === 'bind') {
      host.Mounts.push({ Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly, ...(m.propagation ? { BindOptions: { Propagation: m.propagation } } : {}) });
    } else {
      const options: Record<string, unknown> = {};
      if (m.sizeBytes !== null) options.SizeBytes = m.sizeBytes;
      if (m.mode !== null) options.Mode = m.mode;
      host.Mounts.push({ Type: 'tmpfs', Target: m.target, ReadOnly: m.readOnly, ...(Object.keys(options).length > 0 ? { TmpfsOptions: options } : {}) });
    }
  }
  if (binds.length > 0) host.Binds = binds;
}

function networking(c: ContainerSpec['config'], body: CreateContainerBody): void {
  if (c.networkMode !== null) {
    body.HostConfig.NetworkMode = c.networkMode;
    return;
  }
  const [first] = Object.entries(c.networks);
  if (!first) return;
  body.HostConfig.NetworkMode = first[0];
  body.NetworkingConfig = { EndpointsConfig: { [first[0]]: { Aliases: [...first[1].aliases] } } };
}

function ports(c: ContainerSpec['config'], body: CreateContainerBody): void {
  if (c.ports.length === 0) return;
  body.ExposedPorts = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of c.ports) {
    const key = `${port.target}/${port.protocol}`;
    body.ExposedPorts[key] = {};
    (bindings[key] ??= []).push({ HostIp: port.hostIp ?? '', HostPort: port.published === null ? '' : String(port.published) });
  }
  body.HostConfig.PortBindings = bindings;
}

function healthcheck(h: NonNullable<ContainerSpec['config']['healthcheck']>): NonNullable<CreateContainerBody['Healthcheck']> {
  const out: NonNullable<CreateContainerBody['Healthcheck']> = {};
  if (h.test !== null) out.Test = [...h.test];
  if (h.intervalNs !== null) out.Interval = h.intervalNs;
  if (h.timeoutNs !== null) out.Timeout = h.timeoutNs;
  if (h.retries !== null) out.Retries = h.retries;
  if (h.startPeriodNs !== null) out.StartPeriod = h.startPeriodNs;
  if (h.startIntervalNs !== null) out.StartInterval = h.startIntervalNs;
  return out;
}

/** The fields of a container inspect this adapter reads. */
export interface RawContainerInspect extends RawConfigInspect {
  Id: string;
  Name?: string | null;
  Image?: string | null;
  Config?: (RawRunConfig & { Labels?: Record<string, string> | null }) | null;
  State?: {
    Status?: string | null;
    ExitCode?: number | null;
    StartedAt?: string | null;
    FinishedAt?: string | null;
    Health?: { Status?: string | null } | null;
  } | null;
}

const STATUSES: readonly ContainerStatus[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
/** The engine writes the zero time for "never". */
const ZERO_TIME = /^0001-01-01T/;

export function mapContainer(raw: RawContainerInspect, context: ConfigContext): ContainerInfo {
  const state = raw.State ?? {};
  const status = STATUSES.find((s) => s === state.Status) ?? 'dead';
  const startedAt = timeOrNull(state.StartedAt);
  const health = state.Health?.Status;
  return {
    id: raw.Id,
    name: (raw.Name ?? '').replace(/^\//, ''),
    imageId: raw.Image ?? '',
    labels: { ...(raw.Config?.Labels ?? {}) },
    status,
    startedAt,
    finishedAt: timeOrNull(state.FinishedAt),
    // Only a stopped container has an exit code (the engine says 0 for "none").
    exitCode: status === 'exited' || status === 'dead' ? (state.ExitCode ?? null) : null,
    health: health === 'starting' || health === 'healthy' || health === 'unhealthy' ? health : null,
    config: configOfContainer(raw, context),
  };
}

/** The fields of an entry of the engine's container list (GET /containers/json) this adapter reads. */
export interface RawContainerSummary {
  Id: string;
  Names?: string[] | null;
  ImageID?: string | null;
  Labels?: Record<string, string> | null;
  State?: string | null;
  /** `Up 2 minutes (healthy)`, `Up 3 seconds (health: starting)`, `Exited (0) 5 minutes ago`. */
  Status?: string | null;
}

/** A container list entry → ContainerState; the list says health only in its Status text. */
export function mapContainerSummary(raw: RawContainerSummary): ContainerState {
  const status = STATUSES.find((s) => s === raw.State) ?? 'dead';
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(raw.Status ?? '')?.[1];
  return {
    id: raw.Id,
    name: (raw.Names?.[0] ?? '').replace(/^\//, ''),
    imageId: raw.ImageID ?? '',
    labels: { ...(raw.Labels ?? {}) },
    status,
    health: health === 'health: starting' ? 'starting' : health === 'healthy' || health === 'unhealthy' ? health : null,
  };
}

function timeOrNull(value: string | null | undefined): string | null {
  return value && !ZERO_TIME.test(value) ? value : null;
}
