/**
 * What the core needs from the Docker Engine. The dockerode adapter in main/engine/ maps the
 * engine's JSON into these types; nothing from dockerode crosses this line.
 */
import type { ContainerStatus, ContainerHealth, EngineIdentity, Platform } from '../../api/types/engine';

export type { EngineIdentity };
import type { ComposeNetwork, ComposeService, ComposeVolume } from '../../api/types/compose';

export interface LocalImage {
  /** Image id: `sha256:<hex>` of the image config. */
  id: string;
  repoTags: string[];
  /** `repo@sha256:…` entries: the registry manifest digests this image was pulled by. */
  repoDigests: string[];
  size: number;
  created: string;
  platform: Platform;
  labels: Record<string, string>;
  /**
   * The layers' diff ids (`sha256:` of each uncompressed layer tar, base first), as the
   * image config's rootfs.diff_ids; undefined when the engine did not say.
   */
  rootfsLayers?: string[];
}

/** One message of the engine's pull stream, mapped as-is (aggregation is core/pull-progress). */
export interface PullMessage {
  /** Layer id (short digest) for per-layer messages. */
  id?: string;
  status: string;
  current?: number;
  total?: number;
}

/**
 * A `docker save`-format tar of `bytes` bytes, handed over chunk by chunk. The producer may
 * reuse a chunk's memory once the next one is asked for, so each chunk must be used up
 * (written out) before asking for the next.
 */
export interface ImageArchive {
  bytes: number;
  chunks: AsyncIterable<Uint8Array>;
}

export interface LoadImageOptions {
  /** Aborting destroys the request; the load then fails with 'cancelled'. */
  signal?: AbortSignal;
  /** Every progress message of the load stream (`Loading layer` with bytes). */
  onMessage?: (message: PullMessage) => void;
}

/** Credentials the engine sends to the registry for a pull (X-Registry-Auth). */
export interface RegistryAuth {
  username: string;
  password: string;
  /** An identity token (OAuth refresh token) instead of the password, as `docker login` may keep it. */
  identitytoken?: string;
  /** Registry host, as in the reference (`registry.example.com:5000`); Docker Hub's is `https://index.docker.io/v1/`. */
  serveraddress: string;
}

/** The engine's registry configuration (`GET /info` RegistryConfig, from its daemon.json or flags). */
export interface EngineRegistryConfig {
  /** registry-mirrors (`https://mirror.example.com/`): docker.io is pulled through them first. */
  mirrors: string[];
  /** Registries it reaches over plain HTTP: the names of its IndexConfigs with Secure false. */
  insecureRegistries: string[];
  /** insecure-registries given as CIDRs (dockerd always has 127.0.0.0/8 and ::1/128). */
  insecureCidrs: string[];
}

/**
 * One container's settings, in the shape of a normalized Compose service (core/compose/) with
 * the project's names resolved to the engine's: `networks` and volume-mount sources are
 * engine names (`shop_default`, `shop_data`), file secrets and configs are read-only binds.
 * Apps made with flags are mapped into the same shape. What createContainer takes and what
 * inspectContainer reports back, so "does this container match its service?" is one comparison.
 */
export interface ContainerConfig
  extends Omit<ComposeService, 'name' | 'image' | 'pullPolicy' | 'labels' | 'secrets' | 'configs' | 'dependsOn' | 'networkMode'> {
  /** null: the project networks in `networks` (the engine's default bridge when there are none). */
  networkMode: 'host' | 'none' | 'bridge' | `container:${string}` | null;
}

export interface ContainerSpec {
  name: string;
  /** Always an image id (`sha256:…`): containers never start from a mutable tag. */
  image: string;
  labels: Record<string, string>;
  config: ContainerConfig;
}

/** A network to make: a Compose network that is not external (driver null: 'bridge'). */
export type NetworkSpec = Omit<ComposeNetwork, 'external'>;

/** A named volume to make: a Compose volume that is not external (driver null: 'local'). */
export type VolumeSpec = Omit<ComposeVolume, 'external'>;

export interface ContainerInfo {
  id: string;
  name: string;
  imageId: string;
  labels: Record<string, string>;
  status: ContainerStatus;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  /** Health status when the container has a health check. */
  health: ContainerHealth;
  /**
   * The container's settings as the engine reports them, in the shape createContainer takes:
   * for a container created from spec S this equals S.config, with the exceptions the
   * adapter documents (main/engine/map-container-config.ts).
   */
  config: ContainerConfig;
}

/**
 * What the engine's container list says of a container, without inspecting it: enough to
 * show an app (its state, health, image), from one request however many containers there are.
 */
export type ContainerState = Pick<ContainerInfo, 'id' | 'name' | 'imageId' | 'labels' | 'status' | 'health'>;

/** A network as the engine reports it. */
export interface NetworkInfo {
  id: string;
  name: string;
  labels: Record<string, string>;
  driver: string;
  driverOpts: Record<string, string>;
  internal: boolean;
}

/** How a volume is made: the driver ('local' when null) and its options. */
export type VolumeOptions = Pick<VolumeSpec, 'driver' | 'driverOpts'>;

/** A volume as the engine reports it. */
export interface VolumeInfo {
  name: string;
  labels: Record<string, string>;
  driver: string;
  driverOpts: Record<string, string>;
}

export interface EngineEvent {
  type: 'container' | 'image' | 'volume';
  action: string;
  id: string;
  labels: Record<string, string>;
  time: number;
}

export interface EnginePort {
  /** Where the engine is reached, for messages: `unix:///var/run/docker.sock`. */
  readonly endpoint: string;
  /** Why that endpoint, as the docker CLI would choose it: `from DOCKER_CONTEXT=ctx`, `default socket`. */
  readonly endpointSource: string;
  /** Throws TagkeeperError('engine-unreachable') naming the endpoint and what to do. */
  ping(): Promise<void>;
  platform(): Promise<Platform>;
  identity(): Promise<EngineIdentity>;
  /** Its registry configuration, read anew on every call (a reload of the daemon changes it). */
  registryConfig(): Promise<EngineRegistryConfig>;

  /** By id, `repo:tag` or `repo@digest`; null when the engine does not have it. */
  inspectImage(reference: string): Promise<LocalImage | null>;
  listImages(): Promise<LocalImage[]>;
  /**
   * Pull `reference` (Tagkeeper always pulls `repo@sha256:…`). Calls onMessage for every
   * progress message; throws TagkeeperError('pull-failed') with the engine's reason.
   */
  pullImage(reference: string, onMessage: (message: PullMessage) => void, signal?: AbortSignal, auth?: RegistryAuth): Promise<void>;
  /**
   * Load a `docker save`-format tar (POST /images/load). Resolves with the image ids and tags
   * the engine reports as loaded; throws TagkeeperError('engine-error') with the engine's
   * message otherwise (also when a 200 answer carries an error line), 'cancelled' on abort.
   */
  loadImage(archive: ImageArchive, options?: LoadImageOptions): Promise<{ loaded: string[] }>;
  tagImage(imageId: string, repository: string, tag: string): Promise<void>;
  removeImage(imageId: string): Promise<void>;

  /**
   * Creates the container on the first of its networks and connects the others (with their
   * aliases) before returning its id; when a connection fails, the half-made container is
   * removed and the engine's reason thrown. Throws 'engine-error' for a setting the engine's
   * API cannot carry (it would drop it without a word).
   */
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, timeoutSeconds?: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  renameContainer(id: string, name: string): Promise<void>;
  inspectContainer(idOrName: string): Promise<ContainerInfo | null>;
  /** Containers (running or not) carrying every given label. */
  listContainers(labels: Record<string, string>): Promise<ContainerInfo[]>;
  /** The containers carrying all `labels` as the engine's list shows them (no inspection: see ContainerState). */
  listContainerStates(labels: Record<string, string>): Promise<ContainerState[]>;

  /** An existing volume of that name is left as it is (the engine's own rule). */
  createVolume(name: string, labels: Record<string, string>, options?: VolumeOptions): Promise<void>;
  removeVolume(name: string): Promise<void>;
  listVolumes(labels: Record<string, string>): Promise<string[]>;
  /** null when the engine has no volume of that name. */
  inspectVolume(name: string): Promise<VolumeInfo | null>;

  /**
   * Idempotent: an existing network of that name is fine when its `com.docker.compose.project`
   * and `tagkeeper.app` labels are the spec's; otherwise 'engine-error' saying whose it is.
   */
  createNetwork(spec: NetworkSpec): Promise<void>;
  /** Already gone is fine; a network containers still use is an 'engine-error'. */
  removeNetwork(name: string): Promise<void>;
  /** Networks carrying every given label, sorted by name. */
  listNetworks(labels: Record<string, string>): Promise<NetworkInfo[]>;
  /** By exact name or id; null when there is none. */
  inspectNetwork(name: string): Promise<NetworkInfo | null>;

  /**
   * Subscribe to container/image/volume events; returns a function that unsubscribes.
   * `onOpen` once the engine has accepted the subscription; `onError` once if it fails or
   * the stream ends (nothing more comes: subscribe again).
   */
  subscribe(onEvent: (event: EngineEvent) => void, onError?: (error: Error) => void, onOpen?: () => void): () => void;
}
