/**
 * The `.env` / `env_file` format, parsed exactly as compose-go's `dotenv` package does:
 *
 *   # comment                     blank lines and comments are skipped
 *   export NAME=value             an `export ` prefix is ignored
 *   NAME=value # comment          unquoted: up to the end of the line, ' #' starts a comment, trailing space trimmed
 *   NAME: value                   YAML-style separator
 *   NAME='value'                  single quotes: literal (\' is a quote), may span lines
 *   NAME="a\tb $OTHER"            double quotes: \a \b \f \n \r \t \v \\ \" \$ and \0NNN octal escapes, may span lines
 *   NAME                          alone on its line: the value from the lookup, left out when it has none
 *
 * Unquoted and double-quoted values are interpolated (see interpolate.ts) from the lookup
 * first, then from the variables defined so far. Names may hold letters, digits, `_`, `.`,
 * `-`, `[` and `]`.
 */
import { type Lookup, substitute } from './interpolate';

export class EnvFileError extends Error {
  override readonly name = 'EnvFileError';

  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const EXPORT_PREFIX = /^export[\t\n\f\r ]+/;
const ESCAPE_SEQUENCE = /\\(?:[abcfnrtv$"\\]|0\d{0,3})/g;
const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };

/**
 * Parses env-file text into `into` (also returned). `lookup` supplies values for lines
 * that name a variable without a value, and for interpolation (it wins over `into`).
 * Throws EnvFileError with the line number.
 */
export function parseEnvFile(text: string, lookup: Lookup = () => undefined, into: Record<string, string> = {}): Record<string, string> {
  const parser = new EnvParser(lookup, into);
  parser.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  return into;
}

class EnvParser {
  private line = 1;

  constructor(
    private readonly lookup: Lookup,
    private readonly out: Record<string, string>,
  ) {}

  parse(source: string): void {
    let rest = source;
    for (;;) {
      rest = this.statementStart(rest);
      if (rest === '') return;
      const { key, rest: afterKey, inherited } = this.keyName(rest);
      if (key.includes(' ')) throw new EnvFileError(this.line, 'key cannot contain a space');
      if (inherited) {
        const value = this.lookup(key);
        if (value !== undefined) this.out[key] = value;
        rest = afterKey;
        continue;
      }
      const { value, rest: afterValue } = this.value(afterKey);
      this.out[key] = value;
      rest = afterValue;
    }
  }

  /** Skips white space and comment lines, counting line breaks. */
  private statementStart(source: string): string {
    let rest = source;
    for (;;) {
      const start = this.firstNonSpace(rest);
      if (start === -1) return '';
      rest = rest.slice(start);
      if (rest[0] !== '#') return rest;
      const lineEnd = rest.indexOf('\n');
      if (lineEnd === -1) return '';
      rest = rest.slice(lineEnd);
    }
  }

  private firstNonSpace(source: string): number {
    let index = 0;
    for (const char of source) {
      if (char === '\n') this.line++;
      if (!isUnicodeSpace(char)) return index;
      index += char.length;
    }
    return -1;
  }

  private keyName(source: string): { key: string; rest: string; inherited: boolean } {
    let src = source;
    if (EXPORT_PREFIX.test(src)) src = trimLeftSpace(src.slice('export'.length));
    let key = '';
    let offset = 0;
    let inherited = false;
    let index = 0;
    for (const char of src) {
      if (isSpace(char)) {
        index += char.length;
        continue;
      }
      if (char === '=' || char === ':' || char === '\n') {
        key = src.slice(0, index);
        offset = index + 1;
        inherited = char === '\n';
        break;
      }
      if (!/^[_.\-[\]\p{L}\p{N}]$/u.test(char)) {
        throw new EnvFileError(this.line, `unexpected character ${JSON.stringify(char)} in variable name ${JSON.stringify(src.split('\n')[0])}`);
      }
      index += char.length;
    }
    if (src === '') throw new EnvFileError(this.line, 'zero length string');
    if (inherited && !key.includes(' ')) this.line++;
    return { key: trimRightUnicodeSpace(key), rest: trimLeftSpace(src.slice(offset)), inherited };
  }

  private value(source: string): { value: string; rest: string } {
    const quote = source[0] === '"' || source[0] === "'" ? source[0] : null;
    if (quote === null) {
      const lineEnd = source.indexOf('\n');
      const raw = lineEnd === -1 ? source : source.slice(0, lineEnd);
      const rest = lineEnd === -1 ? '' : source.slice(lineEnd + 1);
      this.line++;
      const comment = raw.indexOf(' #');
      const value = trimRightUnicodeSpace(comment === -1 ? raw : raw.slice(0, comment));
      return { value: this.expand(value), rest };
    }
    const startLine = this.line;
    let escaped = false;
    let chars = '';
    for (let i = 1; i < source.length; i++) {
      const char = source[i];
      if (char === '\n') this.line++;
      if (char !== quote) {
        if (!escaped && char === '\\') {
          escaped = true;
          continue;
        }
        if (escaped) {
          escaped = false;
          chars += '\\';
        }
        chars += char;
        continue;
      }
      if (escaped) {
        escaped = false;
        chars += char;
        continue;
      }
      const value = quote === '"' ? this.expand(expandEscapes(chars)) : chars;
      return { value, rest: source.slice(i + 1) };
    }
    const lineEnd = source.indexOf('\n');
    // compose-go reports the line the file ended on; the line the quote opened on is more use.
    throw new EnvFileError(startLine, `unterminated quoted value ${lineEnd === -1 ? source : source.slice(0, lineEnd)}`);
  }

  private expand(value: string): string {
    try {
      return substitute(value, (name) => this.lookup(name) ?? (Object.hasOwn(this.out, name) ? this.out[name] : undefined));
    } catch (error) {
      throw new EnvFileError(this.line, error instanceof Error ? error.message : String(error));
    }
  }
}

/** Shell escapes in double quotes; `\$` becomes `$$` so interpolation leaves a literal `$`. */
function expandEscapes(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, (match) => {
    if (match === '\\$') return '$$';
    if (match.startsWith('\\0')) {
      const digits = match.slice(2);
      if (/^[0-7]{3}$/.test(digits) && parseInt(digits, 8) <= 255) return String.fromCharCode(parseInt(digits, 8));
      return `\\${digits}`;
    }
    return SIMPLE_ESCAPES[match[1]] ?? match;
  });
}

/** The parser's own notion of space: not line breaks. */
function isSpace(char: string): boolean {
  return char === '\t' || char === '\v' || char === '\f' || char === '\r' || char === ' ' || char === '\u0085' || char === '\u00A0';
}

function trimLeftSpace(text: string): string {
  let start = 0;
  while (start < text.length && isSpace(text[start])) start++;
  return text.slice(start);
}

function trimRightUnicodeSpace(text: string): string {
  let end = text.length;
  while (end > 0 && isUnicodeSpace(text[end - 1])) end--;
  return text.slice(0, end);
}

/** Go's unicode.IsSpace. */
function isUnicodeSpace(char: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]$/.test(char);
}
