/**
 * Typed readers over the parsed YAML tree: each takes a node and the Scope it is read in,
 * returns the value in the form Compose defines for that kind of field, and fails with
 * the line and the field's path when the value has the wrong shape. Strings are read after
 * interpolation, so "8080" where a number is expected and "true" where a boolean is
 * expected are accepted, as compose-go's type casts do.
 */
import { closestWord, type Scope } from './compose-error';
import { parseBoolean, parseDurationNs, parseInteger, parseSizeBytes } from './units';
import type { YList, YMap, YNode } from './yaml-tree';

export function isNull(node: YNode): boolean {
  return node.kind === 'scalar' && node.value === null;
}

export function asMap(node: YNode, scope: Scope, expected = 'a mapping'): YMap {
  if (node.kind !== 'map') scope.fail(node, `must be ${expected}`, `write it as key: value lines under ${scope.path || 'it'}`);
  return node;
}

export function asList(node: YNode, scope: Scope, expected = 'a list'): YList {
  if (node.kind !== 'list') scope.fail(node, `must be ${expected}`, 'write it as a list of "- item" lines');
  return node;
}

function describe(node: YNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'list') return 'a list';
  return node.value === null ? 'empty' : JSON.stringify(node.value);
}

export function readString(node: YNode, scope: Scope, hint = 'quote the value'): string {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') scope.fail(node, `must be a string, not ${describe(node)}`, hint);
  return node.value;
}

export function readNonEmptyString(node: YNode, scope: Scope, hint: string): string {
  const value = readString(node, scope, hint);
  if (value.trim() === '') scope.fail(node, 'must not be empty', hint);
  return value;
}

/** A scalar as text: strings as they are, numbers and booleans as Compose prints them. */
export function scalarText(node: YNode, scope: Scope, allowNull: boolean): string | null {
  if (node.kind !== 'scalar') scope.fail(node, `must be a string, number or boolean, not ${describe(node)}`, 'write a single value');
  if (node.value === null) {
    if (!allowNull) scope.fail(node, 'has no value', 'give it a value');
    return null;
  }
  return String(node.value);
}

export function readBoolean(node: YNode, scope: Scope): boolean {
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
  const parsed = node.kind === 'scalar' && typeof node.value === 'string' ? parseBoolean(node.value) : null;
  if (parsed === null) scope.fail(node, `must be true or false, not ${describe(node)}`, 'write true or false');
  return parsed;
}

export function readInteger(node: YNode, scope: Scope, minimum = 0): number {
  const value = integerOf(node);
  if (value === null) scope.fail(node, `must be a whole number, not ${describe(node)}`, 'write a number such as 3');
  if (value < minimum) scope.fail(node, `must be at least ${minimum}`, `write a number of ${minimum} or more`);
  return value;
}

function integerOf(node: YNode): number | null {
  if (node.kind !== 'scalar') return null;
  if (typeof node.value === 'number') return Number.isSafeInteger(node.value) ? node.value : null;
  return typeof node.value === 'string' ? parseInteger(node.value) : null;
}

export function readDurationNs(node: YNode, scope: Scope): number {
  const text = node.kind === 'scalar' && node.value !== null && typeof node.value !== 'boolean' ? String(node.value) : null;
  const value = text === null ? null : parseDurationNs(text);
  if (value === null) {
    scope.fail(node, `${describe(node)} is not a duration`, 'write a duration with a unit, e.g. 30s, 1m30s, 500ms or 2h');
  }
  return value;
}

export function readSizeBytes(node: YNode, scope: Scope): number {
  let value: number | null = null;
  if (node.kind === 'scalar' && typeof node.value === 'number') value = Number.isSafeInteger(node.value) && node.value >= 0 ? node.value : null;
  else if (node.kind === 'scalar' && typeof node.value === 'string') value = parseSizeBytes(node.value);
  if (value === null) scope.fail(node, `${describe(node)} is not a size`, 'write a size in bytes or with a unit, e.g. 512m, 1g or 64k');
  return value;
}

export function readStringList(node: YNode, scope: Scope): string[] {
  const list = asList(node, scope, 'a list of strings');
  return list.items.map((item, index) => readString(item, scope.field(index)));
}

/**
 * Compose's list-or-dict (labels, sysctls, options): `KEY: value` or `- KEY=value`.
 * Returns null values for map entries without a value and list entries without '='.
 */
export function readListOrDict(node: YNode, scope: Scope): Map<string, { value: string | null; at: YNode }> {
  const result = new Map<string, { value: string | null; at: YNode }>();
  if (node.kind === 'list') {
    node.items.forEach((item, index) => {
      const text = readString(item, scope.field(index), 'write each entry as KEY=value');
      const eq = text.indexOf('=');
      const key = eq < 0 ? text : text.slice(0, eq);
      if (result.has(key)) scope.field(index).fail(item, `${JSON.stringify(key)} is given twice`, 'give each key once');
      result.set(key, { value: eq < 0 ? null : text.slice(eq + 1), at: item });
    });
    return result;
  }
  const map = asMap(node, scope, 'a mapping or a list of KEY=value');
  for (const entry of map.entries.values()) {
    result.set(entry.key, { value: scalarText(entry.value, scope.field(entry.key), true), at: entry.value });
  }
  return result;
}

/** A record with sorted keys. */
export function sortedRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const record: Record<string, T> = {};
  for (const [key, value] of [...entries].sort(([a], [b]) => compareText(a, b))) record[key] = value;
  return record;
}

/** Plain code-unit order, the same on every machine (no locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(compareText);
}

/** What a key of a mapping means to Tagkeeper: read it, or refuse it with a reason and what to do. */
export type KeyRule = 'supported' | { refused: string; hint?: string };

/**
 * Checks every key of a mapping: `x-` extensions are allowed (and ignored, as Compose
 * ignores them), supported keys pass, refused keys fail with their reason, anything else
 * is an unknown key with a guess at what was meant.
 */
export function checkKeys(map: YMap, scope: Scope, rules: Record<string, KeyRule>): void {
  for (const entry of map.entries.values()) {
    if (entry.key.startsWith('x-')) continue;
    const rule = Object.hasOwn(rules, entry.key) ? rules[entry.key] : undefined;
    if (rule === 'supported') continue;
    if (rule !== undefined) scope.fail(entry, `${entry.key} is not supported: ${rule.refused}`, rule.hint ?? `remove ${entry.key}`);
    const guess = closestWord(entry.key, Object.keys(rules));
    scope.fail(entry, `unknown key ${JSON.stringify(entry.key)}`, guess === null ? 'check the spelling against the Compose specification' : `did you mean "${guess}"?`);
  }
}
