/**
 * What goes into the engine's request paths and filters: names checked before they reach a
 * URL, labels written as the engine's filters.
 */
import { TagkeeperError } from '../api/errors';

/** `{label: ['k=v', …]}` for the engine's filters (none when no labels are given). */
export function labelFilters(labels: Record<string, string>): { label: string[] } | undefined {
  const entries = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  return entries.length > 0 ? { label: entries } : undefined;
}

/**
 * Names go into URL paths unencoded: refuse anything that could change the
 * path, so a hostile name cannot reach another endpoint of the engine.
 */
export function checkName(kind: string, name: string): void {
  if (!/^[A-Za-z0-9[][A-Za-z0-9_.:@/+[\]-]*$/.test(name) || name.includes('..') || name.includes('//')) {
    throw new TagkeeperError('invalid-input', `${kind} name "${name}" is not valid for the Docker Engine`, {
      hint: `give the ${kind} by id or by a valid name`,
    });
  }
}
