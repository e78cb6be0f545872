/**
 * EnginePort over the Docker Engine API: requests over node:http (engine-probe.ts says why
 * not dockerode), and dockerode for the event stream only. dockerode's types stay in this
 * folder: every answer is mapped to the core's types before it leaves.
 */
import type {
  RegistryAuth, ContainerInfo, ContainerSpec, ContainerState, EngineEvent, EngineIdentity, EngineRegistryConfig, EnginePort, ImageArchive, LoadImageOptions, LocalImage, PullMessage,
} from '../core/ports/engine-port';
import type Docker from 'dockerode';
import type { Platform } from '../api/types/engine';
import { TagkeeperError } from '../api/errors';
import { chooseEndpoint, type DockerEndpoint, type EndpointSelection } from './docker-host';
import { openConnection, type EngineConnection } from './engine-connection';
import { engineCall, engineCallAllowing, engineMessage, httpStatus, mapEngineError, unreachable } from './engine-errors';
import { checkName, labelFilters } from './engine-names';
import { EngineResources } from './engine-resources';
import { unsupportedSetting } from './api-versions';
import { containerCreateBody, mapContainer, mapContainerSummary, type RawContainerInspect, type RawContainerSummary } from './map-container';
import type { ConfigContext, RawRunConfig } from './map-container-config';
import { mapImage, type RawImageInspect } from './map-image';
import { mapRegistryConfig, type RawRegistryConfig } from './map-registry-config';
import { enginePlatform } from './map-platform';
import { loadImage } from './load-image';
import { answerError, engineRequest, probe, withQuery, type ProbeAnswer } from './engine-probe';
import { pullImage } from './pull-image';
import { subscribeEvents } from './subscribe-events';

const PING_TIMEOUT_MS = 3000;
/** Over ssh every new connection logs in first. */
const SLOW_PING_TIMEOUT_MS = 20_000;
/** Registry checks wait this long at most for the engine's registry configuration (then go on without it). */
const REGISTRY_CONFIG_TIMEOUT_MS = 10_000;
/** How old an answer of GET /info may be to give the registry configuration (see registryConfig). */
const INFO_FRESH_MS = 2000;
/** Reads over node:http (image inspect and list) that get no answer in this time fail. */
const READ_TIMEOUT_MS = 60_000;
/** How many inspects run at once when a listing needs details of every item. */
const INSPECT_CONCURRENCY = 8;
/** Image configs kept (by image id: an id is the digest of its config, so a kept one never goes stale). */
const IMAGE_CONFIGS_KEPT = 64;

/** What GET /version and GET /info say that the adapter uses. */
interface EngineVersion {
  Os: string;
  Arch: string;
  ApiVersion: string;
}
interface EngineInfo {
  /** The engine's ID: a UUID kept in its data root (Docker 23+), before that the host's trust key (12 groups of 4). */
  ID?: string;
  DockerRootDir?: string;
  Architecture?: string;
  LoggingDriver?: string;
  Name?: string;
  RegistryConfig?: RawRegistryConfig | null;
}

export interface EngineOptions {
  /** `unix:///path/docker.sock`, `tcp://host:port` or `ssh://user@host`: wins over everything else (`--host`). */
  dockerHost?: string;
  /** A docker CLI context by name (`--context`). */
  context?: string;
}

/** The engine the docker CLI would use with these options and this environment (docker-host.ts). */
export function createEngine(options: EngineOptions = {}, env: NodeJS.ProcessEnv = process.env): DockerEngine {
  const selection: EndpointSelection = {};
  if (options.dockerHost) selection.host = options.dockerHost;
  if (options.context) selection.context = options.context;
  return new DockerEngine(chooseEndpoint(selection, env));
}


/** EnginePort: images and containers here, networks and volumes in EngineResources. */
export class DockerEngine extends EngineResources implements EnginePort {
  readonly endpoint: string;
  readonly endpointSource: string;
  private readonly connection: EngineConnection;
  private readonly pingTimeoutMs: number;
  private client: Docker | undefined;
  private readonly version = remembered(() => this.readJson<EngineVersion>('/version', 'reading the engine version', this.pingTimeoutMs));
  private readonly info = remembered(() => this.readInfo('reading the engine info', READ_TIMEOUT_MS));
  /** The last GET /info asked for, and when: an answer this fresh serves registryConfig too. */
  private lastInfo: { at: number; info: Promise<EngineInfo> } | undefined;
  readonly platform = remembered(() => this.loadPlatform());
  /** Image id → its Config, for mapping containers back (see map-container-config.ts). */
  private readonly imageConfigs = new Map<string, Promise<RawRunConfig | null>>();

  constructor(endpoint: DockerEndpoint) {
    super();
    this.endpoint = endpoint.host;
    this.endpointSource = endpoint.source;
    this.connection = openConnection(endpoint);
    this.pingTimeoutMs = this.connection.slow ? SLOW_PING_TIMEOUT_MS : PING_TIMEOUT_MS;
  }

  /** dockerode, loaded on first use: only the event stream needs it (see engine-probe.ts). */
  protected get docker(): Docker {
    if (this.client) return this.client;
    try {
      const DockerClient: typeof Docker = require('dockerode');
      this.client = new DockerClient(this.connection.dockerode);
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
    await this.read('/_ping', `ping of the Docker Engine at ${this.endpoint}`, this.pingTimeoutMs);
  }

  /** EnginePort.identity: the engine's ID, data root and name from GET /info (read once). */
  async identity(): Promise<EngineIdentity> {
    const info = await this.info();
    return { id: info.ID ?? '', root: info.DockerRootDir ?? '', name: info.Name ?? '' };
  }

  /** GET `path` without dockerode: the body of a 200 answer; anything else mapped like every engine call. */
  private async read(path: string, doing: string, timeoutMs = READ_TIMEOUT_MS): Promise<string> {
    const answer = await this.get(path, doing, timeoutMs);
    if (answer.status !== 200) throw mapEngineError(answerError(answer), this.endpoint, doing);
    return answer.body;
  }

  /** `method path` with a JSON body: the answer when it is 2xx, else thrown as the engine's error (engine-errors.ts maps it). */
  protected async send(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ProbeAnswer> {
    const answer = await engineRequest(this.connection, method, path, { body });
    if (answer.status < 200 || answer.status >= 300) throw answerError(answer);
    return answer;
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

  private async readJson<T>(path: string, doing: string, timeoutMs = READ_TIMEOUT_MS): Promise<T> {
    return JSON.parse(await this.read(path, doing, timeoutMs)) as T;
  }

  /** GET `path`: its JSON, or null when the engine has no such thing (404); anything else mapped like every engine call. */
  private async readJsonOrNull<T>(path: string, doing: string): Promise<T | null> {
    const answer = await this.get(path, doing, READ_TIMEOUT_MS);
    if (answer.status === 404) return null;
    if (answer.status !== 200) throw mapEngineError(answerError(answer), this.endpoint, doing);
    return JSON.parse(answer.body) as T;
  }

  /**
   * Read anew (not the remembered info: `kill -HUP dockerd` reloads mirrors and insecure
   * registries), unless GET /info was asked for a moment ago (a command's first look at the
   * engine, then its check: one request, not two in a row).
   */
  async registryConfig(): Promise<EngineRegistryConfig> {
    const recent = this.lastInfo && Date.now() - this.lastInfo.at < INFO_FRESH_MS ? this.lastInfo.info.catch(() => null) : null;
    const info = (await recent) ?? (await this.readInfo('reading the engine\'s registry configuration', REGISTRY_CONFIG_TIMEOUT_MS));
    return mapRegistryConfig(info.RegistryConfig);
  }

  private readInfo(doing: string, timeoutMs: number): Promise<EngineInfo> {
    const info = this.readJson<EngineInfo>('/info', doing, timeoutMs);
    this.lastInfo = { at: Date.now(), info };
    return info;
  }

  private async loadPlatform(): Promise<Platform> {
    const version = await this.version();
    const machine = version.Arch === 'arm' ? (await this.info()).Architecture : undefined;
    return enginePlatform(version.Os, version.Arch, machine);
  }

  // Images are read over node:http like the probes: an import or a check then never loads dockerode.
  async inspectImage(reference: string): Promise<LocalImage | null> {
    checkName('image', reference);
    const raw = await this.readJsonOrNull<RawImageInspect>(`/images/${reference}/json`, `inspection of image ${reference}`);
    return raw === null ? null : mapImage(raw);
  }

  async listImages(): Promise<LocalImage[]> {
    const summaries = JSON.parse(await this.read('/images/json', 'listing images')) as { Id: string }[];
    const images = await mapLimit(summaries, INSPECT_CONCURRENCY, (summary) => this.inspectImage(summary.Id));
    return images.filter((image): image is LocalImage => image !== null);
  }

  /** EnginePort.pullImage, plus credentials the engine passes to the registry. */
  pullImage(reference: string, onMessage: (message: PullMessage) => void, signal?: AbortSignal, auth?: RegistryAuth): Promise<void> {
    checkName('image', reference);
    return pullImage(this.connection, this.endpoint, reference, onMessage, signal, auth);
  }

  /** EnginePort.loadImage, over node:http (see load-image.ts). */
  async loadImage(archive: ImageArchive, options: LoadImageOptions = {}): Promise<{ loaded: string[] }> {
    return loadImage(this.connection, this.endpoint, archive, options);
  }

  async tagImage(imageId: string, repository: string, tag: string): Promise<void> {
    checkName('image', imageId);
    await this.call(`tagging of image ${imageId} as ${repository}:${tag}`, () => this.send('POST', withQuery(`/images/${imageId}/tag`, { repo: repository, tag })));
  }

  /** Removes the image unless a container or another reference still uses it. Already gone is fine. */
  async removeImage(imageId: string): Promise<void> {
    checkName('image', imageId);
    try {
      await this.send('DELETE', `/images/${imageId}`);
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
    const refusal = unsupportedSetting(spec.name, spec.config, (await this.version()).ApiVersion);
    if (refusal) throw refusal;
    const created = await this.call(`creation of container ${spec.name}`, () => this.send('POST', withQuery('/containers/create', { name: spec.name }), containerCreateBody(spec)));
    const container = JSON.parse(created.body) as { Id: string };
    try {
      await this.connectLaterNetworks(container.Id, spec);
    } catch (error) {
      await this.removeContainer(container.Id).catch(() => undefined); // the connect failure is what to report
      throw error;
    }
    return container.Id;
  }

  async startContainer(id: string): Promise<void> {
    checkName('container', id);
    await this.allowing([304], `start of container ${id}`, () => this.send('POST', `/containers/${id}/start`));
  }

  async stopContainer(id: string, timeoutSeconds?: number): Promise<void> {
    checkName('container', id);
    await this.allowing([304], `stop of container ${id}`, () => this.send('POST', withQuery(`/containers/${id}/stop`, { t: timeoutSeconds })));
  }

  async renameContainer(id: string, name: string): Promise<void> {
    checkName('container', id);
    await this.allowing([], `rename of container ${id} to ${name}`, () => this.send('POST', withQuery(`/containers/${id}/rename`, { name })));
  }

  /** Force-removes the container and its anonymous volumes. Already gone is fine. */
  async removeContainer(id: string): Promise<void> {
    checkName('container', id);
    await this.allowing([404], `removal of container ${id}`, () => this.send('DELETE', withQuery(`/containers/${id}`, { force: true, v: true })));
  }

  /**
   * The container with its config mapped back. Besides the inspect this needs the image's
   * config (kept by image id, so one request per image for the life of this adapter) and the
   * engine's info (read once).
   */
  async inspectContainer(idOrName: string): Promise<ContainerInfo | null> {
    checkName('container', idOrName);
    const raw = await this.readJsonOrNull<RawContainerInspect>(`/containers/${idOrName}/json`, `inspection of container ${idOrName}`);
    if (raw === null) return null;
    const [image, info, sharedWith] = await Promise.all([this.imageConfig(raw.Image ?? ''), this.info(), this.sharedWith(raw)]);
    const context: ConfigContext = { image, loggingDriver: info.LoggingDriver ?? 'json-file', hostName: info.Name ?? '', sharedWith };
    return mapContainer(raw, context);
  }

  /** The name of the container whose network `raw` shares (NetworkMode `container:ID`); null otherwise or when it is gone. */
  private async sharedWith(raw: RawContainerInspect): Promise<string | null> {
    const other = /^container:([0-9a-f]{64})$/.exec(raw.HostConfig?.NetworkMode ?? '')?.[1];
    if (other === undefined) return null;
    const found = await this.readJsonOrNull<RawContainerInspect>(`/containers/${other}/json`, `inspection of container ${other}`);
    return found ? (found.Name ?? '').replace(/^\//, '') : null;
  }

  /** The Config of image `id`; null when the engine no longer has it (not kept: it may come back). */
  private imageConfig(id: string): Promise<RawRunConfig | null> {
    if (!/^sha256:[0-9a-f]{64}$/.test(id)) return Promise.resolve(null);
    let config = this.imageConfigs.get(id);
    if (config === undefined) {
      config = this.readImageConfig(id);
      if (this.imageConfigs.size >= IMAGE_CONFIGS_KEPT) this.imageConfigs.delete(this.imageConfigs.keys().next().value as string);
      this.imageConfigs.set(id, config);
      void config.then(
        (found) => found === null && this.imageConfigs.delete(id),
        () => this.imageConfigs.delete(id),
      );
    }
    return config;
  }

  private async readImageConfig(id: string): Promise<RawRunConfig | null> {
    const raw = await this.readJsonOrNull<{ Config?: RawRunConfig | null }>(`/images/${id}/json`, `inspection of image ${id}`);
    return raw === null ? null : (raw.Config ?? {});
  }

  async listContainers(labels: Record<string, string>): Promise<ContainerInfo[]> {
    const summaries = await this.containerList(labels);
    const containers = await mapLimit(summaries, INSPECT_CONCURRENCY, (summary) => this.inspectContainer(summary.Id));
    return containers.filter((container): container is ContainerInfo => container !== null);
  }

  /** One GET of the engine's list, over node:http (dockerode is not even loaded for it). */
  async listContainerStates(labels: Record<string, string>): Promise<ContainerState[]> {
    return (await this.containerList(labels)).map(mapContainerSummary);
  }

  /** The engine's list of the containers (running or not) carrying every given label. */
  private containerList(labels: Record<string, string>): Promise<RawContainerSummary[]> {
    return this.readJson<RawContainerSummary[]>(withQuery('/containers/json', { all: 1, filters: labelFilters(labels) }), 'listing containers');
  }

  subscribe(onEvent: (event: EngineEvent) => void, onError?: (error: Error) => void, onOpen?: () => void): () => void {
    return subscribeEvents(this.docker, this.endpoint, onEvent, onError, onOpen);
  }

  private call<T>(doing: string, operation: () => Promise<T>): Promise<T> {
    return engineCall(this.endpoint, doing, operation);
  }

  /** Runs `operation`; an engine answer with one of `statuses` counts as success. */
  private allowing(statuses: number[], doing: string, operation: () => Promise<unknown>): Promise<void> {
    return engineCallAllowing(this.endpoint, statuses, doing, operation);
  }
}

/** `load()` once: its result is kept, a failure is not (the next call tries again). */
function remembered<T>(load: () => Promise<T>): () => Promise<T> {
  let kept: Promise<T> | undefined;
  return () => {
    kept ??= load().catch((error: unknown) => {
      kept = undefined;
      throw error;
    });
    return kept;
  };
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
