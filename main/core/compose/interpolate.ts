/**
 * Variable interpolation in Compose files, with exactly the semantics of compose-go's
 * `template` package (what `docker compose` v2 uses):
 *
 *   $VAR  ${VAR}               the value, '' when unset
 *   ${VAR:-default}            default when unset or empty     ${VAR-default}  when unset
 *   ${VAR:?message}            error when unset or empty       ${VAR?message}  when unset
 *   ${VAR:+replacement}        replacement when set, non-empty ${VAR+replacement} when set
 *   $$                         a literal $
 *
 * Defaults, replacements and messages may themselves contain substitutions; a `$` not
 * followed by a name, `{` or `$` is kept as is; `${` that does not open a valid
 * substitution is an error. Names are `[_a-zA-Z][_a-zA-Z0-9]*`.
 *
 * The regular expression and the brace matching are ported as they are: the braced form's
 * `(.*)` is greedy, so a match may run past its closing brace; the text after the first
 * balanced `}` is substituted on its own, as compose-go does.
 */
import type { YNode } from './yaml-tree';

/** Looks a variable up; undefined when it is not set (as opposed to set to ''). */
export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {
  override readonly name = 'InterpolationError';

  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const PATTERN = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{(?:([_a-z][_a-z0-9]*(?::?[-+?](.*))?)\}|()))/i;
const PATTERN_ALL = new RegExp(PATTERN.source, 'gi');

type SubstituteFunction = (substitution: string, lookup: Lookup) => { value: string; applied: boolean };

/** Substitutes the variables of one string. Throws InterpolationError for a bad template or a missing required variable. */
export function substitute(template: string, lookup: Lookup): string {
  return template.replace(PATTERN_ALL, (match) => replaceMatch(match, lookup, template));
}

function replaceMatch(whole: string, lookup: Lookup, template: string): string {
  const substituteFunction = substitutionFunctionFor(whole);
  const closing = firstClosingBrace(whole);
  const rest = closing > -1 ? whole.slice(closing + 1) : '';
  const substring = closing > -1 ? whole.slice(0, closing + 1) : whole;

  const groups = PATTERN.exec(substring);
  if (groups === null) throw invalidTemplate(template);
  if (groups[1] !== undefined) return '$';
  const named = groups[2];
  const braced = groups[3];
  const name = named ?? braced ?? '';
  if (name === '') throw invalidTemplate(template);

  if (named === undefined) {
    const result = substituteFunction(name, lookup);
    if (result.applied) return result.value + substitute(rest, lookup);
  }
  return lookup(name) ?? '';
}

/** The operator that appears first in the match decides the kind of substitution. */
function substitutionFunctionFor(text: string): SubstituteFunction {
  const operators: [string, SubstituteFunction][] = [
    [':?', (s, l) => required(s, l, ':?', (v) => v !== '')],
    ['?', (s, l) => required(s, l, '?', () => true)],
    [':-', (s, l) => whenAbsent(s, l, ':-', true)],
    ['-', (s, l) => whenAbsent(s, l, '-', false)],
    [':+', (s, l) => whenPresent(s, l, ':+', true)],
    ['+', (s, l) => whenPresent(s, l, '+', false)],
  ];
  let best = operators[0];
  let bestIndex = -1;
  for (const operator of operators) {
    const index = text.indexOf(operator[0]);
    if (index >= 0 && (bestIndex < 0 || index < bestIndex)) {
      best = operator;
      bestIndex = index;
    }
  }
  return best[1];
}

/** compose-go's getFirstBraceClosingIndex: the '}' that balances the first '{' (the character after each '{' is skipped). */
function firstClosingBrace(text: string): number {
  let open = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '}') {
      open--;
      if (open === 0) return i;
    }
    if (text[i] === '{') {
      open++;
      i++;
    }
  }
  return -1;
}

function whenAbsent(substitution: string, lookup: Lookup, separator: string, emptyCounts: boolean) {
  if (!substitution.includes(separator)) return { value: '', applied: false };
  const [name, fallback] = partition(substitution, separator);
  const value = lookup(name);
  if (value === undefined || (emptyCounts && value === '')) return { value: substitute(fallback, lookup), applied: true };
  return { value, applied: true };
}

function whenPresent(substitution: string, lookup: Lookup, separator: string, nonEmpty: boolean) {
  if (!substitution.includes(separator)) return { value: '', applied: false };
  const [name, replacement] = partition(substitution, separator);
  const value = lookup(name);
  if (value !== undefined && (!nonEmpty || value !== '')) return { value: substitute(replacement, lookup), applied: true };
  return { value: value ?? '', applied: true };
}

function required(substitution: string, lookup: Lookup, separator: string, valid: (value: string) => boolean) {
  if (!substitution.includes(separator)) return { value: '', applied: false };
  const [name, message] = partition(substitution, separator);
  const value = lookup(name);
  if (value === undefined || !valid(value)) {
    const reason = substitute(message, lookup);
    throw new InterpolationError(
      reason === '' ? `required variable ${name} is missing a value` : `required variable ${name} is missing a value: ${reason}`,
      `set ${name} in the environment, in the project's .env file or in an --env-file`,
    );
  }
  return { value, applied: true };
}

function partition(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return [text.slice(0, index), text.slice(index + separator.length)];
}

function invalidTemplate(template: string): InterpolationError {
  return new InterpolationError(
    `invalid interpolation format in ${JSON.stringify(template)}`,
    'write $$ for a literal $, and ${NAME}, ${NAME:-default} or ${NAME:?message} for a variable',
  );
}

/**
 * Interpolates every string value of a parsed Compose file in place (keys are never
 * interpolated). `onError` gets the path of the failing value (['services', 'api',
 * 'environment', 'DB']) and must throw.
 */
export function interpolateTree(node: YNode, lookup: Lookup, onError: (error: InterpolationError, path: (string | number)[], at: YNode) => never, path: (string | number)[] = []): void {
  if (node.kind === 'scalar') {
    if (typeof node.value !== 'string') return;
    try {
      node.value = substitute(node.value, lookup);
    } catch (error) {
      if (error instanceof InterpolationError) onError(error, path, node);
      throw error;
    }
    return;
  }
  if (node.kind === 'list') {
    node.items.forEach((item, index) => interpolateTree(item, lookup, onError, [...path, index]));
    return;
  }
  for (const entry of node.entries.values()) interpolateTree(entry.value, lookup, onError, [...path, entry.key]);
}
