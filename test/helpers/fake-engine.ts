/**
 * An in-memory EnginePort for unit tests of the planner and the runner (STYLE.md habit 15):
 * images (by id, `repo:tag` or `repo@digest`), containers with their spec and a status machine
 * on the fake clock (fake-container.ts), networks and volumes, and pulls of images offered
 * by digest. It keeps to what the port documents and the Docker Engine does where the core
 * relies on it: a container name is taken until its container is removed or renamed,
 * `network_mode: container:NAME` is bound to the container that has the name at creation,
 * a host port is held by one running container at a time, removing what is gone is fine, a network of another owner is refused, a volume in use
 * cannot be removed, a container cannot start on a network that is gone. Every change is
 * written to `calls`, so a test can say what was never touched.
 */
import { createHash } from 'node:crypto';
import { TagkeeperError } from '../../main/api/errors';
import type { Platform } from '../../main/api/types/engine';
import { COMPOSE_LABEL, LABEL } from '../../main/core/apps/app-topology';
import type {
  ContainerConfig, ContainerInfo, ContainerSpec, ContainerState, EngineEvent, EnginePort, EngineRegistryConfig, RegistryAuth, ImageArchive, LocalImage, NetworkInfo, NetworkSpec, PullMessage, VolumeInfo,
} from '../../main/core/ports/engine-port';
import type { FakeClock } from './fake-clock';
import { FakeContainer, type Behaviour } from './fake-container';
import { FakeImages } from './fake-images';

/** One change asked of the engine: `target` is the container id, or the image, network or volume name. */
export interface EngineCall {
  at: number;
  method: string;
  target: string;
  /** For a container: its name when the call was made. */
  name?: string;
}

interface FakeNetwork extends NetworkSpec {
  id: string;
}

interface FakeVolume {
  name: string;
  driver: string;
  labels: Record<string, string>;
}

const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');
const engineError = (doing: string, message: string) =>
  new TagkeeperError('engine-error', `${doing} failed: ${message}`);

export class FakeEngine implements EnginePort {
  readonly endpoint = 'fake://engine';
  readonly endpointSource = 'from the test';
  /** What identity() answers: another id stands for another engine behind the same endpoint. */
  engineId = { id: 'fake-engine-1', root: '/var/lib/docker', name: 'fake-box' };
  /** false: every call fails as an engine that does not answer. */
  reachable = true;
  readonly calls: EngineCall[] = [];
  /** Every pull asked, with the credentials the engine was given for it (X-Registry-Auth). */
  readonly pullAuths: { reference: string; auth: RegistryAuth | null }[] = [];
  /** What registryConfig() answers (a test sets mirrors or insecure registries here). */
  registry: EngineRegistryConfig = { mirrors: [], insecureRegistries: [], insecureCidrs: ['127.0.0.0/8', '::1/128'] };
  private readonly images: FakeImages;
  /** In creation order. */
  private readonly containers = new Map<string, FakeContainer>();
  private readonly networks = new Map<string, FakeNetwork>();
  private readonly volumes = new Map<string, FakeVolume>();
  private readonly scripts = { image: new Map<string, Behaviour>(), name: new Map<string, Behaviour>() };
  private created = 0;
  private readonly subscriptions = new Set<{ onEvent: (event: EngineEvent) => void; onError?: (error: Error) => void }>();

  constructor(private readonly clock: FakeClock) {
    this.images = new FakeImages(() => clock.now());
  }

  // ---- set-up and inspection, for tests --------------------------------------------

  /** A pull of `repository@digest` will download image `id`. */
  offer(repositoryAtDigest: string, image: Pick<LocalImage, 'id'> & Partial<Pick<LocalImage, 'labels'>>): void {
    this.images.offer(repositoryAtDigest, image);
  }

  /**
   * How containers started for the first time from now on behave: by image id, or by container
   * name (which wins) — the name at that first start, as a container may be made under another.
   */
  script(target: { image: string } | { container: string }, behaviour: Behaviour): void {
    if ('image' in target) this.scripts.image.set(target.image, behaviour);
    else this.scripts.name.set(target.container, behaviour);
  }

  /** A container with everything the engine keeps of it (its spec's config too), or undefined. */
  container(idOrName: string): FakeContainer | undefined {
    const found = this.find(idOrName);
    found?.settle(this.clock.elapsed);
    return found;
  }

  allContainers(): FakeContainer[] {
    return [...this.containers.values()].map((c) => (c.settle(this.clock.elapsed), c));
  }

  network(name: string): FakeNetwork | undefined {
    return this.networks.get(name);
  }

  volume(name: string): FakeVolume | undefined {
    return this.volumes.get(name);
  }

  // ---- EnginePort ---------------------------------------------------------------------

  async ping(): Promise<void> {
    this.answer();
  }

  async platform(): Promise<Platform> {
    this.answer();
    return { os: 'linux', architecture: 'amd64' };
  }

  async registryConfig(): Promise<EngineRegistryConfig> {
    this.answer();
    return structuredClone(this.registry);
  }

  async inspectImage(reference: string): Promise<LocalImage | null> {
    this.answer();
    const image = this.images.find(reference);
    return image ? structuredClone(image) : null;
  }

  async listImages(): Promise<LocalImage[]> {
    this.answer();
    return this.images.all().map((image) => structuredClone(image));
  }

  /** Downloads what `offer` named for `repository@digest`, after a few progress messages. */
  async pullImage(reference: string, onMessage: (message: PullMessage) => void, signal?: AbortSignal, auth?: RegistryAuth): Promise<void> {
    this.answer();
    this.pullAuths.push({ reference, auth: auth ? { ...auth } : null });
    if (signal?.aborted) throw new TagkeeperError('cancelled', `pull of ${reference} cancelled`);
    this.images.pull(reference, onMessage);
    this.log('pullImage', reference);
  }

  async loadImage(_archive: ImageArchive): Promise<{ loaded: string[] }> {
    throw new TagkeeperError('engine-error', 'the fake engine does not load image archives (bundles are tested against the real engine)');
  }

  /** Moves `repository:tag` to the image, as the engine does. */
  async tagImage(imageId: string, repository: string, tag: string): Promise<void> {
    this.answer();
    const image = this.images.find(imageId);
    if (!image) throw engineError(`tagging of image ${imageId}`, `No such image: ${imageId}`);
    this.log('tagImage', image.id, this.images.tag(image, repository, tag));
  }

  /** Gone already is fine; one a container uses is refused. */
  async removeImage(imageId: string): Promise<void> {
    this.answer();
    const image = this.images.find(imageId);
    if (!image) return;
    const user = [...this.containers.values()].find((c) => c.image === image.id);
    if (user) throw engineError(`removal of image ${imageId}`, `conflict: image is being used by container ${user.id.slice(0, 12)}`);
    this.images.delete(image.id);
    this.log('removeImage', image.id);
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    this.answer();
    const doing = `creation of container ${spec.name}`;
    const taken = this.byName(spec.name);
    if (taken) throw engineError(doing, `Conflict. The container name "/${spec.name}" is already in use by container "${taken.id}"`);
    if (!this.images.has(spec.image)) throw engineError(doing, `No such image: ${spec.image}`);
    if (spec.config.networkMode === null) {
      for (const network of Object.keys(spec.config.networks)) if (!this.networks.has(network)) throw engineError(doing, `network ${network} not found`);
    }
    // The engine binds network_mode container:NAME to the container that has the name now (its id), not to the name.
    const joins = spec.config.networkMode?.startsWith('container:') ? spec.config.networkMode.slice('container:'.length) : null;
    const host = joins === null ? undefined : this.find(joins);
    if (joins !== null && !host) throw engineError(doing, `No such container: ${joins}`);
    for (const m of spec.config.mounts) {
      // The engine makes a named volume the container mounts when it does not exist (without labels).
      if (m.type === 'volume' && m.source !== null && !this.volumes.has(m.source)) this.volumes.set(m.source, { name: m.source, driver: 'local', labels: {} });
    }
    const id = hex(`container ${++this.created}`);
    const container = new FakeContainer(id, spec, this.behaviourOf(spec.name, spec.image));
    container.networkOf = host?.id ?? null;
    this.containers.set(id, container);
    this.log('createContainer', id, spec.name);
    return id;
  }

  async startContainer(id: string): Promise<void> {
    this.answer();
    const c = this.existing(id, 'start');
    if (c.running) return;
    const doing = `start of container ${id}`;
    if (c.startedMs === null) c.behaviour = this.behaviourOf(c.name, c.image);
    const mode = c.config.networkMode;
    if (c.networkOf !== null) {
      const host = this.find(c.networkOf);
      if (!host?.running) throw engineError(doing, `cannot join network of a non running container: ${c.networkOf}`);
      c.joinedNetworkOf = host.id;
    } else if (mode === null) {
      for (const network of Object.keys(c.config.networks)) if (!this.networks.has(network)) throw engineError(doing, `network ${network} not found`);
    }
    for (const port of c.config.ports) {
      const holder = port.published === null ? undefined : this.allContainers().find((o) => o.running && o.config.ports.some((p) => sameHostPort(p, port)));
      if (holder) throw engineError(doing, `driver failed programming external connectivity on endpoint ${c.name}: Bind for ${port.hostIp ?? '0.0.0.0'}:${port.published} failed: port is already allocated`);
    }
    c.start(this.clock.elapsed);
    this.log('startContainer', c.id, c.name);
  }

  async stopContainer(id: string): Promise<void> {
    this.answer();
    const c = this.existing(id, 'stop');
    if (!c.running) return;
    c.stop(this.clock.elapsed);
    this.log('stopContainer', c.id, c.name);
  }

  /** Force-removes it, running or not; gone already is fine. */
  async removeContainer(id: string): Promise<void> {
    this.answer();
    const c = this.find(id);
    if (!c) return;
    this.containers.delete(c.id);
    this.log('removeContainer', c.id, c.name);
  }

  async renameContainer(id: string, name: string): Promise<void> {
    this.answer();
    const c = this.existing(id, 'rename');
    const doing = `rename of container ${id} to ${name}`;
    if (c.name === name) throw engineError(doing, 'Renaming a container with the same name as its current name');
    const taken = this.byName(name);
    if (taken) throw engineError(doing, `Conflict. The container name "/${name}" is already in use by container "${taken.id}"`);
    this.log('renameContainer', c.id, `${c.name} → ${name}`);
    c.name = name;
  }

  async inspectContainer(idOrName: string): Promise<ContainerInfo | null> {
    this.answer();
    return this.find(idOrName)?.info(this.clock.elapsed) ?? null;
  }

  /** Running or not, newest first (as the engine lists them). */
  async listContainers(labels: Record<string, string>): Promise<ContainerInfo[]> {
    this.answer();
    return [...this.containers.values()].reverse().filter((c) => carries(c.labels, labels)).map((c) => c.info(this.clock.elapsed));
  }

  /** What the list shows of the same containers (no config, no times). */
  async listContainerStates(labels: Record<string, string>): Promise<ContainerState[]> {
    return (await this.listContainers(labels)).map(({ id, name, imageId, labels: own, status, health }) => ({ id, name, imageId, labels: own, status, health }));
  }

  /** Made, or there already (the engine keeps the existing volume as it is); another driver is refused. */
  async createVolume(name: string, labels: Record<string, string>, options?: { driver: string | null; driverOpts: Record<string, string> }): Promise<void> {
    this.answer();
    const driver = options?.driver ?? 'local';
    const existing = this.volumes.get(name);
    if (existing && existing.driver !== driver) throw engineError(`creation of volume ${name}`, `volume ${name} already exists with driver ${existing.driver}`);
    if (existing) return;
    this.volumes.set(name, { name, driver, labels: { ...labels } });
    this.log('createVolume', name);
  }

  async removeVolume(name: string): Promise<void> {
    this.answer();
    if (!this.volumes.has(name)) return;
    const users = [...this.containers.values()].filter((c) => c.config.mounts.some((m) => m.type === 'volume' && m.source === name));
    if (users.length > 0) throw engineError(`removal of volume ${name}`, `volume is in use - [${users.map((c) => c.id).join(', ')}]`);
    this.volumes.delete(name);
    this.log('removeVolume', name);
  }

  async listVolumes(labels: Record<string, string>): Promise<string[]> {
    this.answer();
    return [...this.volumes.values()].filter((v) => carries(v.labels, labels)).map((v) => v.name).sort();
  }

  /** Idempotent for the same owner (tagkeeper.app, else the Compose project), as the adapter. */
  async createNetwork(spec: NetworkSpec): Promise<void> {
    this.answer();
    const existing = this.networks.get(spec.name);
    if (existing) {
      const project = spec.labels[COMPOSE_LABEL.project];
      const app = spec.labels[LABEL.app];
      const same = project !== undefined ? existing.labels[COMPOSE_LABEL.project] === project : app !== undefined && existing.labels[LABEL.app] === app && existing.labels[COMPOSE_LABEL.project] === undefined;
      if (same) return;
      throw new TagkeeperError('engine-error', `creation of network ${spec.name} failed: a network of that name exists already and belongs to ${existing.labels[LABEL.app] ?? existing.labels[COMPOSE_LABEL.project] ?? 'no one'}`);
    }
    this.networks.set(spec.name, { ...structuredClone(spec), driver: spec.driver ?? 'bridge', id: hex(`network ${spec.name}`) });
    this.log('createNetwork', spec.name);
  }

  /** Gone already is fine; one a running container is attached to is refused. */
  async removeNetwork(name: string): Promise<void> {
    this.answer();
    if (!this.networks.has(name)) return;
    const attached = [...this.containers.values()].filter((c) => c.running && c.config.networkMode === null && name in c.config.networks);
    if (attached.length > 0) throw engineError(`removal of network ${name}`, `network ${name} has active endpoints`);
    this.networks.delete(name);
    this.log('removeNetwork', name);
  }

  async inspectNetwork(name: string): Promise<NetworkInfo | null> {
    this.answer();
    const network = this.networks.get(name) ?? [...this.networks.values()].find((n) => n.id === name);
    return network ? networkInfo(network) : null;
  }

  async listNetworks(labels: Record<string, string>): Promise<NetworkInfo[]> {
    this.answer();
    return [...this.networks.values()].filter((n) => carries(n.labels, labels)).map(networkInfo).sort((a, b) => a.name.localeCompare(b.name));
  }

  async inspectVolume(name: string): Promise<VolumeInfo | null> {
    this.answer();
    const volume = this.volumes.get(name);
    return volume ? { name, labels: { ...volume.labels }, driver: volume.driver, driverOpts: {} } : null;
  }

  async identity(): Promise<{ id: string; root: string; name: string }> {
    this.answer();
    return { ...this.engineId };
  }

  /** Sends `event` to every open subscription. */
  announce(event: EngineEvent): void {
    for (const s of [...this.subscriptions]) s.onEvent(event);
  }

  /** Breaks every open subscription, as an engine that stops does. */
  breakSubscriptions(message = 'the engine ended the event stream'): void {
    const broken = [...this.subscriptions];
    this.subscriptions.clear();
    for (const s of broken) s.onError?.(new TagkeeperError('engine-unreachable', message));
  }

  /** Open while the engine is reachable (opened or refused on the next tick, as over a socket). */
  subscribe(onEvent: (event: EngineEvent) => void, onError?: (error: Error) => void, onOpen?: () => void): () => void {
    const subscription = { onEvent, onError };
    let cancelled = false;
    queueMicrotask(() => {
      if (cancelled) return;
      if (!this.reachable) {
        onError?.(new TagkeeperError('engine-unreachable', `Docker Engine not reachable at ${this.endpoint} (connect ECONNREFUSED)`));
        return;
      }
      this.subscriptions.add(subscription);
      onOpen?.();
    });
    return () => {
      cancelled = true;
      this.subscriptions.delete(subscription);
    };
  }

  // ---- inside -------------------------------------------------------------------------

  private answer(): void {
    if (!this.reachable) {
      throw new TagkeeperError('engine-unreachable', `Docker Engine not reachable at ${this.endpoint} (connect ECONNREFUSED)`, {
        hint: 'start the Docker daemon, or choose the engine to manage (--host, DOCKER_HOST, DOCKER_CONTEXT or docker context use)',
      });
    }
  }

  private behaviourOf(name: string, image: string): Behaviour {
    return this.scripts.name.get(name) ?? this.scripts.image.get(image) ?? {};
  }

  private log(method: string, target: string, name?: string): void {
    this.calls.push({ at: this.clock.elapsed, method, target, ...(name === undefined ? {} : { name }) });
  }

  /** By full id, exact name, then unique id prefix, as the engine resolves them. */
  private find(idOrName: string): FakeContainer | undefined {
    const name = idOrName.replace(/^\//, '');
    const exact = this.containers.get(idOrName) ?? this.byName(name);
    if (exact) return exact;
    const prefixed = [...this.containers.values()].filter((c) => c.id.startsWith(idOrName));
    return prefixed.length === 1 ? prefixed[0] : undefined;
  }

  private byName(name: string): FakeContainer | undefined {
    return [...this.containers.values()].find((c) => c.name === name);
  }

  private existing(id: string, what: string): FakeContainer {
    const c = this.find(id);
    if (!c) throw engineError(`${what} of container ${id}`, `No such container: ${id}`);
    c.settle(this.clock.elapsed);
    return c;
  }
}

const networkInfo = (n: FakeNetwork): NetworkInfo => ({ id: n.id, name: n.name, labels: { ...n.labels }, driver: n.driver ?? 'bridge', driverOpts: { ...n.driverOpts }, internal: n.internal });
/** Two bindings of one host port (an address of null is every address, so it meets any other). */
const sameHostPort = (a: ContainerConfig['ports'][number], b: ContainerConfig['ports'][number]) =>
  a.published === b.published && a.protocol === b.protocol && (a.hostIp === null || b.hostIp === null || a.hostIp === b.hostIp);
const carries = (labels: Record<string, string>, wanted: Record<string, string>) => Object.entries(wanted).every(([k, v]) => labels[k] === v);
