/**
 * How a service's container runs: command and entrypoint, health check, restart policy,
 * pull policy, logging, devices, capabilities, ulimits, and the resource limits that can
 * be written in two places (`cpus` / `mem_limit` and `deploy.resources.limits`).
 */
import type { PullPolicy } from '../../api/types/apps';
import type { ComposeDevice, ComposeHealthcheck, ComposeLogging, ComposeRestart, ComposeUlimit } from '../../api/types/compose';
import { DEPLOY_KEYS, DEVICE_KEYS, HEALTHCHECK_KEYS, LIMITS_KEYS, LOGGING_KEYS, RESOURCES_KEYS, ULIMIT_KEYS } from './compose-keys';
import type { Scope } from './compose-error';
import { cleanContainerPath } from './host-path';
import { asList, asMap, checkKeys, compareText, isNull, readBoolean, readDurationNs, readInteger, readNonEmptyString, readSizeBytes, readString, readStringList, scalarText, sortedRecord, uniqueSorted } from './read-values';
import { ShellWordsError, splitShellWords } from './shell-words';
import { cpusToNano, parseDecimal } from './units';
import type { YMap, YNode } from './yaml-tree';

/** `command:` / `entrypoint:`: a list as it is, a string split as Compose splits it; null keeps the image's. */
export function readCommand(node: YNode, scope: Scope): string[] | null {
  if (isNull(node)) return null;
  if (node.kind === 'list') return readStringList(node, scope);
  const line = readString(node, scope, 'write a string or a list of strings');
  try {
    return splitShellWords(line);
  } catch (error) {
    if (!(error instanceof ShellWordsError)) throw error;
    return scope.fail(node, `cannot split ${JSON.stringify(line)} into words: ${error.message}`, 'write it as a list, e.g. ["sh", "-c", "migrate && serve"]');
  }
}

export function readHealthcheck(node: YNode, scope: Scope): ComposeHealthcheck {
  const map = asMap(node, scope);
  checkKeys(map, scope, HEALTHCHECK_KEYS);
  const get = (key: string) => map.entries.get(key)?.value;
  const duration = (key: string) => {
    const value = get(key);
    return value === undefined ? null : readDurationNs(value, scope.field(key));
  };
  const disableNode = get('disable');
  if (disableNode !== undefined && readBoolean(disableNode, scope.field('disable'))) {
    const other = [...map.entries.values()].find((entry) => entry.key !== 'disable' && !entry.key.startsWith('x-'));
    if (other !== undefined) scope.fail(other, `${other.key} does nothing when disable is true`, `remove ${other.key}, or remove disable: true`);
    return { test: ['NONE'], intervalNs: null, timeoutNs: null, startPeriodNs: null, startIntervalNs: null, retries: null };
  }
  const retries = get('retries');
  return {
    test: readHealthTest(get('test'), scope.field('test')),
    intervalNs: duration('interval'),
    timeoutNs: duration('timeout'),
    startPeriodNs: duration('start_period'),
    startIntervalNs: duration('start_interval'),
    retries: retries === undefined ? null : readInteger(retries, scope.field('retries')),
  };
}

function readHealthTest(node: YNode | undefined, scope: Scope): string[] | null {
  if (node === undefined || isNull(node)) return null;
  if (node.kind === 'scalar' && typeof node.value === 'string') return ['CMD-SHELL', node.value];
  const test = readStringList(node, scope);
  if (test.length === 0) return null;
  if (!['CMD', 'CMD-SHELL', 'NONE'].includes(test[0])) {
    scope.fail(node, `must start with "CMD", "CMD-SHELL" or "NONE", not ${JSON.stringify(test[0])}`, 'write ["CMD", "curl", "-f", "http://localhost"] or a string to run in a shell');
  }
  if (test[0] !== 'NONE' && test.length < 2) scope.fail(node, `${test[0]} needs a command after it`, `write ["${test[0]}", …the command…]`);
  return test;
}

export function readRestart(node: YNode, scope: Scope): ComposeRestart {
  const text = readString(node, scope, 'write no, always, unless-stopped or on-failure[:N]');
  const match = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(text);
  if (match === null || (match[2] !== undefined && match[1] !== 'on-failure')) {
    scope.fail(node, `"${text}" is not a restart policy`, 'use no, always, unless-stopped or on-failure[:N] (quote "no")');
  }
  return { policy: match[1] as ComposeRestart['policy'], maxRetries: match[2] === undefined ? 0 : Number(match[2]) };
}

export function readPullPolicy(node: YNode, scope: Scope): PullPolicy {
  const text = readString(node, scope);
  if (text === 'always' || text === 'never') return text;
  if (text === 'missing' || text === 'if_not_present') return 'if-not-present';
  if (text === 'build') scope.fail(node, 'pull_policy build is not supported: Tagkeeper runs images from a registry or a bundle', 'use always, missing or never');
  if (text === 'daily' || text === 'weekly' || text.startsWith('every_')) {
    scope.fail(node, `pull_policy ${text} is not supported: Tagkeeper checks for new images on its own schedule`, 'use always, missing or never, and set the check interval in Tagkeeper (settings set check-interval 24h)');
  }
  return scope.fail(node, `"${text}" is not a pull policy`, 'use always, missing (if_not_present) or never');
}

export function readLogging(node: YNode, scope: Scope): ComposeLogging {
  const map = asMap(node, scope);
  checkKeys(map, scope, LOGGING_KEYS);
  const driver = map.entries.get('driver')?.value;
  const options = map.entries.get('options')?.value;
  return {
    driver: driver === undefined ? null : readNonEmptyString(driver, scope.field('driver'), 'name a logging driver such as json-file or journald'),
    options: options === undefined || isNull(options) ? {} : readOptionsAllowingNull(options, scope.field('options')),
  };
}

function readOptionsAllowingNull(node: YNode, scope: Scope): Record<string, string> {
  const map = asMap(node, scope);
  return sortedRecord([...map.entries.values()].map((entry): [string, string] => [entry.key, scalarText(entry.value, scope.field(entry.key), true) ?? '']));
}

export function readDevices(node: YNode, scope: Scope): ComposeDevice[] {
  const devices = asList(node, scope).items.map((item, index): ComposeDevice => {
    const itemScope = scope.field(index);
    let source: string;
    let target: string;
    let permissions = 'rwm';
    if (item.kind === 'map') {
      checkKeys(item, itemScope, DEVICE_KEYS);
      source = readString(item.entries.get('source')?.value ?? itemScope.fail(item, 'source is missing', 'give the host device as source: /dev/ttyUSB0'), itemScope.field('source'));
      const targetNode = item.entries.get('target')?.value;
      target = targetNode === undefined ? source : readString(targetNode, itemScope.field('target'));
      const permissionsNode = item.entries.get('permissions')?.value;
      if (permissionsNode !== undefined) permissions = readString(permissionsNode, itemScope.field('permissions'));
    } else {
      const parts = readString(item, itemScope, 'write /dev/HOST[:/dev/CONTAINER[:rwm]]').split(':');
      if (parts.length > 3) itemScope.fail(item, `"${parts.join(':')}" is not a device mapping`, 'write /dev/HOST[:/dev/CONTAINER[:rwm]], or use the long syntax');
      source = parts[0];
      target = parts[1] || source;
      if (parts[2] !== undefined) permissions = parts[2];
    }
    for (const [what, path] of [['host', source], ['container', target]] as const) {
      if (cleanContainerPath(path) === null) itemScope.fail(item, `the ${what} device "${path}" is not an absolute path`, 'write /dev/HOST[:/dev/CONTAINER[:rwm]]');
    }
    if (!/^[rwm]+$/.test(permissions) || new Set(permissions).size !== permissions.length) {
      itemScope.fail(item, `"${permissions}" are not device permissions`, 'use some of r, w and m, e.g. rwm or r');
    }
    return { source, target, permissions: ['r', 'w', 'm'].filter((p) => permissions.includes(p)).join('') };
  });
  return devices.sort((a, b) => compareText(a.target, b.target) || compareText(a.source, b.source));
}

/** `NET_ADMIN`, `cap_net_admin` → `CAP_NET_ADMIN`, as the engine normalizes them; `ALL` stays. */
export function readCapabilities(node: YNode, scope: Scope): string[] {
  return uniqueSorted(
    asList(node, scope, 'a list of capabilities').items.map((item, index) => {
      const name = readString(item, scope.field(index));
      const upper = name.trim().toUpperCase();
      if (!/^[A-Z0-9_]+$/.test(upper)) scope.field(index).fail(item, `"${name}" is not a capability`, 'write a capability such as NET_ADMIN or SYS_TIME');
      return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    }),
  );
}

export function readUlimits(node: YNode, scope: Scope): Record<string, ComposeUlimit> {
  const map = asMap(node, scope);
  const limits = [...map.entries.values()].map((entry): [string, ComposeUlimit] => {
    const entryScope = scope.field(entry.key);
    if (!/^[a-z]+$/.test(entry.key)) entryScope.fail(entry, `"${entry.key}" is not a ulimit name`, 'use names such as nofile, nproc or memlock');
    if (entry.value.kind !== 'map') {
      const both = readInteger(entry.value, entryScope, -1);
      return [entry.key, { soft: both, hard: both }];
    }
    checkKeys(entry.value, entryScope, ULIMIT_KEYS);
    const soft = entry.value.entries.get('soft') ?? entryScope.fail(entry, 'soft is missing', 'give both soft: and hard:');
    const hard = entry.value.entries.get('hard') ?? entryScope.fail(entry, 'hard is missing', 'give both soft: and hard:');
    const limit = { soft: readInteger(soft.value, entryScope.field('soft'), -1), hard: readInteger(hard.value, entryScope.field('hard'), -1) };
    if (limit.hard !== -1 && (limit.soft === -1 || limit.soft > limit.hard)) entryScope.fail(entry, `soft limit ${limit.soft} is above the hard limit ${limit.hard}`, 'make soft at most hard');
    return [entry.key, limit];
  });
  return sortedRecord(limits);
}

export interface Limits {
  nanoCpus: number | null;
  memoryLimitBytes: number | null;
}

/** `cpus` and `mem_limit`, and the same limits under `deploy.resources.limits`; two different values are an error. */
export function readLimits(service: YMap, scope: Scope): Limits {
  const cpusNode = service.entries.get('cpus')?.value;
  const memNode = service.entries.get('mem_limit')?.value;
  const limits: Limits = {
    nanoCpus: cpusNode === undefined ? null : readNanoCpus(cpusNode, scope.field('cpus')),
    memoryLimitBytes: memNode === undefined ? null : zeroIsUnset(readSizeBytes(memNode, scope.field('mem_limit'))),
  };
  const deployNode = service.entries.get('deploy')?.value;
  if (deployNode === undefined || isNull(deployNode)) return limits;
  const deployScope = scope.field('deploy');
  const deploy = asMap(deployNode, deployScope);
  checkKeys(deploy, deployScope, DEPLOY_KEYS);
  const resourcesNode = deploy.entries.get('resources')?.value;
  if (resourcesNode === undefined) return limits;
  const resourcesScope = deployScope.field('resources');
  const resources = asMap(resourcesNode, resourcesScope);
  checkKeys(resources, resourcesScope, RESOURCES_KEYS);
  const limitsNode = resources.entries.get('limits')?.value;
  if (limitsNode === undefined) return limits;
  const limitsScope = resourcesScope.field('limits');
  const deployLimits = asMap(limitsNode, limitsScope);
  checkKeys(deployLimits, limitsScope, LIMITS_KEYS);
  const deployCpus = deployLimits.entries.get('cpus');
  if (deployCpus !== undefined) {
    const value = readNanoCpus(deployCpus.value, limitsScope.field('cpus'));
    if (limits.nanoCpus !== null && value !== limits.nanoCpus) {
      limitsScope.field('cpus').fail(deployCpus, 'differs from cpus', 'give the CPU limit once, in cpus: or in deploy.resources.limits.cpus');
    }
    limits.nanoCpus = value;
  }
  const deployMemory = deployLimits.entries.get('memory');
  if (deployMemory !== undefined) {
    const value = zeroIsUnset(readSizeBytes(deployMemory.value, limitsScope.field('memory')));
    if (limits.memoryLimitBytes !== null && value !== limits.memoryLimitBytes) {
      limitsScope.field('memory').fail(deployMemory, 'differs from mem_limit', 'give the memory limit once, in mem_limit: or in deploy.resources.limits.memory');
    }
    limits.memoryLimitBytes = value;
  }
  return limits;
}

/** CPUs as a number of cores; 0 means no limit, as for the engine. */
function readNanoCpus(node: YNode, scope: Scope): number | null {
  const value = node.kind === 'scalar' ? (typeof node.value === 'number' ? node.value : typeof node.value === 'string' ? parseDecimal(node.value) : null) : null;
  const nano = value === null ? null : cpusToNano(value);
  if (nano === null) scope.fail(node, 'is not a number of CPUs', 'write a number such as 0.5 or 2');
  return zeroIsUnset(nano);
}

function zeroIsUnset(value: number): number | null {
  return value === 0 ? null : value;
}
