/**
 * Docker Hub's pull rate limit as its answers carry it: `ratelimit-limit: 100;w=21600` and
 * `ratelimit-remaining: 76;w=21600` (pulls per window of w seconds). Other registries and
 * mirrors that send the same headers are read the same way.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface RateLimit {
  limit: number | null;
  remaining: number;
  windowSeconds: number | null;
}

/** The limit an answer states; null when it sends no `ratelimit-remaining`. */
export function parseRateLimit(headers: IncomingHttpHeaders): RateLimit | null {
  const remaining = parseField(headers['ratelimit-remaining']);
  if (remaining === null) return null;
  const limit = parseField(headers['ratelimit-limit']);
  return { limit: limit?.count ?? null, remaining: remaining.count, windowSeconds: remaining.window ?? limit?.window ?? null };
}

/** True when the answer says no pull is left in this window (retrying before it passes is pointless). */
export function isRateLimitUsedUp(headers: IncomingHttpHeaders): boolean {
  return parseRateLimit(headers)?.remaining === 0;
}

/** `76;w=21600` → {count: 76, window: 21600}; `76` → {count: 76}. */
function parseField(value: string | string[] | undefined): { count: number; window?: number } | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  const [count, ...params] = text.split(';').map((part) => part.trim());
  if (!/^\d+$/.test(count)) return null;
  const window = params.map((p) => /^w=(\d+)$/i.exec(p)?.[1]).find((w) => w !== undefined);
  return window === undefined ? { count: Number(count) } : { count: Number(count), window: Number(window) };
}
