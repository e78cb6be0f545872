/**
 * What an app is made of in the engine: its networks, its named volumes, and one container
 * per service in start order, each with its name, labels and settings (ContainerConfig).
 * An app made with flags has no networks of its own and `tagkeeper-APP-…` names; an app made
 * from a Compose file has Compose's names (`shop_default`, `shop_data`, `shop-web-1`) and
 * labels, so `docker compose` and `docker ps --filter label=com.docker.compose.project=shop`
 * see the project it knows.
 */
import type { AppRecord, ComposeDefinition } from '../../api/types/apps';
import type { ComposeDependency, ComposeService } from '../../api/types/compose';
import { startOrder } from '../compose/start-order';
import type { ContainerConfig, ContainerInfo, NetworkSpec, VolumeSpec } from '../ports/engine-port';
import { flagServiceConfig } from './container-config';

export const LABEL = {
  app: 'tagkeeper.app',
  service: 'tagkeeper.service',
  reference: 'tagkeeper.reference',
  indexDigest: 'tagkeeper.index-digest',
  manifestDigest: 'tagkeeper.manifest-digest',
  imageId: 'tagkeeper.image-id',
  /** The app's definition (JSON: its services, or its Compose model, and its settings): see definition-label.ts. */
  definition: 'tagkeeper.definition',
  /** The operation that created the container (absent for containers made by app create). */
  operation: 'tagkeeper.operation',
} as const;

/** The labels `docker compose` puts on what it makes, and looks for. */
export const COMPOSE_LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configFiles: 'com.docker.compose.project.config_files',
  workingDir: 'com.docker.compose.project.working_dir',
} as const;

export interface TopologyService {
  name: string;
  containerName: string;
  /** Labels of the container apart from the content ones (tagkeeper.reference, digests, image id). */
  labels: Record<string, string>;
  config: ContainerConfig;
  /** What must be up (healthy, or done) before this service starts. */
  dependsOn: Record<string, ComposeDependency>;
}

export interface AppTopology {
  /** Networks the app makes (external ones must exist already). */
  networks: NetworkSpec[];
  externalNetworks: string[];
  /** Named volumes that belong to the app: made with it, discarded by purge (never bind-mounted host folders). */
  volumes: VolumeSpec[];
  /** In start order (dependencies first). */
  services: TopologyService[];
}

const flagContainerName = (app: string, service: string): string => `tagkeeper-${app}-${service}`;
export const flagVolumeName = (app: string, volume: string): string => `tagkeeper-${app}-${volume}`;
/** Compose v2's container name for the one replica of a service. */
export const composeContainerName = (project: string, service: string): string => `${project}-${service}-1`;

export function appTopology(app: AppRecord): AppTopology {
  return app.compose ? composeTopology(app.name, app.compose) : flagTopology(app);
}

/** The labels every container of the app carries: how its containers are found. */
export function appSelector(app: Pick<AppRecord, 'name' | 'compose'>): Record<string, string> {
  return app.compose ? { [COMPOSE_LABEL.project]: app.compose.project.name } : { [LABEL.app]: app.name };
}

/** The service a container of the app runs (from its labels). */
export function serviceOf(app: Pick<AppRecord, 'compose'>, container: Pick<ContainerInfo, 'labels'>): string | undefined {
  return container.labels[app.compose ? COMPOSE_LABEL.service : LABEL.service];
}

export function containerNameOf(app: Pick<AppRecord, 'name' | 'compose'>, service: string): string {
  return app.compose ? composeContainerName(app.compose.project.name, service) : flagContainerName(app.name, service);
}

function flagTopology(app: AppRecord): AppTopology {
  const volumes = [...new Set(app.services.flatMap((s) => s.settings.volumes.map((v) => flagVolumeName(app.name, v.name))))];
  return {
    networks: [],
    externalNetworks: [],
    volumes: volumes.map((name) => ({ name, driver: null, driverOpts: {}, labels: { [LABEL.app]: app.name } })),
    services: app.services.map((s) => ({
      name: s.name,
      containerName: flagContainerName(app.name, s.name),
      labels: { [LABEL.app]: app.name, [LABEL.service]: s.name },
      config: flagServiceConfig(s.settings, (volume) => flagVolumeName(app.name, volume)),
      dependsOn: {},
    })),
  };
}

function composeTopology(app: string, compose: ComposeDefinition): AppTopology {
  const project = compose.project;
  const networks = Object.entries(project.networks);
  const volumes = Object.entries(project.volumes);
  const owned = { [LABEL.app]: app, [COMPOSE_LABEL.project]: project.name };
  return {
    networks: networks.filter(([, n]) => !n.external).map(([key, n]) => ({
      name: n.name, driver: n.driver, driverOpts: n.driverOpts, internal: n.internal, labels: { ...n.labels, ...owned, [COMPOSE_LABEL.network]: key },
    })),
    externalNetworks: networks.filter(([, n]) => n.external).map(([, n]) => n.name),
    volumes: volumes.filter(([, v]) => !v.external).map(([key, v]) => ({
      name: v.name, driver: v.driver, driverOpts: v.driverOpts, labels: { ...v.labels, ...owned, [COMPOSE_LABEL.volume]: key },
    })),
    services: startOrder(project).map((s) => ({
      name: s.name,
      containerName: composeContainerName(project.name, s.name),
      labels: {
        ...s.labels,
        ...owned,
        [LABEL.service]: s.name,
        [COMPOSE_LABEL.service]: s.name,
        [COMPOSE_LABEL.containerNumber]: '1',
        [COMPOSE_LABEL.oneoff]: 'False',
        [COMPOSE_LABEL.configFiles]: compose.file,
        [COMPOSE_LABEL.workingDir]: dirnameOf(compose.file),
      },
      config: composeServiceConfig(compose, s),
      dependsOn: s.dependsOn,
    })),
  };
}

/** A Compose service's settings with the project's names resolved to the engine's. */
export function composeServiceConfig(compose: ComposeDefinition, s: ComposeService): ContainerConfig {
  const project = compose.project;
  const files = [
    ...s.secrets.map((m) => ({ file: project.secrets[m.source].file, target: m.target })),
    ...s.configs.map((m) => ({ file: project.configs[m.source].file, target: m.target })),
  ];
  const mounts: ContainerConfig['mounts'] = [
    ...s.mounts.map((m) => (m.type === 'volume' && m.source !== null ? { ...m, source: project.volumes[m.source].name } : m)),
    ...files.map((f) => ({ type: 'bind' as const, source: f.file, target: f.target, readOnly: true, createHostPath: false, propagation: null, selinux: null })),
  ].sort((a, b) => a.target.localeCompare(b.target));
  const mode = s.networkMode;
  return {
    command: s.command, entrypoint: s.entrypoint, environment: s.environment, ports: s.ports, mounts, tmpfs: s.tmpfs,
    networkMode: mode === null ? null : mode.startsWith('service:') ? `container:${composeContainerName(project.name, mode.slice('service:'.length))}` : (mode as 'host' | 'none' | 'bridge'),
    networks: Object.fromEntries(Object.entries(s.networks).map(([key, n]) => [project.networks[key].name, { aliases: [...new Set([s.name, ...n.aliases])].sort() }])),
    healthcheck: s.healthcheck, restart: s.restart, user: s.user, workingDir: s.workingDir, hostname: s.hostname, extraHosts: s.extraHosts,
    logging: s.logging, privileged: s.privileged, readOnly: s.readOnly, init: s.init, capAdd: s.capAdd, capDrop: s.capDrop, devices: s.devices,
    securityOpt: s.securityOpt, sysctls: s.sysctls, ulimits: s.ulimits, stopSignal: s.stopSignal, stopGracePeriodNs: s.stopGracePeriodNs,
    shmSizeBytes: s.shmSizeBytes, memoryLimitBytes: s.memoryLimitBytes, nanoCpus: s.nanoCpus,
  };
}

function dirnameOf(file: string): string {
  const at = file.lastIndexOf('/');
  return at <= 0 ? '/' : file.slice(0, at);
}
