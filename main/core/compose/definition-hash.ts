/**
 * A fingerprint of a normalized Compose project for the ledger: sha256 over a canonical
 * JSON text (object keys sorted at every level, no white space), so the same definition
 * always gives the same hash, whatever order its file wrote things in.
 */
import { createHash } from 'node:crypto';
import type { ComposeProject } from '../../api/types/compose';

/** `sha256:<64 hex>` of the project's canonical JSON. */
export function definitionHash(project: ComposeProject): string {
  return `sha256:${createHash('sha256').update(canonicalJson(project)).digest('hex')}`;
}

/** JSON with the keys of every object sorted (code-unit order) and no white space. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} has no JSON form`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
}
