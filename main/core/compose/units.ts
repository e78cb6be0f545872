/**
 * Compose's value formats, each parsed as `docker compose` parses it:
 * durations (Go's time.ParseDuration plus `d` and `w`, as github.com/xhit/go-str2duration),
 * sizes (github.com/docker/go-units RAMInBytes: binary multiples, `b` optional),
 * booleans after interpolation (compose-go's toBoolean: true/false, and y/yes/on, n/no/off),
 * integers and CPU counts. Each returns null when the text is not valid, so the caller
 * can say where it was.
 */

const NANOS_PER_UNIT: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
  w: 604800e9,
};

/** `1m30s`, `1.5h`, `100ms`, `2d` → nanoseconds; negative values and values past 2^53 ns (~104 days) are refused. */
export function parseDurationNs(text: string): number | null {
  let rest = text.startsWith('+') ? text.slice(1) : text;
  if (rest.startsWith('-')) return null;
  if (rest === '0') return 0;
  if (rest === '') return null;
  let total = 0;
  while (rest !== '') {
    const part = /^(\d*)(?:\.(\d*))?([^\d.]*)/.exec(rest);
    if (part === null) return null;
    const [whole, integer, fraction, unit] = part;
    if (integer === '' && (fraction === undefined || fraction === '')) return null;
    const scale = NANOS_PER_UNIT[unit];
    if (scale === undefined) return null;
    total += Number(integer || '0') * scale + (fraction ? Math.round(Number(`0.${fraction}`) * scale) : 0);
    rest = rest.slice(whole.length);
  }
  return Number.isSafeInteger(total) ? total : null;
}

const BYTES_PER_UNIT: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** `512m`, `1gb`, `1.5GiB`, `100000` → bytes (binary multiples, as Docker reads memory sizes). */
export function parseSizeBytes(text: string): number | null {
  if (/^\d+$/.test(text)) return safeInteger(Number(text));
  const match = /^(\d+(?:\.\d+)?) ?(?:([kmgtp])i?)?b?$/i.exec(text);
  if (match === null) return null;
  return safeInteger(Math.trunc(Number(match[1]) * BYTES_PER_UNIT[(match[2] ?? '').toLowerCase()]));
}

/** compose-go's toBoolean, applied to strings (interpolated values). */
export function parseBoolean(text: string): boolean | null {
  switch (text.toLowerCase()) {
    case 'true':
    case 'y':
    case 'yes':
    case 'on':
      return true;
    case 'false':
    case 'n':
    case 'no':
    case 'off':
      return false;
    default:
      return null;
  }
}

export function parseInteger(text: string): number | null {
  return /^[+-]?\d+$/.test(text) ? safeInteger(Number(text)) : null;
}

/** `0.5`, `2` → nano CPUs (×1e9, as the engine's NanoCpus). */
export function cpusToNano(value: number): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  return safeInteger(Math.round(value * 1e9));
}

export function parseDecimal(text: string): number | null {
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : null;
}

function safeInteger(value: number): number | null {
  return Number.isSafeInteger(value) ? value : null;
}
