/**
 * The one container shape (ContainerConfig) for apps made with flags: their few settings
 * (command, environment, named volumes, ports, one network mode, restart, health check)
 * written as a Compose service would be, every other setting left to the image and the engine.
 */
import type { ServiceSettings } from '../../api/types/apps';
import type { ContainerConfig } from '../ports/engine-port';

const NANOS_PER_SECOND = 1_000_000_000;
const MODES = ['host', 'none', 'bridge'] as const;

/** A container with nothing set: the image's and the engine's defaults everywhere. */
export function emptyContainerConfig(): ContainerConfig {
  return {
    command: null, entrypoint: null, environment: {}, ports: [], mounts: [], tmpfs: {}, networkMode: null, networks: {},
    healthcheck: null, restart: { policy: 'no', maxRetries: 0 }, user: null, workingDir: null, hostname: null, extraHosts: {},
    logging: null, privileged: false, readOnly: false, init: null, capAdd: [], capDrop: [], devices: [], securityOpt: [],
    sysctls: {}, ulimits: {}, stopSignal: null, stopGracePeriodNs: null, shmSizeBytes: null, memoryLimitBytes: null, nanoCpus: null,
  };
}

/** `volumeName` turns the app's volume (`data`) into the engine's (`tagkeeper-web-data`). */
export function flagServiceConfig(s: ServiceSettings, volumeName: (volume: string) => string): ContainerConfig {
  const mode = MODES.find((m) => m === s.network);
  const seconds = (value: number | undefined) => (value === undefined ? null : Math.round(value * NANOS_PER_SECOND));
  return {
    ...emptyContainerConfig(),
    command: s.cmd ?? null,
    environment: Object.fromEntries(s.env.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])),
    ports: s.ports.map((p) => ({ target: p.containerPort, published: p.hostPort ?? null, hostIp: p.hostIp ?? null, protocol: p.protocol })),
    mounts: s.volumes.map((v) => ({ type: 'volume', source: volumeName(v.name), target: v.target, readOnly: v.readOnly === true, noCopy: false, subpath: null })),
    networkMode: mode ?? null,
    networks: s.network !== undefined && mode === undefined ? { [s.network]: { aliases: [] } } : {},
    restart: { policy: s.restartPolicy, maxRetries: 0 },
    healthcheck: s.healthcheck
      ? {
          test: s.healthcheck.test,
          intervalNs: seconds(s.healthcheck.intervalSeconds),
          timeoutNs: seconds(s.healthcheck.timeoutSeconds),
          startPeriodNs: seconds(s.healthcheck.startPeriodSeconds),
          startIntervalNs: null,
          retries: s.healthcheck.retries ?? null,
        }
      : null,
  };
}
