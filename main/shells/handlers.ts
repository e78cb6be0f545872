/**
 * The handlers every transport serves: validate the request against the contract (unknown
 * fields rejected), call the core, and answer with an envelope. Transports (in-process,
 * IPC, HTTP) stay thin wrappers around `handle`.
 */
import type { z } from 'zod';
import { OPERATIONS, requestSchema, type OperationName, type RequestOf, type ResponseOf } from '../api/contract';
import type { Envelope } from '../api/envelope';
import { TagkeeperError, asTagkeeperError } from '../api/errors';
import type { Tagkeeper } from '../core/tagkeeper';

type Handlers = { [K in OperationName]: (request: RequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K> };

export function createHandlers(core: Tagkeeper): Handlers {
  return {
    'apps:create': (r) => core.createApp(r),
    'apps:configure': ({ name, ...overrides }) => core.configureApp(name, overrides),
    'apps:list': () => core.listApps(),
    'apps:show': (r) => core.showApp(r.name),
    'apps:delete': async (r) => {
      await core.deleteApp(r.name, { volumes: r.volumes });
      return { deleted: r.name };
    },
    'apps:refresh': (r) => core.refresh(r.name, r),
    'apps:restart': (r) => core.restart(r.name, r),
    'apps:purge': (r) => core.purge(r.name, r),
    'apps:rollback': (r) => core.rollback(r.name, r),
    'apps:start': (r) => core.start(r.name, r),
    'apps:stop': (r) => core.stop(r.name, r),
    'operations:resume': (r) => core.resume(r.app),
    'operations:list': (r) => core.listOperations(r.app, r.limit),
    'operations:cancel': (r) => core.cancelOperation(r.id),
    'engine:status': () => core.engineStatus(),
    'references:parse': (r) => core.parseReference(r.reference),
    'images:list': () => core.listImages(),
    'images:prune': (r) => core.pruneImages(r),
    'registries:list': () => core.listRegistries(),
    'registries:set': (r) => core.saveRegistry(r),
    'registries:remove': (r) => core.removeRegistry(r.host),
    'images:check': (r) => core.check(r.apps),
    'updates:list': (r) => core.listUpdates(r),
    'updates:approve': (r) => core.approveUpdates(r.app, r),
    'updates:reject': (r) => core.rejectUpdates(r.app, r),
    'inventory:export': () => core.inventory(),
    'bundles:export': (r) => core.exportBundle(r),
    'bundles:inspect': (r) => core.inspectBundle(r.file),
    'bundles:import': (r) => core.importBundle(r),
    'transfers:cancel': (r) => core.cancelTransfer(r.id),
    'keys:list': () => core.listKeys(),
    'keys:trust': (r) => core.trustKey(r),
    'keys:remove': (r) => core.removeKey(r.keyId),
    'device:report': () => core.report(),
    'ledger:list': (r) => core.ledger(r.app),
    'settings:get': () => core.getSettings(),
    'settings:set': (r) => core.setSetting(r.key, r.value),
  };
}

export function validateRequest<K extends OperationName>(operation: K, request: unknown): RequestOf<K> {
  const schema = requestSchema(operation) as unknown as z.ZodType<RequestOf<K>>;
  const parsed = schema.safeParse(request ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length > 0 ? issue.path.join('.') : 'request';
  throw new TagkeeperError('invalid-input', `${operation}: ${where}: ${issue.message}`, {
    hint: 'see the contract in main/api/contract.ts for the fields this operation takes',
  });
}

/** Validate, run, wrap: never throws. */
export async function handle(handlers: Handlers, operation: string, request: unknown): Promise<Envelope<unknown>> {
  try {
    if (!(OPERATIONS as string[]).includes(operation)) {
      throw new TagkeeperError('invalid-input', `unknown operation "${operation}"`, { hint: `operations are: ${OPERATIONS.join(', ')}` });
    }
    const op = operation as OperationName;
    const valid = validateRequest(op, request);
    const value = await (handlers[op] as (r: unknown) => Promise<unknown>)(valid);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: asTagkeeperError(error).toInfo() };
  }
}

export type { Handlers };
