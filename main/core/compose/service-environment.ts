/**
 * A service's environment, resolved as compose-go's WithServicesEnvironmentResolved does:
 *
 * 1. `environment` (mapping, or list of `NAME=value`); `NAME` alone (or `NAME:` with no
 *    value) takes the value of the project's variables, and stays unset when there is none;
 * 2. each `env_file` in order (string, list, or `{path, required}`; relative to the project
 *    folder; `required: false` skips a missing file) is read on top, interpolated from the
 *    project's variables first, then the service's environment, then what was read before;
 * 3. `environment` wins over the files, and a variable it names without a value that stays
 *    unset is left out, even if a file set it.
 */
import { ENV_FILE_KEYS } from './compose-keys';
import type { Scope } from './compose-error';
import { resolveHostPath } from './host-path';
import { parseEnvFileAt, type ReadFile, readIfPresent } from './project-environment';
import { asMap, checkKeys, readBoolean, readListOrDict, readNonEmptyString, sortedRecord } from './read-values';
import type { YMap, YNode } from './yaml-tree';

export interface EnvironmentContext {
  variables: Record<string, string>;
  projectDir: string;
  home: string | undefined;
  readFile: ReadFile;
}

export function readServiceEnvironment(service: YMap, scope: Scope, context: EnvironmentContext): Record<string, string> {
  const lookupVariable = (name: string) => (Object.hasOwn(context.variables, name) ? context.variables[name] : undefined);
  const own = new Map<string, string | null>();
  const environmentNode = service.entries.get('environment')?.value;
  if (environmentNode !== undefined) {
    const environmentScope = scope.field('environment');
    for (const [name, { value, at }] of readListOrDict(environmentNode, environmentScope)) {
      if (name === '') environmentScope.fail(at, 'a variable has no name', 'write NAME=value');
      if (/\s$/.test(name)) environmentScope.fail(at, `variable ${name} is declared with a trailing space`, 'remove the space before "="');
      own.set(name, value ?? lookupVariable(name) ?? null);
    }
  }

  const fromFiles: Record<string, string> = {};
  for (const [name, value] of own) if (value !== null) fromFiles[name] = value;
  const envFileNode = service.entries.get('env_file')?.value;
  if (envFileNode !== undefined) {
    for (const { path, required, at } of envFiles(envFileNode, scope.field('env_file'), context)) {
      const text = readIfPresent(context.readFile, path);
      if (text === null) {
        if (required) scope.field('env_file').fail(at, `env file ${path} not found`, 'create the file, fix the path, or mark it required: false');
        continue;
      }
      parseEnvFileAt(path, text, (name) => lookupVariable(name) ?? (own.get(name) ?? undefined), fromFiles);
    }
  }

  const result = new Map(Object.entries(fromFiles));
  for (const [name, value] of own) {
    if (value === null) result.delete(name);
    else result.set(name, value);
  }
  return sortedRecord(result);
}

function envFiles(node: YNode, scope: Scope, context: EnvironmentContext): { path: string; required: boolean; at: YNode }[] {
  const items = node.kind === 'list' ? node.items : [node];
  return items.map((item, index) => {
    const itemScope = node.kind === 'list' ? scope.field(index) : scope;
    let given: string;
    let required = true;
    if (item.kind === 'map') {
      const map = asMap(item, itemScope);
      checkKeys(map, itemScope, ENV_FILE_KEYS);
      const pathEntry = map.entries.get('path') ?? itemScope.fail(item, 'path is missing', 'give the file as path: ./app.env');
      given = readNonEmptyString(pathEntry.value, itemScope.field('path'), 'give the path of the env file');
      const requiredEntry = map.entries.get('required');
      if (requiredEntry !== undefined) required = readBoolean(requiredEntry.value, itemScope.field('required'));
    } else {
      given = readNonEmptyString(item, itemScope, 'give the path of the env file, e.g. ./app.env');
    }
    const resolved = resolveHostPath(given, context.projectDir, context.home);
    if (!resolved.ok) throw itemScope.error(item, resolved.why, resolved.hint);
    return { path: resolved.path, required, at: item };
  });
}
