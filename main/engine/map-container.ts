/**
 * ContainerSpec → the engine's create body, and container inspect JSON → ContainerInfo.
 */
import type { ContainerInfo, ContainerSpec } from '../core/ports/engine-port';
import type { ContainerStatus } from '../api/types/engine';

const NANOS_PER_SECOND = 1_000_000_000;

/** Body of POST /containers/create (the name goes in the query). */
export interface CreateContainerBody {
  Image: string;
  Labels: Record<string, string>;
  Cmd?: string[];
  Env: string[];
  ExposedPorts?: Record<string, Record<string, never>>;
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  HostConfig: {
    Mounts: { Type: 'volume'; Source: string; Target: string; ReadOnly: boolean }[];
    NetworkMode?: string;
    PortBindings?: Record<string, { HostIp: string; HostPort: string }[]>;
    RestartPolicy: { Name: string; MaximumRetryCount: number };
  };
}

export function containerCreateBody(spec: ContainerSpec): CreateContainerBody {
  const body: CreateContainerBody = {
    Image: spec.image,
    Labels: { ...spec.labels },
    Env: [...spec.env],
    HostConfig: {
      Mounts: spec.volumes.map((v) => ({ Type: 'volume', Source: v.volume, Target: v.target, ReadOnly: v.readOnly === true })),
      RestartPolicy: { Name: spec.restartPolicy, MaximumRetryCount: 0 },
    },
  };
  if (spec.cmd) body.Cmd = [...spec.cmd];
  if (spec.network) body.HostConfig.NetworkMode = spec.network;
  if (spec.ports.length > 0) {
    body.ExposedPorts = {};
    body.HostConfig.PortBindings = {};
    for (const port of spec.ports) {
      const key = `${port.containerPort}/${port.protocol}`;
      body.ExposedPorts[key] = {};
      const bindings = (body.HostConfig.PortBindings[key] ??= []);
      bindings.push({ HostIp: port.hostIp ?? '', HostPort: port.hostPort === undefined ? '' : String(port.hostPort) });
    }
  }
  if (spec.healthcheck) {
    const h = spec.healthcheck;
    body.Healthcheck = { Test: [...h.test] };
    if (h.intervalSeconds !== undefined) body.Healthcheck.Interval = seconds(h.intervalSeconds);
    if (h.timeoutSeconds !== undefined) body.Healthcheck.Timeout = seconds(h.timeoutSeconds);
    if (h.retries !== undefined) body.Healthcheck.Retries = h.retries;
    if (h.startPeriodSeconds !== undefined) body.Healthcheck.StartPeriod = seconds(h.startPeriodSeconds);
  }
  return body;
}

function seconds(value: number): number {
  return Math.round(value * NANOS_PER_SECOND);
}

/** The fields of a container inspect this adapter reads. */
export interface RawContainerInspect {
  Id: string;
  Name?: string | null;
  Image?: string | null;
  Config?: { Labels?: Record<string, string> | null } | null;
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

export function mapContainer(raw: RawContainerInspect): ContainerInfo {
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
  };
}

function timeOrNull(value: string | null | undefined): string | null {
  return value && !ZERO_TIME.test(value) ? value : null;
}
