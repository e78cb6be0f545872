/**
 * EnginePort over the Docker Engine API, with dockerode. dockerode's types stay in this
 * folder: every answer is mapped to the core's types before it leaves.
 */
import type { RegistryAuth, ContainerInfo, ContainerSpec, EngineEvent, EnginePort, ImageArchive, LoadImageOptions, LocalImage, NetworkSpec, PullMessage } from '../core/ports/engine-port';
import type Docker from 'dockerode';
import type { Platform } from '../api/types/engine';
import { TagkeeperError } from '../api/errors';
import { chooseDockerHost, connectionOptions } from './docker-host';
import { engineCall, engineMessage, httpStatus, mapEngineError, unreachable } from './engine-errors';
import { containerCreateBody, laterNetworks, mapContainer, type RawContainerInspect } from './map-container';
import { mapImage, type RawImageInspect } from './map-image';
import { enginePlatform } from './map-platform';
import { loadImage } from './load-image';
import { probe, type ProbeAnswer } from './engine-probe';
import { pullImage } from './pull-image';
import { subscribeEvents } from './subscribe-events';

const PING_TIMEOUT_MS = 3000;
/** Reads over node:http (image inspect and list) that get no answer in this time fail. */
const READ_TIMEOUT_MS = 60_000;
/** How many inspects run at once when a listing needs details of every item. */
const INSPECT_CONCURRENCY = 8;

export interface EngineOptions {
  /** `unix:///path/docker.sock` or `tcp://host:port`; default $DOCKER_HOST, then the system socket. */
  dockerHost?: string;
}

/** The engine at `options.dockerHost` (else $DOCKER_HOST, else unix:///var/run/docker.sock). */
export function createEngine(options: EngineOptions = {}): DockerEngine {
  return new DockerEngine(chooseDockerHost(options.dockerHost));
}


export class DockerEngine implements EnginePort {
  readonly endpoint: string;
  private readonly connection: Docker.DockerOptions;
  private client: Docker | undefined;
  private platformCache: Promise<Platform> | undefined;

  constructor(endpoint: string) {
    this.endpoint = endpoint;
    this.connection = connectionOptions(endpoint);
  }

  /** dockerode, loaded on first use (see engine-probe.ts for why). */
  private get docker(): Docker {
    if (this.client) return this.client;
    try {
      const DockerClient: typeof Docker = require('dockerode');
      this.client = new DockerClient(this.connection);
      return this.client;
    } catch (error) {
      // docker-modem reads $DOCKER_CERT_PATH files when $DOCKER_HOST is set, even if unused here.
      throw new TagkeeperError('invalid-settings', `Docker client for ${this.endpoint} could not be set up: ${(error as Error).message}`, {
        hint: 'check DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY in the environment',
        cause: error,
      });
    }
  }

  async ping(): Promise<void> {
    await this.read('/_ping', `ping of the Docker Engine at ${this.endpoint}`, PING_TIMEOUT_MS);
  }

  /** GET `path` without dockerode: the body of a 200 answer; anything else mapped like every engine call. */
  private async read(path: string, doing: string, timeoutMs = READ_TIMEOUT_MS): Promise<string> {
    const answer = await this.get(path, doing, timeoutMs);
    if (answer.status !== 200) throw mapEngineError(httpError(answer), this.endpoint, doing);
    return answer.body;
  }

  /** GET `path` over node:http: the answer whatever its status; no answer in time is engine-unreachable. */
  private async get(path: string, doing: string, timeoutMs: number): Promise<ProbeAnswer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await probe(this.connection, path, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) throw unreachable(this.endpoint, `no answer within ${timeoutMs / 1000} s`, error);
      throw mapEngineError(error, this.endpoint, doing);
    } finally {
      clearTimeout(timer);
    }
  }

  platform(): Promise<Platform> {
    this.platformCache ??= this.loadPlatform().catch((error: unknown) => {
      this.platformCache = undefined;
      throw error;
    });
    return this.platformCache;
  }

  private async loadPlatform(): Promise<Platform> {
    const version = JSON.parse(await this.read('/version', 'reading the engine version', PING_TIMEOUT_MS)) as { Os: string; Arch: string };
    let machine: string | undefined;
    if (version.Arch === 'arm') {
      const info: { Architecture?: string } = await this.call('reading the engine info', () => this.docker.info());
      machine = info.Architecture;
    }
    return enginePlatform(version.Os, version.Arch, machine);
  }

  // Images are read over node:http like the probes: an import or a check then never loads dockerode.
  async inspectImage(reference: string): Promise<LocalImage | null> {
    checkName('image', reference);
    const doing = `inspection of image ${reference}`;
    const answer = await this.get(`/images/${reference}/json`, doing, READ_TIMEOUT_MS);
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw mapEngineError(httpError(answer), this.endpoint, doing);
    return mapImage(JSON.parse(answer.body) as RawImageInspect);
  }

  async listImages(): Promise<LocalImage[]> {
    const summaries = JSON.parse(await this.read('/images/json', 'listing images')) as { Id: string }[];
    const images = await mapLimit(summaries, INSPECT_CONCURRENCY, (summary) => this.inspectImage(summary.Id));
    return images.filter((image): image is LocalImage => image !== null);
  }

  /** EnginePort.pullImage, plus credentials the engine passes to the registry. */
  pullImage(reference: string, onMessage: (message: PullMessage) => void, signal?: AbortSignal, auth?: RegistryAuth): Promise<void> {
    checkName('image', reference);
    return pullImage(this.docker, this.endpoint, reference, onMessage, signal, auth);
  }

  /** EnginePort.loadImage, over node:http (see load-image.ts). */
  async loadImage(archive: ImageArchive, options: LoadImageOptions = {}): Promise<{ loaded: string[] }> {
    return loadImage(this.connection, this.endpoint, archive, options);
  }

  async tagImage(imageId: string, repository: string, tag: string): Promise<void> {
    checkName('image', imageId);
    await this.call(`tagging of image ${imageId} as ${repository}:${tag}`, () =>
      this.docker.getImage(imageId).tag({ repo: repository, tag }),
    );
  }

  /** Removes the image unless a container or another reference still uses it. Already gone is fine. */
  async removeImage(imageId: string): Promise<void> {
    checkName('image', imageId);
    try {
      await this.docker.getImage(imageId).remove();
    } catch (error) {
      const status = httpStatus(error);
      if (status === 404) return;
      if (status === 409) {
        throw new TagkeeperError(
          'engine-error',
          `removal of image ${imageId} failed: it is in use or referenced elsewhere (${engineMessage(error)})`,
          { hint: 'remove the containers and tags that use it first', cause: error },
        );
      }
      throw mapEngineError(error, this.endpoint, `removal of image ${imageId}`);
    }
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    checkName('image', spec.image);
    // _query/_body: dockerode would otherwise copy the whole body into the query string too.
    const options = { _query: { name: spec.name }, _body: containerCreateBody(spec) };
    const container = await this.call(`creation of container ${spec.name}`, () =>
      this.docker.createContainer(options as unknown as Docker.ContainerCreateOptions),
    );
    for (const [network, endpoint] of laterNetworks(spec)) {
      try {
        await this.call(`connecting container ${spec.name} to network ${network}`, () =>
          this.docker.getNetwork(network).connect({ Container: container.id, EndpointConfig: { Aliases: endpoint.aliases } }),
        );
      } catch (error) {
        await this.removeContainer(container.id).catch(() => undefined);
        throw error;
      }
    }
    return container.id;
  }

  async startContainer(id: string): Promise<void> {
    checkName('container', id);
    await this.allowing([304], `start of container ${id}`, () => this.docker.getContainer(id).start());
  }

  async stopContainer(id: string, timeoutSeconds?: number): Promise<void> {
    checkName('container', id);
    const options = timeoutSeconds === undefined ? {} : { t: timeoutSeconds };
    await this.allowing([304], `stop of container ${id}`, () => this.docker.getContainer(id).stop(options));
  }

  async renameContainer(id: string, name: string): Promise<void> {
    checkName('container', id);
    await this.allowing([], `rename of container ${id} to ${name}`, () => this.docker.getContainer(id).rename({ name }));
  }

  /** Force-removes the container and its anonymous volumes. Already gone is fine. */
  async removeContainer(id: string): Promise<void> {
    checkName('container', id);
    await this.allowing([404], `removal of container ${id}`, () => this.docker.getContainer(id).remove({ force: true, v: true }));
  }

  async inspectContainer(idOrName: string): Promise<ContainerInfo | null> {
    checkName('container', idOrName);
    const raw = await this.inspectOrNull(`inspection of container ${idOrName}`, () => this.docker.getContainer(idOrName).inspect());
    return raw ? mapContainer(raw as RawContainerInspect) : null;
  }

  /** An inspect answer, or null when the engine does not have the object (404). */
  private async inspectOrNull(doing: string, inspect: () => Promise<unknown>): Promise<unknown | null> {
    try {
      return await inspect();
    } catch (error) {
      if (httpStatus(error) === 404) return null;
      throw mapEngineError(error, this.endpoint, doing);
    }
  }

  async listContainers(labels: Record<string, string>): Promise<ContainerInfo[]> {
    const summaries = await this.call('listing containers', () =>
      this.docker.listContainers({ all: true, filters: labelFilters(labels) }),
    );
    const containers = await mapLimit(summaries, INSPECT_CONCURRENCY, (summary) => this.inspectContainer(summary.Id));
    return containers.filter((container): container is ContainerInfo => container !== null);
  }

  async createVolume(name: string, labels: Record<string, string>, more?: { driver: string | null; driverOpts: Record<string, string> }): Promise<void> {
    const options = { _query: {}, _body: { Name: name, Labels: { ...labels }, Driver: more?.driver ?? 'local', DriverOpts: { ...(more?.driverOpts ?? {}) } } };
    await this.call(`creation of volume ${name}`, () => this.docker.createVolume(options as unknown as Docker.VolumeCreateOptions));
  }

  /** Removes the volume unless a container uses it. Already gone is fine. */
  async removeVolume(name: string): Promise<void> {
    checkName('volume', name);
    await this.allowing([404], `removal of volume ${name}`, () => this.docker.getVolume(name).remove());
  }

  async listVolumes(labels: Record<string, string>): Promise<string[]> {
    const answer = await this.call('listing volumes', () => this.docker.listVolumes({ filters: labelFilters(labels) }));
    return (answer.Volumes ?? []).map((volume) => volume.Name).sort();
  }

  async createNetwork(spec: NetworkSpec): Promise<void> {
    const existing = await this.inspectNetwork(spec.name);
    if (existing) {
      const owner = (labels: Record<string, string>) => labels['tagkeeper.app'] ?? labels['com.docker.compose.project'];
      if (owner(existing.labels) !== undefined && owner(existing.labels) === owner(spec.labels)) return;
      throw new TagkeeperError('engine-error', `a network named ${spec.name} exists already and belongs to ${owner(existing.labels) ?? 'someone else'}`, {
        hint: 'remove or rename that network, or give this project another name',
      });
    }
    const body = { Name: spec.name, Driver: spec.driver ?? 'bridge', Options: { ...spec.driverOpts }, Internal: spec.internal, Labels: { ...spec.labels }, CheckDuplicate: true };
    await this.call(`creation of network ${spec.name}`, () => this.docker.createNetwork(body));
  }

  async removeNetwork(name: string): Promise<void> {
    checkName('network', name);
    await this.allowing([404], `removal of network ${name}`, () => this.docker.getNetwork(name).remove());
  }

  async inspectNetwork(name: string): Promise<{ id: string; name: string; labels: Record<string, string> } | null> {
    checkName('network', name);
    const raw = (await this.inspectOrNull(`inspection of network ${name}`, () => this.docker.getNetwork(name).inspect())) as { Id: string; Name: string; Labels?: Record<string, string> | null } | null;
    return raw ? { id: raw.Id, name: raw.Name, labels: { ...(raw.Labels ?? {}) } } : null;
  }

  subscribe(onEvent: (event: EngineEvent) => void, onError?: (error: Error) => void): () => void {
    return subscribeEvents(this.docker, this.endpoint, onEvent, onError);
  }

  private call<T>(doing: string, operation: () => Promise<T>): Promise<T> {
    return engineCall(this.endpoint, doing, operation);
  }

  /** Runs `operation`; an engine answer with one of `statuses` counts as success. */
  private async allowing(statuses: number[], doing: string, operation: () => Promise<unknown>): Promise<void> {
    try {
      await operation();
    } catch (error) {
      const status = httpStatus(error);
      if (status !== undefined && statuses.includes(status)) return;
      throw mapEngineError(error, this.endpoint, doing);
    }
  }
}

/** `{label: ['k=v', …]}` for the engine's filters (none when no labels are given). */
function labelFilters(labels: Record<string, string>): { label: string[] } | undefined {
  const entries = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  return entries.length > 0 ? { label: entries } : undefined;
}

/**
 * Names go into URL paths unencoded (dockerode): refuse anything that could change the
 * path, so a hostile name cannot reach another endpoint of the engine.
 */
function checkName(kind: string, name: string): void {
  if (!/^[A-Za-z0-9[][A-Za-z0-9_.:@/+[\]-]*$/.test(name) || name.includes('..') || name.includes('//')) {
    throw new TagkeeperError('invalid-input', `${kind} name "${name}" is not valid for the Docker Engine`, {
      hint: `give the ${kind} by id or by a valid name`,
    });
  }
}

/** Like Promise.all over `items.map(fn)`, with at most `limit` calls in flight. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A non-200 answer of a node:http read as the error mapEngineError understands (status, the engine's JSON). */
function httpError(answer: ProbeAnswer): Error {
  let json: unknown = answer.body.trim();
  try {
    json = JSON.parse(answer.body);
  } catch {
    // not JSON: the text itself is the engine's message
  }
  return Object.assign(new Error(answer.body.trim() || `HTTP ${answer.status}`), { statusCode: answer.status, json });
}
