/**
 * A needs list read in the page (a site's `inventory export`, chosen as a file): parsed as
 * JSON and summed up for the screen. The core validates it fully when the export runs; here
 * only what the page shows is looked at. Pure.
 */
import { TagkeeperError } from '../../../main/api/errors';

export interface NeedsFile {
  /** What is sent as `needs` to bundles:export, as read. */
  list: unknown;
  name: string;
  /** `3 services of site-1 (linux/amd64), 12 layers on the box, made 2024-05-01T…`. */
  summary: string;
}

const HINT = 'choose the needs list made on the site (Export needs list on its Bundles screen, or tagkeeper inventory export NEEDS.json)';

export function readNeedsFile(name: string, text: string): NeedsFile {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (error) {
    throw new TagkeeperError('invalid-input', `${name} is not JSON: ${(error as Error).message}`, { hint: HINT });
  }
  const value = (typeof list === 'object' && list !== null ? list : {}) as Record<string, unknown>;
  if (value.format !== 'tagkeeper-needs/1') {
    throw new TagkeeperError('invalid-input', `${name} is not a Tagkeeper needs list (its format is not tagkeeper-needs/1)`, { hint: HINT });
  }
  const count = (x: unknown) => (Array.isArray(x) ? x.length : 0);
  const device = (value.device ?? {}) as { host?: unknown };
  const platform = (value.platform ?? {}) as { os?: unknown; architecture?: unknown; variant?: unknown };
  const host = typeof device.host === 'string' ? device.host : 'an unnamed box';
  const arch = typeof platform.os === 'string' && typeof platform.architecture === 'string'
    ? ` (${platform.os}/${platform.architecture}${typeof platform.variant === 'string' ? `/${platform.variant}` : ''})`
    : '';
  const drives = count(value.apps);
  const layers = count(value.layers);
  const made = typeof value.createdAt === 'string' ? `, made ${value.createdAt}` : '';
  return { list, name, summary: `${drives} service${drives === 1 ? '' : 's'} of ${host}${arch}, ${layers} layer${layers === 1 ? '' : 's'} on the box${made}` };
}
