/**
 * Parses the YAML text of a Compose file (with the `yaml` package) into a small tree that
 * keeps the line of every value and key, so later errors can say where they are.
 * Anchors and aliases are expanded and merge keys (`<<: *base`, `<<: [*a, *b]`) applied as
 * YAML 1.1 defines them (keys of the mapping itself win, then the merged maps in order);
 * duplicate keys, multiple documents, non-string keys and custom tags (`!reset`,
 * `!override`) are errors with the line and column.
 */
import type * as Yaml from 'yaml';
import type { Document, LineCounter, Node as YamlNode, Pair } from 'yaml';
import { composeError } from './compose-error';

/** The yaml package, loaded when a Compose file is first read: a command that reads none (a refresh) does not pay its load. */
export const yaml = (): typeof Yaml => require('yaml') as typeof Yaml;

export interface YScalar {
  kind: 'scalar';
  /** As YAML 1.2 (core schema) reads it; strings are replaced by their interpolated value later. */
  value: string | number | boolean | null;
  /** The scalar as written (`0640`, `"8080:80"`), for the few fields where YAML 1.2 and Compose read a number differently. */
  source: string;
  line: number;
}

export interface YList {
  kind: 'list';
  items: YNode[];
  line: number;
}

export interface YEntry {
  key: string;
  /** Line of the key. */
  line: number;
  value: YNode;
}

export interface YMap {
  kind: 'map';
  /** In the order written (merged keys after the mapping's own). */
  entries: Map<string, YEntry>;
  line: number;
}

export type YNode = YScalar | YList | YMap;

/** Expanding aliases may not build more nodes than this (a "billion laughs" file is refused). */
const MAX_NODES = 250_000;
const YAML_HINT = 'fix the YAML at that line (indentation, quotes, brackets); a YAML linter shows the same spot';

/** Parses a Compose file; null when the document is empty. */
export function parseYaml(text: string, file: string): YNode | null {
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: true });
  const problem = doc.errors[0] ?? doc.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (problem !== undefined) {
    const at = problem.linePos?.[0] ?? lines.linePos(problem.pos[0]);
    const reason = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const hint = problem.code === 'TAG_RESOLVE_FAILED' ? 'remove the tag: Tagkeeper reads one Compose file, without override tags' : YAML_HINT;
    throw composeError(file, at.line, '', `bad YAML: ${reason}`, hint, at.col);
  }
  if (doc.contents === null) return null;
  return new TreeBuilder(doc, lines, file).build(doc.contents);
}

class TreeBuilder {
  private built = 0;
  private readonly y = yaml();

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  build(node: YamlNode): YNode {
    if (++this.built > MAX_NODES) {
      throw composeError(this.file, this.lineOf(node), '', `YAML aliases expand to more than ${MAX_NODES} values`, 'use fewer nested aliases');
    }
    if (this.y.isAlias(node)) {
      const target = node.resolve(this.doc);
      if (target === undefined) {
        throw composeError(this.file, this.lineOf(node), '', `bad YAML: alias *${node.source} has no anchor`, YAML_HINT);
      }
      return this.build(target);
    }
    if (this.y.isScalar(node)) {
      const value = node.value;
      if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw composeError(this.file, this.lineOf(node), '', `bad YAML: value ${String(node.source)} is not a string, number, boolean or null`, YAML_HINT);
      }
      return { kind: 'scalar', value, source: node.source ?? String(value), line: this.lineOf(node) };
    }
    if (this.y.isSeq(node)) {
      return { kind: 'list', items: node.items.map((item) => this.build(item as YamlNode)), line: this.lineOf(node) };
    }
    if (this.y.isMap(node)) return this.buildMap(node.items as Pair<YamlNode, YamlNode | null>[], this.lineOf(node));
    throw composeError(this.file, this.lineOf(node), '', 'bad YAML: unexpected node', YAML_HINT);
  }

  private buildMap(pairs: Pair<YamlNode, YamlNode | null>[], line: number): YMap {
    const entries = new Map<string, YEntry>();
    const merged: YMap[] = [];
    for (const pair of pairs) {
      const keyLine = pair.key === null ? line : this.lineOf(pair.key);
      if (this.y.isScalar(pair.key) && typeof pair.key.value === 'symbol') {
        merged.push(...this.mergeSources(pair.value, keyLine));
        continue;
      }
      const key = this.keyOf(pair.key, keyLine);
      const value: YNode = pair.value === null ? { kind: 'scalar', value: null, source: '', line: keyLine } : this.build(pair.value);
      entries.set(key, { key, line: keyLine, value });
    }
    for (const source of merged) {
      for (const [key, entry] of source.entries) if (!entries.has(key)) entries.set(key, entry);
    }
    return { kind: 'map', entries, line };
  }

  /** The maps a merge key brings in, in order of precedence. */
  private mergeSources(value: YamlNode | null, line: number): YMap[] {
    const node = value === null ? null : this.build(value);
    const sources = node !== null && node.kind === 'list' ? node.items : node === null ? [] : [node];
    return sources.map((source) => {
      if (source.kind !== 'map') {
        throw composeError(this.file, line, '', 'bad YAML: a merge key (<<) takes a mapping or a list of mappings', 'write <<: *anchor or <<: [*a, *b] where the anchors name mappings');
      }
      return source;
    });
  }

  private keyOf(key: YamlNode | null, line: number): string {
    if (this.y.isScalar(key) && typeof key.value === 'string') return key.value;
    const shown = this.y.isScalar(key) ? String(key.source ?? key.value) : 'a collection';
    throw composeError(this.file, line, '', `key ${shown} is not a string`, 'quote the key, e.g. "8080": …');
  }

  private lineOf(node: YamlNode): number {
    const offset = node.range?.[0];
    return offset === undefined ? 1 : this.lines.linePos(offset).line;
  }
}
