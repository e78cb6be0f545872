/**
 * The YAML text of an exported Compose file, written so that every reader takes each value
 * for what it is: Compose v2 (go-yaml, YAML 1.2 with 1.1 leftovers such as `0777` octal) and
 * docker-compose 1.x (PyYAML, YAML 1.1, where `no`, `on`, `1:30` and `0777` are not strings).
 *
 * - every string value is double-quoted, so no string reads as a number, a boolean, a null
 *   or a date in any YAML version; its `$` are written `$$`, so Compose's interpolation
 *   gives back exactly the value, whatever variables the environment or a .env file holds;
 * - keys are plain when they are plainly strings (`environment`, `com.example.role`) and
 *   double-quoted otherwise (`"on"`, `"8080"`); keys are never interpolated, so they keep `$`;
 * - numbers and booleans are plain; lists marked as flow lists are written `["a", "b"]`;
 * - no line is folded, whatever its length.
 */
import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { yaml } from './yaml-tree';

export type YamlValue = string | number | boolean | YamlValue[] | FlowList | YamlMap;
export interface YamlMap {
  [key: string]: YamlValue;
}

/** A list written on one line, `["sh", "-c", "…"]` (commands and health check tests). */
export class FlowList {
  constructor(readonly items: string[]) {}
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/** Plain words YAML 1.1 or 1.2 reads as booleans or null. */
const NOT_A_STRING = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);

/** `$` → `$$`: Compose reads `$$` as a literal `$`. */
export function escapeDollars(text: string): string {
  // A function, not '$$' as the replacement: in a replacement string `$$` means one `$`.
  return text.replaceAll('$', () => '$$');
}

function keyNode(key: string): Scalar {
  const node = new (yaml().Scalar)(key);
  node.type = PLAIN_KEY.test(key) && !NOT_A_STRING.has(key.toLowerCase()) ? 'PLAIN' : 'QUOTE_DOUBLE';
  return node;
}

function stringNode(text: string): Scalar {
  const node = new (yaml().Scalar)(escapeDollars(text));
  node.type = 'QUOTE_DOUBLE';
  return node;
}

function valueNode(value: YamlValue): Scalar | YAMLSeq | YAMLMap {
  const { Pair, Scalar, YAMLMap, YAMLSeq } = yaml();
  if (typeof value === 'string') return stringNode(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} into a Compose file`);
    return new Scalar(value);
  }
  if (typeof value === 'boolean') return new Scalar(value);
  if (value instanceof FlowList) {
    const seq = new YAMLSeq();
    seq.flow = true;
    seq.items.push(...value.items.map(stringNode));
    return seq;
  }
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.items.push(...value.map(valueNode));
    return seq;
  }
  const map = new YAMLMap();
  for (const [key, item] of Object.entries(value)) map.items.push(new Pair(keyNode(key), valueNode(item)));
  if (map.items.length === 0) map.flow = true;
  return map;
}

/** The document: each header line as a `# ` comment, a blank line, then the mapping (keys in insertion order). */
export function writeYaml(contents: YamlMap, header: string[]): string {
  const doc = new (yaml().Document)();
  doc.contents = valueNode(contents);
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
