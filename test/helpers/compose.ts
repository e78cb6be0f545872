/**
 * Loading Compose text in unit tests: an in-memory file system behind `readFile` (missing
 * files throw ENOENT as node:fs does), a project at /srv/shop with HOME=/home/ops, and an
 * assertion that a load fails with one exact message and a hint.
 */
import assert from 'node:assert/strict';
import type { ComposeProject, ComposeService } from '../../main/api/types/compose';
import { loadCompose, type LoadComposeInput } from '../../main/core/compose/load-compose';
import { TagkeeperError } from '../../main/api/errors';

export const FILE = '/srv/shop/compose.yaml';
export const HOME = '/home/ops';

export type LoadOptions = Partial<Omit<LoadComposeInput, 'text' | 'readFile'>> & { files?: Record<string, string> };

export function fakeReadFile(files: Record<string, string>): (path: string) => string {
  return (path) => {
    if (Object.hasOwn(files, path)) return files[path];
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  };
}

export function load(text: string, options: LoadOptions = {}): ComposeProject {
  const { files = {}, ...rest } = options;
  return loadCompose({ file: FILE, projectName: 'shop', environment: { HOME }, ...rest, text, readFile: fakeReadFile(files) });
}

/** The one service of a project loaded from a file with `services:` + the given YAML lines for service `app`. */
export function service(lines: string, options: LoadOptions = {}): ComposeService {
  const text = `services:\n  app:\n    image: nginx\n${lines.replace(/^\n/, '').replace(/^/gm, '    ')}\n`;
  const project = load(`${text}volumes:\n  data:\nsecrets:\n  token:\n    file: ./token.txt\nconfigs:\n  site:\n    file: ./site.conf\n`, options);
  const found = project.services.find((s) => s.name === 'app');
  assert.ok(found, 'service app is loaded');
  return found;
}

export function rejects(text: string, message: string | RegExp, options: LoadOptions = {}): TagkeeperError {
  let caught: unknown;
  try {
    load(text, options);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TagkeeperError, `expected a TagkeeperError, got ${String(caught)}`);
  assert.equal(caught.code, 'invalid-input');
  if (typeof message === 'string') assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  assert.ok(caught.hint !== undefined && caught.hint.length > 0, `"${caught.message}" comes with a hint`);
  return caught;
}
