/**
 * A careful parser for `WWW-Authenticate` (RFC 7235): several challenges in one header or
 * several headers, auth-params with quoted strings that contain commas, equals signs and
 * escapes, token68 credentials, and case-insensitive scheme and parameter names.
 */

export interface Challenge {
  /** Lower-cased scheme: `bearer`, `basic` … */
  scheme: string;
  /** Parameters by lower-cased name, values unquoted. */
  params: Record<string, string>;
  /** A token68 value (`Negotiate abc==`), when the challenge has one instead of params. */
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/** Parse one header value, or the values of several headers, into challenges in order. */
export function parseWwwAuthenticate(header: string | readonly string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  if (typeof header !== 'string') return header.flatMap((h) => parseWwwAuthenticate(h));
  return new Parser(header).challenges();
}

/** The first challenge with `scheme` (case-insensitive), if any. */
export function findChallenge(challenges: readonly Challenge[], scheme: string): Challenge | undefined {
  const s = scheme.toLowerCase();
  return challenges.find((c) => c.scheme === s);
}

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  challenges(): Challenge[] {
    const out: Challenge[] = [];
    for (;;) {
      this.skip(/[\s,]/);
      if (this.i >= this.s.length) return out;
      const scheme = this.token();
      if (!scheme) {
        this.i++; // not a token character: skip garbage
        continue;
      }
      const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
      out.push(challenge);
      this.skip(/[ \t]/);
      const token68 = this.token68();
      if (token68 !== undefined) challenge.token68 = token68;
      else this.params(challenge.params);
    }
  }

  /** A token68 is a lone value followed by a comma or the end. */
  private token68(): string | undefined {
    const m = TOKEN68.exec(this.s.slice(this.i));
    if (!m) return undefined;
    let j = this.i + m[0].length;
    while (j < this.s.length && /[ \t]/.test(this.s[j])) j++;
    if (j < this.s.length && this.s[j] !== ',') return undefined;
    // `name=` directly followed by a comma is an (invalid) empty param; treat it as token68 too.
    this.i = j;
    return m[0];
  }

  private params(into: Record<string, string>): void {
    for (;;) {
      const save = this.i;
      this.skip(/[\s,]/);
      const name = this.token();
      this.skip(/[ \t]/);
      if (!name || this.s[this.i] !== '=') {
        this.i = save; // the next challenge's scheme, or the end
        return;
      }
      this.i++;
      this.skip(/[ \t]/);
      into[name.toLowerCase()] = this.s[this.i] === '"' ? this.quoted() : this.bareValue();
      this.skip(/[ \t]/);
      if (this.s[this.i] !== ',') return;
    }
  }

  private token(): string {
    const start = this.i;
    while (this.i < this.s.length && TCHAR.test(this.s[this.i])) this.i++;
    return this.s.slice(start, this.i);
  }

  /** An unquoted value; lenient: anything up to a comma or white space (unquoted URLs exist). */
  private bareValue(): string {
    const start = this.i;
    while (this.i < this.s.length && !/[\s,]/.test(this.s[this.i])) this.i++;
    return this.s.slice(start, this.i);
  }

  private quoted(): string {
    this.i++; // opening quote
    let value = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i++];
      if (c === '"') return value;
      if (c === '\\' && this.i < this.s.length) value += this.s[this.i++];
      else value += c;
    }
    return value; // unterminated: take what there is
  }

  private skip(chars: RegExp): void {
    while (this.i < this.s.length && chars.test(this.s[this.i])) this.i++;
  }
}
