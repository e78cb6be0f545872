/**
 * The top-level `networks`, `volumes`, `secrets` and `configs` of a Compose file.
 * Names follow Compose: `{project}_{key}` unless `name:` is given; an external network or
 * volume keeps its key (or its `name:`), since it exists already and is not created.
 * `external: {name: x}` (deprecated) is read as `name: x, external: true`.
 */
import type { ComposeFileObject, ComposeNetwork, ComposeVolume } from '../../api/types/compose';
import { CONFIG_KEYS, NETWORK_KEYS, SECRET_KEYS, VOLUME_KEYS } from './compose-keys';
import { Scope } from './compose-error';
import { resolveHostPath } from './host-path';
import { asMap, checkKeys, isNull, type KeyRule, readBoolean, readListOrDict, readNonEmptyString, readString, scalarText, sortedRecord } from './read-values';
import type { YEntry, YMap, YNode } from './yaml-tree';

export const RESOURCE_KEY = /^[a-zA-Z0-9._-]+$/;

export interface ResourceContext {
  file: string;
  project: string;
  projectDir: string;
  home: string | undefined;
}

type Kind = 'network' | 'volume' | 'secret' | 'config';

/** Each resource mapping of a top-level section, by key; a resource written with no value (`data:`) is an empty mapping. */
function eachResource(node: YNode | undefined, kind: Kind, context: ResourceContext, rules: Record<string, KeyRule>, read: (map: YMap | null, scope: Scope, key: string, at: YEntry) => void): void {
  if (node === undefined || isNull(node)) return;
  const section = asMap(node, new Scope(context.file, '', `${kind}s`));
  // Keys here are names chosen by the user: an `x-` key is a resource, not an extension (as in compose-go).
  for (const entry of section.entries.values()) {
    const scope = new Scope(context.file, `${kind} ${entry.key}`);
    if (!RESOURCE_KEY.test(entry.key)) scope.fail(entry, `"${entry.key}" is not a valid ${kind} name`, 'use letters, digits, ".", "_" and "-"');
    const map = isNull(entry.value) ? null : asMap(entry.value, scope);
    if (map !== null) checkKeys(map, scope, rules);
    read(map, scope, entry.key, entry);
  }
}

interface Common {
  name: string;
  external: boolean;
  driver: string | null;
  driverOpts: Record<string, string>;
  labels: Record<string, string>;
}

function readCommon(map: YMap | null, scope: Scope, key: string, context: ResourceContext, defaultDriver: string): Common {
  const get = (name: string) => map?.entries.get(name);
  let name: string | null = null;
  const nameEntry = get('name');
  if (nameEntry !== undefined) name = readNonEmptyString(nameEntry.value, scope.field('name'), 'give the name the engine should use');
  let external = false;
  const externalEntry = get('external');
  if (externalEntry !== undefined) {
    if (externalEntry.value.kind === 'map') {
      external = true;
      const legacy = externalEntry.value.entries.get('name');
      if (legacy !== undefined) {
        const legacyName = readString(legacy.value, scope.field('external.name'));
        if (name !== null && name !== legacyName) scope.fail(legacy, 'name and external.name differ', 'keep only name: (external.name is deprecated)');
        name = legacyName;
      }
    } else {
      external = readBoolean(externalEntry.value, scope.field('external'));
    }
  }
  if (external) {
    for (const option of ['driver', 'driver_opts', 'labels', 'internal']) {
      const entry = get(option);
      if (entry !== undefined) scope.fail(entry, `an external ${scope.owner.split(' ')[0]} is not created by Compose, so ${option} does not apply`, `remove ${option}, or remove external: true`);
    }
  }
  const driverEntry = get('driver');
  const optsEntry = get('driver_opts');
  const labelsEntry = get('labels');
  return {
    name: name ?? (external ? key : `${context.project}_${key}`),
    external,
    driver: external ? null : driverEntry === undefined ? defaultDriver : readNonEmptyString(driverEntry.value, scope.field('driver'), `give a driver name such as ${defaultDriver}`),
    driverOpts: optsEntry === undefined ? {} : readOptions(optsEntry.value, scope.field('driver_opts')),
    labels: labelsEntry === undefined ? {} : readLabels(labelsEntry.value, scope.field('labels')),
  };
}

/** `driver_opts` and logging `options`: a mapping of strings or numbers. */
export function readOptions(node: YNode, scope: Scope): Record<string, string> {
  const map = asMap(node, scope);
  return sortedRecord([...map.entries.values()].map((entry): [string, string] => [entry.key, scalarText(entry.value, scope.field(entry.key), false) as string]));
}

/** Labels as a mapping or a `KEY=value` list; a label without a value is ''. */
export function readLabels(node: YNode, scope: Scope): Record<string, string> {
  return sortedRecord([...readListOrDict(node, scope)].map(([key, { value }]): [string, string] => [key, value ?? '']));
}

export function readNetworks(node: YNode | undefined, context: ResourceContext): Map<string, ComposeNetwork> {
  const networks = new Map<string, ComposeNetwork>();
  eachResource(node, 'network', context, NETWORK_KEYS, (map, scope, key) => {
    const common = readCommon(map, scope, key, context, 'bridge');
    const internal = map?.entries.get('internal');
    networks.set(key, { ...common, internal: internal === undefined ? false : readBoolean(internal.value, scope.field('internal')) });
  });
  return networks;
}

export function readVolumes(node: YNode | undefined, context: ResourceContext): Map<string, ComposeVolume> {
  const volumes = new Map<string, ComposeVolume>();
  eachResource(node, 'volume', context, VOLUME_KEYS, (map, scope, key) => volumes.set(key, readCommon(map, scope, key, context, 'local')));
  return volumes;
}

export function readFileObjects(node: YNode | undefined, kind: 'secret' | 'config', context: ResourceContext): Map<string, ComposeFileObject> {
  const objects = new Map<string, ComposeFileObject>();
  eachResource(node, kind, context, kind === 'secret' ? SECRET_KEYS : CONFIG_KEYS, (map, scope, key, at) => {
    const fileEntry = map?.entries.get('file') ?? scope.fail(at, 'has no file', `give the file that holds it, e.g. file: ./${key}.txt`);
    const given = readNonEmptyString(fileEntry.value, scope.field('file'), 'give the path of the file');
    const resolved = resolveHostPath(given, context.projectDir, context.home);
    if (!resolved.ok) throw scope.field('file').error(fileEntry.value, resolved.why, resolved.hint);
    const nameEntry = map?.entries.get('name');
    const name = nameEntry === undefined ? `${context.project}_${key}` : readNonEmptyString(nameEntry.value, scope.field('name'), `give a name for the ${kind}`);
    objects.set(key, { name, file: resolved.path });
  });
  return objects;
}
