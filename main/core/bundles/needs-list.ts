/**
 * The needs list (`inventory export`): what an air-gapped box runs and which layers it has,
 * so that a connected machine can build a delta bundle with only what is missing.
 */
import { NEEDS_FORMAT, type NeedsList } from '../../api/types/bundles';
import * as z from 'zod';
import { type CoreDeps, isoNow } from '../ports/deps';
import { TagkeeperError } from '../../api/errors';
import { layersOnBox } from '../content/download-preview';
import { OPEN_UPDATE_STATES } from '../../api/types/updates';

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/);
const pair = z.object({ indexDigest: digest.nullable(), manifestDigest: digest.nullable() }).strict();

export const needsListSchema = z
  .object({
    format: z.literal(NEEDS_FORMAT),
    createdAt: z.string(),
    device: z.object({ host: z.string(), user: z.string() }).strict(),
    platform: z.object({ os: z.string().min(1), architecture: z.string().min(1), variant: z.string().optional() }).strict(),
    apps: z
      .array(
        z
          .object({
            app: z.string().min(1),
            service: z.string().min(1),
            reference: z.string().min(1),
            canonical: z.string().min(1),
            pinnedDigest: digest.nullable(),
            latched: pair.nullable(),
          })
          .strict(),
      )
      .max(10_000),
    layers: z.array(digest).max(1_000_000),
  })
  .strict();

export async function buildNeedsList(deps: CoreDeps): Promise<NeedsList> {
  await deps.engine.ping();
  const [images, platform] = await Promise.all([deps.engine.listImages(), deps.engine.platform()]);
  const apps = deps.store.listApps();
  const have = layersOnBox(deps, images, apps, deps.store.listPendingUpdates({ states: OPEN_UPDATE_STATES }));
  return {
    format: NEEDS_FORMAT,
    createdAt: isoNow(deps),
    device: { host: deps.host, user: deps.actor },
    platform,
    apps: apps.flatMap((a) =>
      a.services.map((s) => ({
        app: a.name,
        service: s.name,
        reference: s.reference,
        canonical: s.canonical,
        pinnedDigest: s.pinnedDigest,
        latched: s.latched ? { indexDigest: s.latched.indexDigest, manifestDigest: s.latched.manifestDigest } : null,
      })),
    ),
    layers: [...have].sort(),
  };
}

/** A needs list as read from a file; throws invalid-input saying what is wrong with it. */
export function parseNeedsList(value: unknown): NeedsList {
  const parsed = needsListSchema.safeParse(value);
  if (parsed.success) return parsed.data as NeedsList;
  const issue = parsed.error.issues[0];
  throw new TagkeeperError('invalid-input', `the needs list is not valid: ${issue.path.join('.') || 'file'}: ${issue.message}`, {
    hint: 'make it on the site with: tagkeeper inventory export NEEDS.json',
  });
}
