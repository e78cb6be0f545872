/**
 * The contract: every operation Tagkeeper offers, by `domain:verb`, with the schema its
 * request must pass and the type of its response. The CLI, the Electron IPC shell and the
 * HTTP shell all serve exactly this map. No Node or Electron imports: the renderer uses it.
 */
import { z } from 'zod';
import type { CheckResult } from '../core/app-check';
import type { AppView } from '../core/app-view';
import type { LedgerEntry } from '../core/app-types';
import type { DeviceReport } from '../core/report';
import type { DeviceSettings } from '../core/settings';
import type { OperationAnswer } from '../core/tagkeeper';
import type { OperationResult } from '../core/operation-types';

const name = z.string().min(1).max(200);

const serviceRequest = z
  .object({
    name,
    image: z.string().min(1).max(1024),
    cmd: z.array(z.string()).optional(),
    env: z.array(z.string()).optional(),
    volumes: z.array(z.string()).optional(),
    ports: z.array(z.string()).optional(),
    network: z.string().min(1).max(200).optional(),
    restartPolicy: z.enum(['no', 'always', 'unless-stopped', 'on-failure']).optional(),
  })
  .strict();

export const requestSchemas = {
  'apps:create': z
    .object({
      name,
      services: z.array(serviceRequest).min(1).max(64),
      pullPolicy: z.enum(['always', 'if-not-present', 'never']).nullable().optional(),
      checkOnStart: z.boolean().nullable().optional(),
    })
    .strict(),
  'apps:list': z.object({}).strict(),
  'apps:show': z.object({ name }).strict(),
  'apps:delete': z.object({ name, volumes: z.boolean().optional() }).strict(),
  'apps:refresh': z.object({ name, restart: z.boolean().optional(), purge: z.boolean().optional(), wait: z.boolean().optional() }).strict(),
  'apps:restart': z.object({ name, wait: z.boolean().optional() }).strict(),
  'apps:purge': z.object({ name, wait: z.boolean().optional() }).strict(),
  'apps:start': z.object({ name, wait: z.boolean().optional() }).strict(),
  'apps:stop': z.object({ name, wait: z.boolean().optional() }).strict(),
  'operations:resume': z.object({ app: name.optional() }).strict(),
  'images:check': z.object({ apps: z.array(name).max(10_000) }).strict(),
  'device:report': z.object({}).strict(),
  'ledger:list': z.object({ app: name.optional() }).strict(),
  'settings:get': z.object({}).strict(),
  'settings:set': z.object({ key: z.string().min(1).max(100), value: z.string().max(10_000) }).strict(),
} as const;

export interface ResponseTypes {
  'apps:create': AppView;
  'apps:list': AppView[];
  'apps:show': AppView;
  'apps:delete': { deleted: string };
  'apps:refresh': OperationAnswer;
  'apps:restart': OperationAnswer;
  'apps:purge': OperationAnswer;
  'apps:start': OperationAnswer;
  'apps:stop': OperationAnswer;
  'operations:resume': { resumed: OperationResult[] };
  'images:check': CheckResult;
  'device:report': DeviceReport;
  'ledger:list': LedgerEntry[];
  'settings:get': DeviceSettings;
  'settings:set': DeviceSettings;
}

export type OperationName = keyof typeof requestSchemas;
export type RequestOf<K extends OperationName> = z.infer<(typeof requestSchemas)[K]>;
export type ResponseOf<K extends OperationName> = ResponseTypes[K];
export const OPERATIONS = Object.keys(requestSchemas) as OperationName[];
