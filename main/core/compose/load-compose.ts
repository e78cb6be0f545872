/**
 * Loads a Compose file the way `docker compose` (v2, compose-go) reads it, into the
 * normalized ComposeProject: parse the YAML, decide the variables and the project name,
 * interpolate every value, read the top-level resources and each service, keep the
 * services whose profiles are enabled, add the implicit `default` network, and check every
 * reference (services, networks, volumes, secrets, configs) and the start order.
 *
 * Pure: no file system access of its own; every file (env files, `.env`, `env_file:`) is
 * read through `readFile`. Every problem is a TagkeeperError('invalid-input') whose message
 * names the file, the line and the field, and whose hint says what to do.
 */
import { posix } from 'node:path';
import type { ComposeNetwork, ComposeProject, ComposeService } from '../../api/types/compose';
import { TOP_LEVEL_KEYS } from './compose-keys';
import { composeError, Scope } from './compose-error';
import { InterpolationError, interpolateTree } from './interpolate';
import { activeProfiles, decideProjectName, projectVariables, type ReadFile } from './project-environment';
import { asMap, checkKeys, isNull, sortedRecord } from './read-values';
import { readFileObjects, readNetworks, readVolumes, RESOURCE_KEY } from './resources';
import { readService, type ReadService } from './normalize-service';
import { CYCLE_HINT, findCycle } from './start-order';
import { parseYaml } from './yaml-tree';

export interface LoadComposeInput {
  /** Absolute path of the Compose file: its folder is the project folder; messages show its base name. */
  file: string;
  /** The file's text. */
  text: string;
  /** As `docker compose -p`: wins over COMPOSE_PROJECT_NAME and `name:`; must already be normal ([a-z0-9_-]). Empty or absent: decided as Compose does. */
  projectName?: string;
  /** The process environment to use (it wins over env files); HOME expands `~`. */
  environment: Record<string, string>;
  /** As `--env-file` (absolute paths, in order, each must exist); absent or empty: the project folder's `.env` if present. */
  envFiles?: string[];
  /** As `--profile`; absent or empty: COMPOSE_PROFILES. `*` enables all. */
  profiles?: string[];
  /** Reads a file (UTF-8); throws an error with code 'ENOENT' when it does not exist, as node:fs does. */
  readFile: ReadFile;
}

export function loadCompose(input: LoadComposeInput): ComposeProject {
  const { file } = input;
  const projectDir = posix.dirname(file);
  const root = parseYaml(input.text, file);
  if (root === null) throw composeError(file, null, '', 'the Compose file is empty', 'give at least services: with one service and its image:');
  const top = asMap(root, new Scope(file, '', ''), 'a mapping (services:, networks:, volumes: …)');
  checkKeys(top, new Scope(file, ''), TOP_LEVEL_KEYS);

  const variables = projectVariables({ projectDir, environment: input.environment, envFiles: input.envFiles, readFile: input.readFile });
  const nameEntry = top.entries.get('name');
  if (nameEntry !== undefined && (nameEntry.value.kind !== 'scalar' || typeof nameEntry.value.value !== 'string')) {
    throw composeError(file, nameEntry.line, 'name', 'must be a string', 'write name: my-app');
  }
  const name = decideProjectName({
    file,
    given: input.projectName,
    variables,
    nameInFile: nameEntry === undefined ? null : { text: nameEntry.value.kind === 'scalar' ? String(nameEntry.value.value) : '', line: nameEntry.line },
    projectDir,
  });
  variables.COMPOSE_PROJECT_NAME = name;

  interpolateTree(
    top,
    (variable) => (Object.hasOwn(variables, variable) ? variables[variable] : undefined),
    (error: InterpolationError, path, at) => {
      throw composeError(file, at.line, describePath(path), error.message, error.hint);
    },
  );

  // `~` is the HOME of the environment given (as compose-go uses the process's), not one from .env.
  const home = input.environment.HOME;
  const resourceContext = { file, project: name, projectDir, home };
  const networks = readNetworks(top.entries.get('networks')?.value, resourceContext);
  const volumes = readVolumes(top.entries.get('volumes')?.value, resourceContext);
  const secrets = readFileObjects(top.entries.get('secrets')?.value, 'secret', resourceContext);
  const configs = readFileObjects(top.entries.get('configs')?.value, 'config', resourceContext);

  const servicesNode = top.entries.get('services')?.value;
  if (servicesNode === undefined || isNull(servicesNode)) {
    throw composeError(file, null, '', 'the Compose file has no services', 'add services: with at least one service and its image:');
  }
  const serviceContext = {
    file,
    variables,
    projectDir,
    home,
    readFile: input.readFile,
    volumes: new Set(volumes.keys()),
    secrets: new Set(secrets.keys()),
    configs: new Set(configs.keys()),
  };
  const all = new Map<string, ReadService>();
  for (const entry of asMap(servicesNode, new Scope(file, '', 'services')).entries.values()) {
    if (!RESOURCE_KEY.test(entry.key)) {
      throw composeError(file, entry.line, `service ${entry.key}`, 'is not a valid service name', 'use letters, digits, ".", "_" and "-"');
    }
    all.set(entry.key, readService(entry, serviceContext));
  }

  const enabled = enabledServices(all, activeProfiles(input.profiles, variables));
  if (enabled.size === 0) {
    throw composeError(file, null, '', 'no service is enabled: every service has a profile that is not active', 'enable a profile (--profile NAME or COMPOSE_PROFILES)');
  }
  const services = [...enabled.values()].map((read) => checkReferences(read, all, enabled, file));
  checkCycle(services, enabled, file);

  for (const read of enabled.values()) {
    for (const [key, { at }] of read.networks ?? []) {
      if (networks.has(key)) continue;
      if (key !== 'default') {
        throw composeError(file, at.line, `service ${read.service.name}`, `refers to undefined network ${JSON.stringify(key)}`, `declare it under the top-level networks (networks: {${key}: {}})`);
      }
      networks.set('default', defaultNetwork(name));
    }
  }

  return {
    name,
    services: services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    networks: sortedRecord(networks),
    volumes: sortedRecord(volumes),
    secrets: sortedRecord(secrets),
    configs: sortedRecord(configs),
  };
}

/** compose-go's HasProfile: no profiles, or one of them active, or `*` active. */
function enabledServices(all: Map<string, ReadService>, profiles: string[]): Map<string, ReadService> {
  const enabled = new Map<string, ReadService>();
  for (const [name, read] of all) {
    if (read.profiles.length === 0 || profiles.includes('*') || read.profiles.some((profile) => profiles.includes(profile))) enabled.set(name, read);
  }
  return enabled;
}

/** Dependencies must name services; on a disabled one they are an error, unless `required: false` (then dropped). */
function checkReferences(read: ReadService, all: Map<string, ReadService>, enabled: Map<string, ReadService>, file: string): ComposeService {
  const scope: Scope = new Scope(file, `service ${read.service.name}`);
  const dependsOn = { ...read.service.dependsOn };
  for (const [dependency, { dependency: settings, at, via }] of read.dependencies) {
    const target = all.get(dependency);
    if (target === undefined) scope.fail(at, `${via} refers to undefined service ${JSON.stringify(dependency)}`, `define service ${dependency}, or fix the name`);
    if (enabled.has(dependency)) continue;
    if (!settings.required) {
      delete dependsOn[dependency];
      continue;
    }
    scope.fail(at, `depends on service ${dependency}, which is not enabled (its profiles: ${target.profiles.join(', ')})`, `enable one of its profiles (--profile ${target.profiles[0]}), give ${read.service.name} the same profile, or mark the dependency required: false`);
  }
  return { ...read.service, dependsOn: sortedRecord(Object.entries(dependsOn)) };
}

function checkCycle(services: ComposeService[], enabled: Map<string, ReadService>, file: string): void {
  const cycle = findCycle(services);
  if (cycle === null) return;
  const first = enabled.get(cycle[0]) as ReadService;
  const at = first.dependencies.get(cycle[1])?.at ?? first.at;
  throw composeError(file, at.line, `service ${cycle[0]}`, `services depend on each other in a cycle: ${cycle.join(' → ')}`, CYCLE_HINT);
}

function defaultNetwork(project: string): ComposeNetwork {
  return { name: `${project}_default`, external: false, driver: 'bridge', driverOpts: {}, internal: false, labels: {} };
}

/** ['services', 'api', 'environment', 'DB'] → 'service api: environment.DB'. */
function describePath(path: (string | number)[]): string {
  const owners: Record<string, string> = { services: 'service', networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config' };
  const fieldPath = (parts: (string | number)[]) => parts.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
  const [first, second, ...rest] = path;
  if (typeof first === 'string' && owners[first] !== undefined && second !== undefined) {
    const owner = `${owners[first]} ${second}`;
    return rest.length === 0 ? owner : `${owner}: ${fieldPath(rest)}`;
  }
  return fieldPath(path);
}

