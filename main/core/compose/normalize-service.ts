/**
 * One service of a Compose file, from its (interpolated) YAML mapping to the normalized
 * ComposeService. Checks its keys first, so a refused key (`build:`) or a typo is the
 * error reported, then reads each key it supports. References to other services and to
 * networks are returned with their lines, for load-compose to check once it knows which
 * services are enabled.
 */
import { TagkeeperError } from '../../api/errors';
import { parseReference } from '../model/reference';
import type { ComposeFileMount, ComposeService } from '../../api/types/compose';
import { FILE_MOUNT_KEYS, SERVICE_KEYS } from './compose-keys';
import { type Located, Scope } from './compose-error';
import { cleanContainerPath } from './host-path';
import { type MountContext, readMounts, readTmpfs } from './mounts';
import { readPorts } from './ports';
import { asList, checkKeys, compareText, isNull, readBoolean, readDurationNs, readListOrDict, readNonEmptyString, readSizeBytes, readString, readStringList, sortedRecord, uniqueSorted } from './read-values';
import { readLabels } from './resources';
import { type EnvironmentContext, readServiceEnvironment } from './service-environment';
import { type Dependencies, readDependsOn, readExtraHosts, readNetworkMode, readServiceNetworks, type ServiceNetworks } from './service-networking';
import { readCapabilities, readCommand, readDevices, readHealthcheck, readLimits, readLogging, readPullPolicy, readRestart, readUlimits } from './service-runtime';
import type { YEntry, YMap, YNode } from './yaml-tree';

export interface ServiceContext extends EnvironmentContext, MountContext {
  file: string;
  secrets: ReadonlySet<string>;
  configs: ReadonlySet<string>;
}

/** A service read from the file, with what load-compose still has to check against the others. */
export interface ReadService {
  service: ComposeService;
  profiles: string[];
  /** Where the service is defined. */
  at: Located;
  /** null when network_mode is set. */
  networks: ServiceNetworks | null;
  dependencies: Dependencies;
}

const PROFILE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function readService(entry: YEntry, context: ServiceContext): ReadService {
  const scope: Scope = new Scope(context.file, `service ${entry.key}`);
  if (isNull(entry.value)) scope.fail(entry, 'has no definition', 'give it at least an image: name:tag');
  if (entry.value.kind !== 'map') scope.fail(entry, 'must be a mapping', 'write the service\'s keys (image:, ports: …) under its name');
  const map = entry.value;
  checkKeys(map, scope, SERVICE_KEYS);
  const image = readImage(map, entry, scope);
  const get = (key: string) => map.entries.get(key)?.value;
  const field = <T>(key: string, read: (node: YNode, scope: Scope) => T, fallback: T): T => {
    const node = get(key);
    return node === undefined ? fallback : read(node, scope.field(key));
  };

  const networkModeNode = get('network_mode');
  const networksNode = get('networks');
  if (networkModeNode !== undefined && networksNode !== undefined) {
    scope.fail(map.entries.get('networks') as YEntry, 'network_mode and networks cannot be used together', 'keep network_mode, or remove it and list the networks');
  }
  const networkMode = networkModeNode === undefined ? null : readNetworkMode(networkModeNode, scope.field('network_mode'));
  let networks: ServiceNetworks | null = null;
  if (networkMode === null) {
    networks = networksNode === undefined || isNull(networksNode) ? new Map() : readServiceNetworks(networksNode, scope.field('networks'));
    if (networks.size === 0) networks.set('default', { network: { aliases: [] }, at: entry });
  }
  const dependencies = field('depends_on', readDependsOn, new Map() as Dependencies);
  if (networkMode?.startsWith('service:') && !dependencies.has(networkMode.slice('service:'.length))) {
    dependencies.set(networkMode.slice('service:'.length), { dependency: { condition: 'service_started', required: true, restart: true }, at: map.entries.get('network_mode') as YEntry, via: 'network_mode' });
  }
  const limits = readLimits(map, scope);
  const mounts = field('volumes', (node, s) => readMounts(node, s, context), []);
  const tmpfs = field('tmpfs', readTmpfs, {});
  const secrets = field('secrets', (node, s) => fileMounts(node, s, 'secret', context.secrets), []);
  const configs = field('configs', (node, s) => fileMounts(node, s, 'config', context.configs), []);
  checkTargets(scope, map, [...Object.keys(tmpfs), ...mounts.map((m) => m.target), ...secrets.map((s) => s.target), ...configs.map((c) => c.target)]);

  const service: ComposeService = {
    name: entry.key,
    image,
    pullPolicy: field('pull_policy', readPullPolicy, null),
    command: field('command', readCommand, null),
    entrypoint: field('entrypoint', readCommand, null),
    environment: readServiceEnvironment(map, scope, context),
    labels: field('labels', readLabels, {}),
    ports: field('ports', readPorts, []),
    mounts,
    tmpfs,
    secrets,
    configs,
    networkMode,
    networks: networks === null ? {} : sortedRecord([...networks].map(([key, { network }]) => [key, network])),
    dependsOn: sortedRecord([...dependencies].map(([key, { dependency }]) => [key, dependency])),
    healthcheck: field('healthcheck', readHealthcheck, null),
    restart: field('restart', readRestart, { policy: 'no', maxRetries: 0 }),
    user: field('user', (node, s) => readNonEmptyString(node, s, 'write a user name or id, e.g. "1000" or "1000:1000" (in quotes)'), null),
    workingDir: field('working_dir', readAbsolutePath, null),
    hostname: field('hostname', (node, s) => readNonEmptyString(node, s, 'write a host name'), null),
    extraHosts: field('extra_hosts', readExtraHosts, {}),
    logging: field('logging', readLogging, null),
    privileged: field('privileged', readBoolean, false),
    readOnly: field('read_only', readBoolean, false),
    init: field('init', readBoolean, null),
    capAdd: field('cap_add', readCapabilities, []),
    capDrop: field('cap_drop', readCapabilities, []),
    devices: field('devices', readDevices, []),
    securityOpt: field('security_opt', (node, s) => uniqueSorted(readStringList(node, s)), []),
    sysctls: field('sysctls', readSysctls, {}),
    ulimits: field('ulimits', readUlimits, {}),
    stopSignal: field('stop_signal', (node, s) => readNonEmptyString(node, s, 'name a signal such as SIGTERM or SIGINT'), null),
    stopGracePeriodNs: field('stop_grace_period', readDurationNs, null),
    shmSizeBytes: field('shm_size', readSizeBytes, null),
    memoryLimitBytes: limits.memoryLimitBytes,
    nanoCpus: limits.nanoCpus,
  };
  return { service, profiles: field('profiles', readProfiles, []), at: entry, networks, dependencies };
}

function readImage(map: YMap, entry: YEntry, scope: Scope): string {
  const imageEntry = map.entries.get('image') ?? scope.fail(entry, 'has no image', 'give the image to run, e.g. image: redis:7 (Tagkeeper does not build images)');
  const text = readNonEmptyString(imageEntry.value, scope.field('image'), 'give the image to run, e.g. image: redis:7');
  try {
    return parseReference(text).canonical;
  } catch (error) {
    if (!(error instanceof TagkeeperError)) throw error;
    return scope.field('image').fail(imageEntry.value, error.message, error.hint ?? 'write name[:tag][@sha256:…]');
  }
}

function readAbsolutePath(node: YNode, scope: Scope): string {
  const text = readString(node, scope);
  return cleanContainerPath(text) ?? scope.fail(node, `"${text}" is not an absolute path`, 'give an absolute path in the container, e.g. /app');
}

function readSysctls(node: YNode, scope: Scope): Record<string, string> {
  return sortedRecord([...readListOrDict(node, scope)].map(([key, { value }]): [string, string] => [key, value ?? '']));
}

function readProfiles(node: YNode, scope: Scope): string[] {
  const profiles = asList(node, scope, 'a list of profile names').items.map((item, index) => {
    const profile = readString(item, scope.field(index));
    if (!PROFILE.test(profile)) scope.field(index).fail(item, `"${profile}" is not a valid profile name`, 'use letters, digits, "_", "." and "-", starting with a letter or digit');
    return profile;
  });
  return uniqueSorted(profiles);
}

/** Service `secrets:` / `configs:`: names, or {source, target}; mounted read-only. */
function fileMounts(node: YNode, scope: Scope, kind: 'secret' | 'config', declared: ReadonlySet<string>): ComposeFileMount[] {
  const mounts = asList(node, scope).items.map((item, index): ComposeFileMount => {
    const itemScope = scope.field(index);
    let source: string;
    let target: string | null = null;
    if (item.kind === 'map') {
      checkKeys(item, itemScope, FILE_MOUNT_KEYS);
      source = readString(item.entries.get('source')?.value ?? itemScope.fail(item, 'source is missing', `name the ${kind} as source:`), itemScope.field('source'));
      const targetNode = item.entries.get('target')?.value;
      if (targetNode !== undefined) target = readNonEmptyString(targetNode, itemScope.field('target'), `give the path in the container`);
    } else {
      source = readString(item, itemScope, `name a ${kind} declared under the top-level ${kind}s:`);
    }
    if (!declared.has(source)) itemScope.fail(item, `refers to undefined ${kind} ${JSON.stringify(source)}`, `declare it under the top-level ${kind}s: with file:`);
    // Compose mounts secrets under /run/secrets and configs under /, also a relative target.
    const base = kind === 'secret' ? '/run/secrets' : '';
    const path = target === null ? `${base}/${source}` : target.startsWith('/') ? target : `${base}/${target}`;
    return { source, target: cleanContainerPath(path) ?? path };
  });
  return mounts.sort((a, b) => compareText(a.target, b.target));
}

function checkTargets(scope: Scope, map: YMap, targets: string[]): void {
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target)) scope.fail(map.entries.get('volumes') ?? map, `${target} is mounted twice`, 'mount one thing at each path (volumes, tmpfs, secrets and configs together)');
    seen.add(target);
  }
}
