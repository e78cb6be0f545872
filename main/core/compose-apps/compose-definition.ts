/**
 * A Compose file as an app's definition: read through the host-files port (the core has no
 * file system), loaded as `docker compose` would (core/compose/), named after the app (the
 * app's name is the Compose project's name, so the containers carry it), hashed for the ledger.
 */
import { TagkeeperError } from '../../api/errors';
import type { ComposeDefinition, NewLedgerEntry } from '../../api/types/apps';
import { definitionHash } from '../compose/definition-hash';
import { loadCompose } from '../compose/load-compose';
import type { CoreDeps } from '../ports/deps';

export interface ComposeSource {
  /** The Compose file's absolute path on the box (relative paths in it are relative to its folder). */
  file: string;
  /** Its text, when the caller has it (pasted in the UI); else read from `file`. */
  text?: string;
  envFiles?: string[];
  profiles?: string[];
  /** Variables for interpolation (the CLI sends its environment); default none. */
  environment?: Record<string, string>;
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function loadDefinition(deps: Pick<CoreDeps, 'hostFiles'>, app: string, source: ComposeSource): ComposeDefinition {
  if (!PROJECT_NAME.test(app)) {
    throw new TagkeeperError('invalid-input', `"${app}" cannot name a Compose project`, {
      hint: 'an app made from a Compose file is named like a Compose project: lower-case letters, digits, "_" and "-", starting with a letter or digit',
    });
  }
  if (!source.file.startsWith('/')) {
    throw new TagkeeperError('invalid-input', `the Compose file "${source.file}" is not an absolute path`, { hint: 'give its full path on the box' });
  }
  let text = source.text;
  if (text === undefined) {
    try {
      text = deps.hostFiles.readText(source.file);
    } catch (error) {
      throw new TagkeeperError('invalid-input', `cannot read the Compose file ${source.file}: ${(error as Error).message}`, {
        hint: 'check the path and that the user Tagkeeper runs as may read it',
      });
    }
  }
  const project = loadCompose({
    file: source.file,
    text,
    projectName: app,
    environment: source.environment ?? {},
    envFiles: source.envFiles,
    profiles: source.profiles,
    readFile: (path) => deps.hostFiles.readText(path),
  });
  return { project, hash: definitionHash(project), file: source.file, envFiles: source.envFiles ?? [], profiles: source.profiles ?? [], adopted: false };
}

/** A ledger line that says which definition an app runs (recorded at create and on every update). */
export function definitionDetail(before: ComposeDefinition | null, after: ComposeDefinition): NewLedgerEntry['detail'] {
  return before === null ? `compose definition ${after.hash} from ${after.file}` : `compose definition ${before.hash} → ${after.hash} from ${after.file}`;
}
