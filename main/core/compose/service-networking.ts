/**
 * How a service is connected and what it waits for: `networks` (list, or mapping with
 * `aliases`), `network_mode` (host, none, bridge, service:NAME; container:… is refused),
 * `depends_on` (list, or mapping with condition, required, restart) and `extra_hosts`
 * (list of `host:ip` / `host=ip`, or mapping of host to one IP or a list).
 */
import type { ComposeDependency, ComposeNetworkMode, ComposeServiceNetwork, DependencyCondition } from '../../api/types/compose';
import { DEPENDENCY_KEYS, SERVICE_NETWORK_KEYS } from './compose-keys';
import type { Located, Scope } from './compose-error';
import { isIP } from './ip-address';
import { asMap, checkKeys, isNull, readBoolean, readString, readStringList, scalarText, sortedRecord, uniqueSorted } from './read-values';
import { RESOURCE_KEY } from './resources';
import type { YNode } from './yaml-tree';

/** A service's networks by key, each with the line that names it (for "undefined network" errors). */
export type ServiceNetworks = Map<string, { network: ComposeServiceNetwork; at: Located }>;

export function readServiceNetworks(node: YNode, scope: Scope): ServiceNetworks {
  const networks: ServiceNetworks = new Map();
  if (node.kind === 'list') {
    readStringList(node, scope).forEach((name, index) => {
      if (networks.has(name)) scope.field(index).fail(node.items[index], `network ${name} is listed twice`, 'list each network once');
      networks.set(name, { network: { aliases: [] }, at: node.items[index] });
    });
    return networks;
  }
  const map = asMap(node, scope, 'a list of networks or a mapping of network to settings');
  for (const entry of map.entries.values()) {
    const entryScope = scope.field(entry.key);
    if (!RESOURCE_KEY.test(entry.key)) entryScope.fail(entry, `"${entry.key}" is not a valid network name`, 'use letters, digits, ".", "_" and "-"');
    let aliases: string[] = [];
    if (!isNull(entry.value)) {
      const settings = asMap(entry.value, entryScope);
      checkKeys(settings, entryScope, SERVICE_NETWORK_KEYS);
      const aliasesNode = settings.entries.get('aliases')?.value;
      if (aliasesNode !== undefined) aliases = uniqueSorted(readStringList(aliasesNode, entryScope.field('aliases')));
    }
    networks.set(entry.key, { network: { aliases }, at: entry });
  }
  return networks;
}

export function readNetworkMode(node: YNode, scope: Scope): ComposeNetworkMode {
  const mode = readString(node, scope);
  if (mode === 'host' || mode === 'none' || mode === 'bridge') return mode;
  if (mode.startsWith('service:') && mode.length > 'service:'.length) return mode as ComposeNetworkMode;
  if (mode.startsWith('container:')) {
    scope.fail(node, `${mode} is not supported: Tagkeeper manages only the containers of its apps`, 'use service:NAME to share the network of a service of this app');
  }
  return scope.fail(node, `"${mode}" is not a network mode`, 'use host, none, bridge or service:NAME, or attach the service to networks instead');
}

const CONDITIONS: readonly DependencyCondition[] = ['service_started', 'service_healthy', 'service_completed_successfully'];

/** By service name, with the line that names it and the key that made it (depends_on, or network_mode: service:NAME). */
export type Dependencies = Map<string, { dependency: ComposeDependency; at: Located; via: 'depends_on' | 'network_mode' }>;

export function readDependsOn(node: YNode, scope: Scope): Dependencies {
  const dependencies: Dependencies = new Map();
  if (node.kind === 'list') {
    readStringList(node, scope).forEach((name, index) => {
      dependencies.set(name, { dependency: { condition: 'service_started', required: true, restart: false }, at: node.items[index], via: 'depends_on' });
    });
    return dependencies;
  }
  const map = asMap(node, scope, 'a list of services or a mapping of service to condition');
  for (const entry of map.entries.values()) {
    const entryScope = scope.field(entry.key);
    // Keys are service names: an x- key is a service here, not an extension (as in compose-go).
    const settings = asMap(entry.value, entryScope, 'a mapping with condition');
    checkKeys(settings, entryScope, DEPENDENCY_KEYS);
    const conditionEntry = settings.entries.get('condition') ?? entryScope.fail(entry, 'condition is missing', 'add condition: service_started, service_healthy or service_completed_successfully');
    const conditionText = readString(conditionEntry.value, entryScope.field('condition'));
    const condition = CONDITIONS.find((known) => known === conditionText) ?? entryScope.field('condition').fail(conditionEntry, `"${conditionText}" is not a condition`, `use ${CONDITIONS.join(', ')}`);
    const required = settings.entries.get('required');
    const restart = settings.entries.get('restart');
    dependencies.set(entry.key, {
      dependency: {
        condition,
        required: required === undefined ? true : readBoolean(required.value, entryScope.field('required')),
        restart: restart === undefined ? false : readBoolean(restart.value, entryScope.field('restart')),
      },
      at: entry,
      via: 'depends_on',
    });
  }
  return dependencies;
}

export function readExtraHosts(node: YNode, scope: Scope): Record<string, string[]> {
  const hosts = new Map<string, string[]>();
  const add = (host: string, ips: string[], at: YNode, itemScope: Scope) => {
    if (host === '' || /[:=]/.test(host)) itemScope.fail(at, `bad host name "${host}"`, 'write host:ip or host=ip, e.g. db.local:10.0.0.5');
    const cleaned = ips.map((ip) => (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip));
    for (const ip of cleaned) {
      if (!isIP(ip) && ip !== 'host-gateway') itemScope.fail(at, `"${ip}" is not an IP address for ${host}`, 'give an IPv4 or IPv6 address, or host-gateway');
    }
    hosts.set(host, [...(hosts.get(host) ?? []), ...cleaned]);
  };
  if (node.kind === 'list') {
    node.items.forEach((item, index) => {
      const itemScope = scope.field(index);
      const text = readString(item, itemScope, 'write host:ip or host=ip');
      const separator = text.includes('=') ? '=' : ':';
      const cut = text.indexOf(separator);
      if (cut < 0) itemScope.fail(item, `"${text}" has no IP address`, 'write host:ip or host=ip, e.g. db.local:10.0.0.5');
      add(text.slice(0, cut), text.slice(cut + 1).split(','), item, itemScope);
    });
  } else {
    for (const entry of asMap(node, scope, 'a list of host:ip or a mapping of host to IP').entries.values()) {
      const entryScope = scope.field(entry.key);
      const ips = entry.value.kind === 'list' ? readStringList(entry.value, entryScope) : [scalarText(entry.value, entryScope, true) ?? ''];
      add(entry.key, ips, entry.value, entryScope);
    }
  }
  return sortedRecord(hosts);
}
