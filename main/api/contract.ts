/**
 * The contract: every operation Tagkeeper offers, by `domain:verb`, with the schema its
 * request must pass and the type of its response. The CLI, the Electron IPC shell and the
 * HTTP shell all serve exactly this map. No Node or Electron imports: the renderer uses it.
 */
import type { ComposeExport } from './types/compose';
import type { ComposeChanges } from './types/compose';
import * as z from 'zod';
import { PULL_POLICIES, RESTART_POLICIES } from './types/apps';
import type { AppView } from './types/app-view';
import type { LedgerEntry } from './types/apps';
import type { DeviceReport } from './types/report';
import type { DeviceSettings, TrustedKeyView, RegistryView, RegistriesStatus } from './types/settings';
import type { CheckAnswer, ApproveAnswer, PendingUpdateView, PendingUpdate, RefreshPreview } from './types/updates';
import type { OperationAnswer, Operation, OperationResult } from './types/operations';
import type { ExportAnswer, ImportAnswer, BundlePreview, NeedsList } from './types/bundles';
import type { EngineAcceptAnswer, EngineStatus } from './types/engine';
import type { ImageReference } from './types/reference';
import type { ImageView, PruneAnswer } from './types/images';

const name = z.string().min(1).max(200);
const transferId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
/** A person's name as they give it (the approver in the UI: Approve, Import and approve): one line, no control characters. */
const personName = z.string().trim().min(1).max(100).regex(/^[^\p{Cc}]+$/u, 'a name has no control characters');

const serviceRequest = z
  .object({
    name,
    image: z.string().min(1).max(1024),
    cmd: z.array(z.string()).optional(),
    env: z.array(z.string()).optional(),
    volumes: z.array(z.string()).optional(),
    ports: z.array(z.string()).optional(),
    network: z.string().min(1).max(200).optional(),
    restartPolicy: z.enum(RESTART_POLICIES).optional(),
  })
  .strict();

/**
 * How to build each operation's request schema. `requestSchema` builds one on first use:
 * building all of them at load would cost every CLI run ~20 ms for the one it validates.
 */
const requestSchemaBuilders = {
  'apps:create': () => z
    .object({
      name,
      services: z.array(serviceRequest).min(1).max(64),
      pullPolicy: z.enum(PULL_POLICIES).nullable().optional(),
      checkOnStart: z.boolean().nullable().optional(),
      autoApply: z.boolean().nullable().optional(),
    })
    .strict(),
  'apps:configure': () => z
    .object({
      name,
      pullPolicy: z.enum(PULL_POLICIES).nullable().optional(),
      checkOnStart: z.boolean().nullable().optional(),
      autoApply: z.boolean().nullable().optional(),
    })
    .strict(),
  'apps:list': () => z.object({}).strict(),
  'apps:show': () => z.object({ name }).strict(),
  'apps:delete': () => z.object({ name, volumes: z.boolean().optional() }).strict(),
  'apps:refresh': () => z
    .object({
      name,
      restart: z.boolean().optional(),
      purge: z.boolean().optional(),
      wait: z.boolean().optional(),
      /** Only these services move (default: all). */
      services: z.array(name).min(1).max(64).optional(),
      /** Also take digests rejected for those services (default: they are left out). */
      includeRejected: z.boolean().optional(),
    })
    .strict(),
  'apps:refresh-preview': () => z.object({ name }).strict(),
  'apps:restart': () => z.object({ name, wait: z.boolean().optional() }).strict(),
  'apps:purge': () => z.object({ name, wait: z.boolean().optional() }).strict(),
  'apps:rollback': () => z.object({ name, wait: z.boolean().optional() }).strict(),
  'apps:start': () => z.object({ name, wait: z.boolean().optional() }).strict(),
  'apps:stop': () => z.object({ name, wait: z.boolean().optional() }).strict(),
  'operations:resume': () => z.object({ app: name.optional() }).strict(),
  'operations:list': () => z.object({ app: name.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'operations:cancel': () => z.object({ id: z.number().int().min(1) }).strict(),
  'engine:status': () => z.object({}).strict(),
  'engine:accept': () => z.object({}).strict(),
  'references:parse': () => z.object({ reference: z.string().max(1024) }).strict(),
  'images:list': () => z.object({}).strict(),
  'images:prune': () => z.object({ dryRun: z.boolean().optional() }).strict(),
  'registries:list': () => z.object({}).strict(),
  'registries:set': () => z.object({ host: z.string().min(1).max(300), username: z.string().max(300), password: z.string().max(10_000) }).strict(),
  'registries:remove': () => z.object({ host: z.string().min(1).max(300) }).strict(),
  'registries:status': () => z.object({}).strict(),
  'images:check': () => z.object({ apps: z.array(name).max(10_000) }).strict(),
  'updates:list': () => z.object({ app: name.optional(), sizes: z.boolean().optional(), all: z.boolean().optional() }).strict(),
  'updates:approve': () => z.object({ app: name, service: name.optional(), wait: z.boolean().optional(), allowDowngrade: z.boolean().optional(), approver: personName.optional() }).strict(),
  'updates:reject': () => z.object({ app: name, service: name.optional() }).strict(),
  'updates:repropose': () => z.object({ app: name }).strict(),
  'inventory:export': () => z.object({}).strict(),
  'bundles:export': () => z
    .object({
      file: z.string().min(1).max(4096).optional(),
      apps: z.array(name).max(10_000).optional(),
      latest: z.boolean().optional(),
      needs: z.unknown().optional(),
      signKeyFile: z.string().min(1).max(4096).optional(),
      transferId: transferId.optional(),
    })
    .strict(),
  'bundles:inspect': () => z.object({ file: z.string().min(1).max(4096) }).strict(),
  'bundles:import': () =>
    z
      .object({
        file: z.string().min(1).max(4096),
        approve: z.boolean().optional(),
        allowUnsigned: z.boolean().optional(),
        allowDowngrade: z.boolean().optional(),
        approver: personName.optional(),
        transferId: transferId.optional(),
      })
      .strict(),
  'transfers:cancel': () => z.object({ id: transferId }).strict(),
  'keys:list': () => z.object({}).strict(),
  'keys:trust': () => z.object({ publicKey: z.string().min(1).max(10_000), name: z.string().max(200).optional() }).strict(),
  'keys:remove': () => z.object({ keyId: z.string().min(1).max(200) }).strict(),
  'device:report': () => z.object({}).strict(),
  'ledger:list': () => z.object({ app: name.optional() }).strict(),
  'settings:get': () => z.object({}).strict(),
  'settings:set': () => z.object({ key: z.string().min(1).max(100), value: z.string().max(10_000) }).strict(),
  'compose:create': () => z
    .object({
      name,
      ...composeSource(),
      pullPolicy: z.enum(PULL_POLICIES).nullable().optional(),
      checkOnStart: z.boolean().nullable().optional(),
      autoApply: z.boolean().nullable().optional(),
    })
    .strict(),
  'compose:plan': () => z.object({ name, ...composeSource() }).strict(),
  'compose:update': () => z.object({ name, ...composeSource(), wait: z.boolean().optional() }).strict(),
  'compose:export': () => z.object({ name }).strict(),
  'compose:adopt': () => z.object({ project: name, ...composeSource(), file: z.string().min(1).max(4096).optional() }).strict(),
};

/** Where a Compose file comes from: its absolute path on the box (and its text, when pasted). */
function composeSource() {
  const path = z.string().min(1).max(4096);
  return {
    file: path,
    text: z.string().max(1_000_000).optional(),
    envFiles: z.array(path).max(64).optional(),
    profiles: z.array(z.string().min(1).max(200)).max(64).optional(),
    environment: z.record(z.string().max(1000), z.string().max(100_000)).optional(),
  };
}

export interface ResponseTypes {
  'apps:create': AppView;
  'apps:configure': AppView;
  'apps:list': AppView[];
  'apps:show': AppView;
  'apps:delete': { deleted: string };
  'apps:refresh': OperationAnswer;
  'apps:refresh-preview': RefreshPreview;
  'apps:restart': OperationAnswer;
  'apps:purge': OperationAnswer;
  'apps:rollback': OperationAnswer;
  'apps:start': OperationAnswer;
  'apps:stop': OperationAnswer;
  'operations:resume': { resumed: OperationResult[] };
  'operations:list': Operation[];
  'operations:cancel': { cancelled: boolean; reason: string };
  'engine:status': EngineStatus;
  'engine:accept': EngineAcceptAnswer;
  'references:parse': Omit<ImageReference, 'input'>;
  'images:list': ImageView[];
  'images:prune': PruneAnswer;
  'registries:list': RegistryView[];
  'registries:set': RegistryView;
  'registries:remove': { removed: string };
  'registries:status': RegistriesStatus;
  'images:check': CheckAnswer;
  'updates:list': PendingUpdateView[];
  'updates:approve': ApproveAnswer;
  'updates:reject': { rejected: PendingUpdate[] };
  /** What a rollback went back from, proposed again (approve it as any update: "Re-apply"). */
  'updates:repropose': { proposed: PendingUpdate[] };
  'inventory:export': NeedsList;
  'bundles:export': ExportAnswer;
  'bundles:inspect': BundlePreview;
  'bundles:import': ImportAnswer;
  'transfers:cancel': { cancelled: boolean; reason: string };
  'keys:list': TrustedKeyView[];
  'keys:trust': TrustedKeyView & { added: boolean };
  'keys:remove': { removed: string };
  'device:report': DeviceReport;
  'ledger:list': LedgerEntry[];
  'settings:get': DeviceSettings;
  'settings:set': DeviceSettings;
  'compose:create': AppView;
  'compose:plan': ComposeChanges;
  'compose:update': { changes: ComposeChanges; result: OperationAnswer | null };
  'compose:adopt': AppView;
  'compose:export': ComposeExport;
}

export type OperationName = keyof typeof requestSchemaBuilders;
/** The zod schema of an operation's request. */
export type RequestSchema<K extends OperationName> = ReturnType<(typeof requestSchemaBuilders)[K]>;
export type RequestOf<K extends OperationName> = z.infer<RequestSchema<K>>;
export type ResponseOf<K extends OperationName> = ResponseTypes[K];
export const OPERATIONS = Object.keys(requestSchemaBuilders) as OperationName[];

/** The domain of an operation: `apps` of `apps:refresh`. */
export type Domain = OperationName extends `${infer D}:${string}` ? D : never;
/** What serves one operation: its validated request in, its response out. */
export type Handler<K extends OperationName> = (request: RequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K>;
/** Every operation's handler: what each transport (in-process, IPC, HTTP) serves. */
export type Handlers = { [K in OperationName]: Handler<K> };
/** The handlers of one domain's operations: what a domain's handler module provides. */
export type DomainHandlers<D extends Domain> = { [K in OperationName as K extends `${D}:${string}` ? K : never]: Handler<K> };

const builtSchemas = new Map<OperationName, z.ZodType>();

/** The schema a request to `operation` must pass (unknown fields rejected); built once, on first use. */
export function requestSchema<K extends OperationName>(operation: K): RequestSchema<K> {
  let schema = builtSchemas.get(operation);
  if (schema === undefined) {
    schema = requestSchemaBuilders[operation]();
    builtSchemas.set(operation, schema);
  }
  return schema as RequestSchema<K>;
}
