/**
 * The Compose forms' fields → what `compose:create`, `compose:plan` and `compose:update`
 * take: the file's absolute path on the box, its pasted text (sent exactly as pasted, the
 * path then only names it and anchors its relative paths), env files one a line, profiles.
 * The app name and the path are judged as they are typed, by the rules the core applies;
 * the file itself is judged by the core, whose errors name the line. Pure.
 */
import type { RequestOf } from '../../../main/api/contract';
import type { ErrorInfo } from '../../../main/api/errors';
import type { ComposeDefinition } from '../../../main/api/types/apps';
import { lines, type PullPolicyChoice } from './create-request';

/** Where a Compose file comes from, as the fields hold it. */
export interface ComposeSourceForm {
  file: string;
  /** One path a line. */
  envFiles: string;
  /** Separated by commas, spaces or lines. */
  profiles: string;
}

export interface ComposeCreateForm extends ComposeSourceForm {
  name: string;
  /** Pasted YAML; blank: the core reads `file`. */
  text: string;
  pullPolicy: PullPolicyChoice;
}

export const EMPTY_COMPOSE_FORM: ComposeCreateForm = { name: '', file: '', text: '', envFiles: '', profiles: '', pullPolicy: '' };

/** A Compose source as the contract takes it (no `environment`: the page has none to send). */
export type ComposeSource = Omit<RequestOf<'compose:plan'>, 'name'>;

export type ComposeField = 'name' | 'file';

/** The core's rules for an app made from a Compose file: a Compose project name, and an app name (at most 63). */
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const MAX_NAME = 63;

/** Why `name` cannot name the app's Compose project, or null (also while it is empty: the button says so). */
export function projectNameProblem(name: string): string | null {
  const n = name.trim();
  if (n === '') return null;
  if (!PROJECT_NAME.test(n)) {
    return `"${n}" cannot name a Compose project: use lower-case letters, digits, "_" and "-", starting with a letter or digit`;
  }
  if (n.length > MAX_NAME) return `"${n.slice(0, 12)}…" is ${n.length} characters long: an app name has at most ${MAX_NAME}`;
  return null;
}

/** Why `path` cannot be the Compose file's path on the box, or null (also while it is empty). */
export function filePathProblem(path: string): string | null {
  const p = path.trim();
  if (p === '' || p.startsWith('/')) return null;
  return `"${p}" is not an absolute path: give the Compose file's full path on the box, e.g. /srv/shop/compose.yaml`;
}

/** Profiles as typed: `debug, tools` or one a line. */
export function profilesOf(text: string): string[] {
  return text.split(/[\s,]+/).filter((p) => p.length > 0);
}

/** The source the fields name; `text` is sent only when something was pasted. */
export function composeSource(form: ComposeSourceForm, text = ''): ComposeSource {
  const envFiles = lines(form.envFiles);
  const profiles = profilesOf(form.profiles);
  return {
    file: form.file.trim(),
    ...(text.trim() !== '' ? { text } : {}),
    // Left out when empty: the core then reads .env beside the file, as docker compose does.
    ...(envFiles.length > 0 ? { envFiles } : {}),
    ...(profiles.length > 0 ? { profiles } : {}),
  };
}

export function composeCreateRequest(form: ComposeCreateForm): RequestOf<'compose:create'> {
  return { name: form.name.trim(), ...composeSource(form, form.text), pullPolicy: form.pullPolicy === '' ? null : form.pullPolicy };
}

/** The fields of the definition an app runs now: where an update starts from. */
export function sourceFormOf(definition: Pick<ComposeDefinition, 'file' | 'envFiles' | 'profiles'>): ComposeSourceForm {
  return { file: definition.file, envFiles: definition.envFiles.join('\n'), profiles: definition.profiles.join(', ') };
}

/** Which field a core error is about, from its code and wording; null: the file's content or the form as a whole. */
export function composeFieldOfError(error: ErrorInfo): ComposeField | null {
  const m = error.message;
  if (error.code === 'already-exists' || /cannot name a Compose project|valid app name/.test(m)) return 'name';
  if (/^the Compose file ".*" is not an absolute path|^cannot read the Compose file /.test(m)) return 'file';
  return null;
}

/** `compose.yaml:12: service api: …` (or `:12:5:`) → the file's name and the line; null when the message names no line. */
export function composeErrorLine(message: string): { file: string; line: number } | null {
  const m = /^([^\s:]+):(\d+)(?::\d+)?: /.exec(message);
  return m ? { file: m[1], line: Number(m[2]) } : null;
}

/** Where line `n` (from 1) of `text` starts and ends, to select it; null past the end. */
export function lineRange(text: string, n: number): { start: number; end: number } | null {
  if (n < 1) return null;
  let start = 0;
  for (let i = 1; i < n; i++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return null;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return { start, end: end === -1 ? text.length : end };
}
