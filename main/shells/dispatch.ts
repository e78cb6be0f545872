/**
 * What every transport does with a request: validate it against the contract (unknown
 * fields rejected), call the operation's handler, and answer with an envelope. Transports
 * (in-process, IPC, HTTP) stay thin wrappers around `handle`.
 */
import type { z } from 'zod';
import { OPERATIONS, requestSchema, type Handlers, type OperationName, type RequestOf } from '../api/contract';
import type { Envelope } from '../api/envelope';
import { TagkeeperError, asTagkeeperError } from '../api/errors';

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

