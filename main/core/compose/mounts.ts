/**
 * A service's `volumes` (short and long syntax) and `tmpfs`, normalized to mounts.
 *
 * Short syntax, split as compose-go's format.ParseVolume does:
 *   /data                     anonymous volume          data:/data[:ro]   named volume
 *   ./site:/usr/share/html:ro bind mount (a source starting with '.', '/' or '~'), host path created if missing
 *   options after the second ':' — ro, rw, nocopy, z, Z, [r]shared, [r]slave, [r]private
 * Long syntax: {type: volume|bind|tmpfs, source, target, read_only, bind: {…}, volume: {…}, tmpfs: {…}}.
 * A named volume must be declared under the top-level `volumes:`.
 */
import type { ComposeBindMount, ComposeMount } from '../../api/types/compose';
import { BIND_KEYS, MOUNT_KEYS, TMPFS_MOUNT_KEYS, VOLUME_MOUNT_KEYS } from './compose-keys';
import type { Scope } from './compose-error';
import { cleanContainerPath, resolveHostPath } from './host-path';
import { asList, asMap, checkKeys, compareText, readBoolean, readSizeBytes, readString, sortedRecord } from './read-values';
import type { YMap, YNode } from './yaml-tree';

export interface MountContext {
  projectDir: string;
  home: string | undefined;
  /** Keys of the top-level volumes. */
  volumes: ReadonlySet<string>;
}

const SHORT_HINT = 'write VOLUME:/path, ./host/path:/path or /path, with :ro to mount read-only';
const PROPAGATIONS = ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'] as const;
type Propagation = (typeof PROPAGATIONS)[number];

export function readMounts(node: YNode, scope: Scope, context: MountContext): ComposeMount[] {
  const mounts = asList(node, scope).items.map((item, index) => {
    const itemScope = scope.field(index);
    if (item.kind === 'map') return longMount(item, itemScope, context);
    return shortMount(readString(item, itemScope, SHORT_HINT), item, itemScope, context);
  });
  return mounts.sort((a, b) => compareText(a.target, b.target));
}

/** `tmpfs: /run` or a list of `/path[:options]` → path → options. */
export function readTmpfs(node: YNode, scope: Scope): Record<string, string> {
  const single = node.kind === 'scalar' && typeof node.value === 'string';
  const items = single ? [node] : asList(node, scope, 'a path or a list of paths').items;
  const entries = items.map((item, index): [string, string] => {
    const itemScope = single ? scope : scope.field(index);
    const spec = readString(item, itemScope);
    const colon = spec.indexOf(':');
    const path = colon < 0 ? spec : spec.slice(0, colon);
    const target = cleanContainerPath(path) ?? itemScope.fail(item, `"${path}" is not an absolute path`, 'write /path or /path:size=64m,mode=1777');
    return [target, colon < 0 ? '' : spec.slice(colon + 1)];
  });
  const record = sortedRecord(entries);
  if (Object.keys(record).length !== entries.length) scope.fail(node, 'a path is given twice', 'give each tmpfs path once');
  return record;
}

interface ShortSpec {
  source: string;
  target: string;
  options: string[];
}

/** compose-go's ParseVolume: fields split on ':' (not inside `${…}`, not after a one-letter drive). */
function splitShort(spec: string): ShortSpec | string {
  if (spec.length === 0) return 'it is empty';
  if (spec.length <= 2) return { source: '', target: spec, options: [] };
  const result: ShortSpec = { source: '', target: '', options: [] };
  let buffer = '';
  let inVariable = 0;
  const chars = [...spec];
  for (let i = 0; i <= chars.length; i++) {
    const char = i < chars.length ? chars[i] : null;
    if (char === '$' && chars[i + 1] === '{') {
      inVariable++;
      buffer += char;
      continue;
    }
    if (char === '}' && inVariable > 0) {
      inVariable--;
      buffer += char;
      continue;
    }
    if (char === ':' && buffer.length === 1 && /\p{L}/u.test(buffer)) {
      buffer += char;
    } else if ((char === ':' || char === null) && inVariable === 0) {
      if (buffer === '') return 'a section between colons is empty';
      if (result.source === '' && char === null) result.target = buffer;
      else if (result.source === '') result.source = buffer;
      else if (result.target === '') result.target = buffer;
      else if (char === ':') return 'it has too many colons';
      else result.options = buffer.split(',');
      buffer = '';
    } else if (char !== null) {
      buffer += char;
    }
  }
  return result;
}

function shortMount(spec: string, at: YNode, scope: Scope, context: MountContext): ComposeMount {
  const bad = (why: string, hint = SHORT_HINT): never => scope.fail(at, `${JSON.stringify(spec)} is not a valid volume: ${why}`, hint);
  const parsed = splitShort(spec);
  if (typeof parsed === 'string') return bad(parsed);
  const target = cleanContainerPath(parsed.target) ?? bad(`the container path "${parsed.target}" is not absolute`);
  let readOnly = false;
  let noCopy = false;
  let propagation: Propagation | null = null;
  let selinux: 'z' | 'Z' | null = null;
  for (const option of parsed.options) {
    if (option === 'ro' || option === 'rw') readOnly = option === 'ro';
    else if (option === 'nocopy') noCopy = true;
    else if (option === 'z' || option === 'Z') selinux = option;
    else propagation = PROPAGATIONS.find((known) => known === option) ?? bad(`unknown option "${option}"`, 'use ro, rw, nocopy, z, Z or a propagation (rprivate, shared, slave …)');
  }
  const isBind = /^[./~]/.test(parsed.source) || /^\p{L}:/u.test(parsed.source) || parsed.source.startsWith('\\\\');
  if (isBind) {
    if (noCopy) bad('nocopy applies to volumes, not to bind mounts');
    return { type: 'bind', source: hostPath(parsed.source, at, scope, context), target, readOnly, createHostPath: true, propagation, selinux };
  }
  if (propagation !== null || selinux !== null) bad('propagation and SELinux options apply to bind mounts, not to volumes');
  const source = parsed.source === '' ? null : declaredVolume(parsed.source, at, scope, context);
  return { type: 'volume', source, target, readOnly, noCopy, subpath: null };
}

function longMount(map: YMap, scope: Scope, context: MountContext): ComposeMount {
  checkKeys(map, scope, MOUNT_KEYS);
  const get = (key: string) => map.entries.get(key)?.value;
  const typeNode = get('type') ?? scope.fail(map, 'type is missing', 'give type: volume, bind or tmpfs');
  const type = readString(typeNode, scope.field('type'));
  if (type !== 'volume' && type !== 'bind' && type !== 'tmpfs') {
    const known = ['cluster', 'npipe', 'image'].includes(type);
    scope.field('type').fail(typeNode, known ? `${type} mounts are not supported` : `"${type}" is not a mount type`, 'use volume, bind or tmpfs');
  }
  const targetNode = get('target') ?? scope.fail(map, 'target is missing', 'give the path in the container as target: /data');
  const targetText = readString(targetNode, scope.field('target'));
  const target = cleanContainerPath(targetText) ?? scope.field('target').fail(targetNode, `"${targetText}" is not an absolute path`, 'give an absolute path in the container');
  const readOnlyNode = get('read_only');
  const readOnly = readOnlyNode === undefined ? false : readBoolean(readOnlyNode, scope.field('read_only'));
  for (const other of ['bind', 'volume', 'tmpfs'] as const) {
    const optionsEntry = map.entries.get(other);
    if (optionsEntry !== undefined && other !== type) scope.fail(optionsEntry, `${other} options do not apply to a ${type} mount`, `remove ${other}, or set type: ${other}`);
  }
  const sourceNode = get('source');
  const source = sourceNode === undefined ? '' : readString(sourceNode, scope.field('source'));

  if (type === 'bind') {
    if (source === '') scope.fail(map, 'a bind mount needs a source', 'give the host path as source: ./data');
    return bindMount(source, target, readOnly, get('bind'), sourceNode as YNode, scope, context);
  }
  if (type === 'tmpfs') {
    if (source !== '') scope.field('source').fail(sourceNode as YNode, 'a tmpfs mount has no source', 'remove source');
    const tmpfs = optionsMap(get('tmpfs'), scope.field('tmpfs'), TMPFS_MOUNT_KEYS);
    const size = tmpfs?.entries.get('size')?.value;
    const mode = tmpfs?.entries.get('mode')?.value;
    return {
      type: 'tmpfs',
      target,
      readOnly,
      sizeBytes: size === undefined ? null : readSizeBytes(size, scope.field('tmpfs').field('size')),
      mode: mode === undefined ? null : fileMode(mode, scope.field('tmpfs').field('mode')),
    };
  }
  const volume = optionsMap(get('volume'), scope.field('volume'), VOLUME_MOUNT_KEYS);
  const noCopy = volume?.entries.get('nocopy')?.value;
  const subpath = volume?.entries.get('subpath')?.value;
  return {
    type: 'volume',
    source: source === '' ? null : declaredVolume(source, sourceNode as YNode, scope.field('source'), context),
    target,
    readOnly,
    noCopy: noCopy === undefined ? false : readBoolean(noCopy, scope.field('volume').field('nocopy')),
    subpath: subpath === undefined ? null : readString(subpath, scope.field('volume').field('subpath')),
  };
}

/** The `bind:`, `volume:` or `tmpfs:` options of a long-syntax mount, their keys checked; null when absent. */
function optionsMap(node: YNode | undefined, scope: Scope, allowed: Parameters<typeof checkKeys>[2]): YMap | null {
  if (node === undefined) return null;
  const map = asMap(node, scope);
  checkKeys(map, scope, allowed);
  return map;
}

function bindMount(source: string, target: string, readOnly: boolean, optionsNode: YNode | undefined, at: YNode, scope: Scope, context: MountContext): ComposeBindMount {
  const options = optionsMap(optionsNode, scope.field('bind'), BIND_KEYS);
  const optionScope = scope.field('bind');
  const propagationNode = options?.entries.get('propagation')?.value;
  const selinuxNode = options?.entries.get('selinux')?.value;
  const createNode = options?.entries.get('create_host_path')?.value;
  let propagation: Propagation | null = null;
  if (propagationNode !== undefined) {
    const text = readString(propagationNode, optionScope.field('propagation'));
    propagation = PROPAGATIONS.find((known) => known === text) ?? optionScope.field('propagation').fail(propagationNode, `"${text}" is not a propagation`, `use one of ${PROPAGATIONS.join(', ')}`);
  }
  let selinux: 'z' | 'Z' | null = null;
  if (selinuxNode !== undefined) {
    const text = readString(selinuxNode, optionScope.field('selinux'));
    if (text !== 'z' && text !== 'Z') throw optionScope.field('selinux').error(selinuxNode, `"${text}" is not an SELinux option`, 'use z (shared) or Z (private)');
    selinux = text;
  }
  // compose-go fills create_host_path: true only when a bind: section is present.
  const createHostPath = createNode !== undefined ? readBoolean(createNode, optionScope.field('create_host_path')) : options !== null;
  return { type: 'bind', source: hostPath(source, at, scope.field('source'), context), target, readOnly, createHostPath, propagation, selinux };
}

function hostPath(source: string, at: YNode, scope: Scope, context: MountContext): string {
  const resolved = resolveHostPath(source, context.projectDir, context.home);
  if (!resolved.ok) scope.fail(at, resolved.why, resolved.hint);
  return resolved.path;
}

function declaredVolume(name: string, at: YNode, scope: Scope, context: MountContext): string {
  if (!context.volumes.has(name)) {
    scope.fail(at, `refers to undefined volume ${JSON.stringify(name)}`, `declare it under the top-level volumes (volumes: {${name}: {}}), or use ./${name} for a folder next to the Compose file`);
  }
  return name;
}

/** A file mode: a number as written (0640 and 0o640 are octal), or a string of octal digits. */
function fileMode(node: YNode, scope: Scope): number {
  if (node.kind === 'scalar') {
    if (typeof node.value === 'number' && /^0[0-7]+$/.test(node.source)) return parseInt(node.source, 8);
    if (typeof node.value === 'number' && Number.isSafeInteger(node.value) && node.value >= 0) return node.value;
    if (typeof node.value === 'string' && /^(?:0o?)?[0-7]+$/.test(node.value)) return parseInt(node.value.replace(/^0o/, ''), 8);
  }
  scope.fail(node, 'is not a file mode', 'write an octal mode such as 1777 in quotes ("1777") or 0o1777');
}

