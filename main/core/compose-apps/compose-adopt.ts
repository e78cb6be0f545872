/**
 * `app adopt PROJECT`: a project `docker compose` started becomes a Tagkeeper app without
 * restarting anything. Its containers are found by Compose's labels, its Compose file by the
 * `config_files` label (or the one given); each service latches the content its container
 * runs now: the image id, and the registry digests the image's RepoDigests carry (the
 * platform manifest looked up by digest when only the index is known, unless offline). A
 * service whose content cannot be tied to a registry digest says so, and still runs.
 */
import { TagkeeperError } from '../../api/errors';
import type { AppRecord, Latched } from '../../api/types/apps';
import type { ComposeDefinition } from '../../api/types/apps';
import { COMPOSE_LABEL } from '../apps/app-topology';
import { digestsOf } from '../content/local-image';
import { fetchManifest } from '../content/resolver';
import { ledgerEntry } from '../ledger/ledger-entry';
import { selectPlatform } from '../model/platform';
import { parseReference } from '../model/reference';
import { type CoreDeps, isoNow } from '../ports/deps';
import type { ContainerInfo } from '../ports/engine-port';
import { newComposeApp } from './compose-create';
import { definitionDetail, loadDefinition, type ComposeSource } from './compose-definition';

export interface AdoptRequest extends Omit<ComposeSource, 'file'> {
  project: string;
  /** The Compose file; default: the one the containers' `config_files` label names. */
  file?: string;
}

export async function adoptProject(deps: CoreDeps, request: AdoptRequest): Promise<AppRecord> {
  const name = request.project;
  if (deps.store.getApp(name)) {
    throw new TagkeeperError('already-exists', `an app named "${name}" already exists`, { hint: 'delete it first, or adopt the project under its own name only once' });
  }
  await deps.engine.ping();
  const containers = (await deps.engine.listContainers({ [COMPOSE_LABEL.project]: name })).filter((c) => c.labels[COMPOSE_LABEL.oneoff] !== 'True');
  if (containers.length === 0) {
    throw new TagkeeperError('invalid-input', `no container of a docker compose project "${name}" is on this engine`, {
      hint: `start it first (docker compose -p ${name} up -d), or check the name with docker ps --filter label=com.docker.compose.project`,
    });
  }
  const compose: ComposeDefinition = { ...loadDefinition(deps, name, { ...request, file: request.file ?? composeFileOf(name, containers) }), adopted: true };
  const byService = new Map(containers.map((c) => [c.labels[COMPOSE_LABEL.service], c]));
  const missing = compose.project.services.filter((s) => !byService.has(s.name)).map((s) => s.name);
  if (missing.length > 0) {
    throw new TagkeeperError('invalid-input', `project ${name} has no container for service(s) ${missing.join(', ')}`, {
      hint: `start them (docker compose -p ${name} up -d) so that what runs matches the Compose file, then adopt`,
    });
  }
  const platform = await deps.engine.platform();
  const latches = await Promise.all(compose.project.services.map(async (s) => ({ service: s.name, ...(await latchRunning(deps, s.image, byService.get(s.name)!, platform)) })));

  const app = deps.store.insertApp(newComposeApp(name, compose), isoNow(deps));
  for (const { service, latched } of latches) {
    deps.store.latchService(name, service, latched);
    deps.store.setServiceContainer(name, service, byService.get(service)!.id);
  }
  deps.store.setAppIntent(name, 'running', null, isoNow(deps));
  deps.store.appendLedger([
    ...latches.map(({ service, latched, note }) =>
      ledgerEntry(deps, { app: name, service, action: 'resolve', to: latched, source: latched.source, detail: note }),
    ),
    ledgerEntry(deps, { app: name, action: 'create', detail: `adopted the running docker compose project ${name} (no container restarted); ${definitionDetail(null, compose)}` }),
  ]);
  deps.emit({ type: 'app-changed', app: app.name });
  return deps.store.getApp(name)!;
}

function composeFileOf(project: string, containers: ContainerInfo[]): string {
  const label = containers.map((c) => c.labels[COMPOSE_LABEL.configFiles]).find((v) => v);
  const workingDir = containers.map((c) => c.labels[COMPOSE_LABEL.workingDir]).find((v) => v) ?? '/';
  if (!label) {
    throw new TagkeeperError('invalid-input', `the containers of project ${project} do not say which Compose file started them`, { hint: 'give it with --compose FILE' });
  }
  const files = label.split(',');
  if (files.length > 1) {
    throw new TagkeeperError('invalid-input', `project ${project} was started from several Compose files (${label})`, {
      hint: 'Tagkeeper takes one Compose file: merge them (docker compose config > merged.yaml) and adopt with --compose merged.yaml',
    });
  }
  return files[0].startsWith('/') ? files[0] : `${workingDir.replace(/\/$/, '')}/${files[0]}`;
}

/** What a container runs now, as a latch: its image id and the registry digests the image carries. */
async function latchRunning(deps: CoreDeps, image: string, container: ContainerInfo, platform: Parameters<typeof selectPlatform>[1]): Promise<{ latched: Latched; note: string }> {
  const ref = parseReference(image);
  const local = await deps.engine.inspectImage(container.imageId);
  let digests = local ? digestsOf(deps, ref, local, platform) : { indexDigest: null, manifestDigest: null };
  if (digests.indexDigest && !digests.manifestDigest && !deps.store.getSettings().offline) {
    try {
      const top = await fetchManifest(deps, ref, digests.indexDigest);
      digests = { indexDigest: digests.indexDigest, manifestDigest: top.parsed.kind === 'index' ? selectPlatform(top.parsed, platform).digest : digests.indexDigest };
    } catch {
      // The registry could not say: the index is known, the platform manifest is found on the next check.
    }
  }
  const at = isoNow(deps);
  if (digests.indexDigest === null) {
    return {
      latched: { indexDigest: null, manifestDigest: null, imageId: container.imageId, source: 'local', at },
      note: `adopted ${container.name}: image ${container.imageId} carries no registry digest of ${ref.repository} (built or loaded on this box); it keeps running, and a refresh resolves the tag`,
    };
  }
  return {
    latched: { ...digests, imageId: container.imageId, source: 'registry', at },
    note: `adopted ${container.name}: runs ${ref.repository}@${digests.indexDigest}`,
  };
}
