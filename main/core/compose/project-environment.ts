/**
 * What a Compose project is loaded with besides its file, decided as `docker compose` v2
 * decides it (compose-go cli/options.go):
 *
 * - variables for interpolation: the environment given (it always wins), then the
 *   `--env-file` files in order (a later file overrides an earlier one); when no env file
 *   is given, the project folder's `.env` if there is one (unless COMPOSE_DISABLE_ENV_FILE
 *   is true). Each file is interpolated from the environment and from what was read before.
 * - the project name: the name given (as `-p`), else COMPOSE_PROJECT_NAME, else the file's
 *   `name:` (interpolated, normalized), else the project folder's name (normalized).
 *   A name that is given must already be normal; COMPOSE_PROJECT_NAME is then set for
 *   interpolation.
 * - profiles: those given, else COMPOSE_PROFILES (comma-separated).
 */
import { posix } from 'node:path';
import { composeError } from './compose-error';
import { EnvFileError, parseEnvFile } from './env-file';
import { InterpolationError, substitute } from './interpolate';

export type ReadFile = (absolutePath: string) => string;

/** Reads a file, or null when it does not exist (readFile threw ENOENT, ENOTDIR or EISDIR). */
export function readIfPresent(readFile: ReadFile, path: string): string | null {
  try {
    return readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return null;
    throw composeError(path, null, '', `cannot be read: ${error instanceof Error ? error.message : String(error)}`, 'check the file and its permissions');
  }
}

export function projectVariables(input: {
  projectDir: string;
  environment: Record<string, string>;
  envFiles?: string[];
  readFile: ReadFile;
}): Record<string, string> {
  const environment = { ...input.environment };
  const files: { path: string; text: string }[] = [];
  if (input.envFiles !== undefined && input.envFiles.length > 0) {
    for (const path of input.envFiles) {
      const text = readIfPresent(input.readFile, path);
      if (text === null) throw composeError(path, null, '', `env file ${path} not found`, 'give the path of an existing file to --env-file');
      files.push({ path, text });
    }
  } else if (!defaultEnvFileDisabled(environment)) {
    const path = posix.join(input.projectDir, '.env');
    const text = readIfPresent(input.readFile, path);
    if (text !== null) files.push({ path, text });
  }
  const fromFiles: Record<string, string> = {};
  for (const { path, text } of files) {
    parseEnvFileAt(path, text, (name) => (Object.hasOwn(environment, name) ? environment[name] : undefined), fromFiles);
  }
  return { ...fromFiles, ...environment };
}

/** Parses one env file, turning a syntax error into a message that names the file and line. */
export function parseEnvFileAt(path: string, text: string, lookup: (name: string) => string | undefined, into: Record<string, string>): Record<string, string> {
  try {
    return parseEnvFile(text, lookup, into);
  } catch (error) {
    if (!(error instanceof EnvFileError)) throw error;
    throw composeError(path, error.line, '', error.reason, 'write one NAME=value per line; quote values with spaces or special characters');
  }
}

function defaultEnvFileDisabled(environment: Record<string, string>): boolean {
  const value = environment.COMPOSE_DISABLE_ENV_FILE;
  if (value === undefined) return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False', ''].includes(value)) return false;
  throw composeError('COMPOSE_DISABLE_ENV_FILE', null, '', `"${value}" is not true or false`, 'set COMPOSE_DISABLE_ENV_FILE to true or false');
}

/** compose-go's NormalizeProjectName: lower case, only [a-z0-9_-], no leading '_' or '-'. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

const NAME_HINT = 'use lower-case letters, digits, "_" and "-", starting with a letter or digit';

export function decideProjectName(input: {
  file: string;
  given: string | undefined;
  variables: Record<string, string>;
  /** The file's `name:` as written (not yet interpolated), and its line. */
  nameInFile: { text: string; line: number } | null;
  projectDir: string;
}): string {
  const imperative = input.given !== undefined && input.given !== '' ? { name: input.given, from: 'the project name given' } : null;
  const fromEnvironment = input.variables.COMPOSE_PROJECT_NAME;
  const chosen = imperative ?? (fromEnvironment !== undefined && fromEnvironment !== '' ? { name: fromEnvironment, from: 'COMPOSE_PROJECT_NAME' } : null);
  if (chosen !== null) {
    if (normalizeProjectName(chosen.name) !== chosen.name) {
      throw composeError(input.file, null, '', `invalid project name "${chosen.name}" (${chosen.from})`, `${NAME_HINT}, e.g. "${normalizeProjectName(chosen.name) || 'app'}"`);
    }
    return chosen.name;
  }
  if (input.nameInFile !== null) {
    let interpolated: string;
    try {
      interpolated = substitute(input.nameInFile.text, (name) => (Object.hasOwn(input.variables, name) ? input.variables[name] : undefined));
    } catch (error) {
      if (!(error instanceof InterpolationError)) throw error;
      throw composeError(input.file, input.nameInFile.line, 'name', error.message, error.hint);
    }
    const normalized = normalizeProjectName(interpolated);
    if (normalized === '') throw composeError(input.file, input.nameInFile.line, 'name', `"${interpolated}" has no letters or digits to name the project with`, NAME_HINT);
    return normalized;
  }
  const fromFolder = normalizeProjectName(posix.basename(input.projectDir));
  if (fromFolder === '') {
    throw composeError(input.file, null, '', `the folder name "${posix.basename(input.projectDir)}" gives no project name`, 'give a project name, or set name: in the Compose file');
  }
  return fromFolder;
}

export function activeProfiles(given: string[] | undefined, variables: Record<string, string>): string[] {
  if (given !== undefined && given.length > 0) return given;
  const fromEnvironment = variables.COMPOSE_PROFILES;
  return fromEnvironment === undefined ? [] : fromEnvironment.split(',').filter((profile) => profile !== '');
}
