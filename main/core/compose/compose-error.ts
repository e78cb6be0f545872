/**
 * Errors about a Compose file, each one line that says where (file base name, line, and
 * the service or resource and field), what is wrong, and — in the hint — what to do:
 *
 *   compose.yaml:12: service api: build is not supported: Tagkeeper runs images from a registry or a bundle
 *
 * A Scope carries the "where" while the loader walks the file.
 */
import { posix } from 'node:path';
import { TagkeeperError } from '../../api/errors';

/** Anything with a position in the file (YAML nodes, map entries). */
export interface Located {
  line: number;
}

export function composeError(file: string, line: number | null, where: string, what: string, hint: string, column?: number): TagkeeperError {
  const place = posix.basename(file) + (line === null ? '' : `:${line}`) + (line !== null && column !== undefined ? `:${column}` : '');
  const message = where === '' ? `${place}: ${what}` : `${place}: ${where}: ${what}`;
  return new TagkeeperError('invalid-input', message, { hint });
}

export class Scope {
  /**
   * @param file absolute path of the Compose file (messages show its base name)
   * @param owner what is being read: 'service api', 'network front', '' at the top level
   * @param path the field inside it: 'healthcheck.interval', 'ports[1]', ''
   */
  constructor(
    readonly file: string,
    readonly owner: string,
    readonly path = '',
  ) {}

  /** The scope of a field (`interval`) or a list item (`[1]`) inside this one. */
  field(name: string | number): Scope {
    const step = typeof name === 'number' ? `[${name}]` : this.path === '' ? name : `.${name}`;
    return new Scope(this.file, this.owner, this.path + step);
  }

  get where(): string {
    if (this.owner === '') return this.path;
    return this.path === '' ? this.owner : `${this.owner}: ${this.path}`;
  }

  error(at: Located | null, what: string, hint: string): TagkeeperError {
    return composeError(this.file, at === null ? null : at.line, this.where, what, hint);
  }

  fail(at: Located | null, what: string, hint: string): never {
    throw this.error(at, what, hint);
  }
}

/** The known word closest to a misspelt one, if it is close enough to be a likely typo. */
export function closestWord(word: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestDistance <= allowed ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
