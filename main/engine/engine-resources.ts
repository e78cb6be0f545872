/**
 * Networks and volumes over the Engine API, the half of the adapter that DockerEngine extends:
 * networks are created idempotently for the same owner, removed, listed and inspected, and a new
 * container is connected to the networks it was not created on; volumes take a driver and its
 * options.
 */
import type { ContainerSpec, NetworkInfo, NetworkSpec, VolumeInfo, VolumeOptions } from '../core/ports/engine-port';
import { TagkeeperError } from '../api/errors';
import { engineCall, engineCallAllowing, engineMessage, httpStatus, inspectOrNull, mapEngineError } from './engine-errors';
import { checkName, labelFilters } from './engine-names';
import { laterNetworks } from './map-container';
import { withQuery, type ProbeAnswer } from './engine-probe';

/** The labels that say whose a network is: an existing network with the spec's values is the spec's. */
/**
 * Whether an existing network is the one the spec describes: a Compose project's network is
 * its project's (also when `docker compose` made it: an adopted project reuses it); any other
 * is the Tagkeeper app's that made it.
 */
function sameOwner(existing: Record<string, string>, spec: Record<string, string>): boolean {
  const project = spec['com.docker.compose.project'];
  if (project !== undefined) return existing['com.docker.compose.project'] === project;
  const app = spec['tagkeeper.app'];
  return app !== undefined && existing['tagkeeper.app'] === app && existing['com.docker.compose.project'] === undefined;
}

/** The fields of a network inspect (or list entry) this adapter reads. */
interface RawNetwork {
  Id: string;
  Name: string;
  Labels?: Record<string, string> | null;
  Driver?: string | null;
  Options?: Record<string, string> | null;
  Internal?: boolean | null;
}

/** The fields of a volume inspect (or list entry) this adapter reads. */
interface RawVolume {
  Name: string;
  Labels?: Record<string, string> | null;
  Driver: string;
  Options?: Record<string, string> | null;
}

interface RawVolumeList {
  Volumes?: RawVolume[] | null;
}

export abstract class EngineResources {
  abstract readonly endpoint: string;
  /** `method path` with a JSON body: the 2xx answer, else the engine's error thrown (engine-probe.ts). */
  protected abstract send(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ProbeAnswer>;

  async createNetwork(spec: NetworkSpec): Promise<void> {
    checkName('network', spec.name);
    const doing = `creation of network ${spec.name}`;
    // CheckDuplicate: without it an engine before API 1.44 makes a second network of the same name.
    const body = { Name: spec.name, Driver: spec.driver ?? 'bridge', Options: { ...spec.driverOpts }, Internal: spec.internal, Labels: { ...spec.labels }, CheckDuplicate: true };
    const create = () => this.send('POST', '/networks/create', body);
    try {
      await create();
      return;
    } catch (error) {
      if (httpStatus(error) !== 409) throw mapEngineError(error, this.endpoint, doing);
    }
    const existing = await this.inspectNetwork(spec.name);
    // Gone again since the engine said it exists: make it after all.
    if (existing === null) return void (await engineCall(this.endpoint, doing, create));
    if (sameOwner(existing.labels, spec.labels)) return;
    throw new TagkeeperError('engine-error', `${doing} failed: a network of that name exists already and belongs to ${ownerOf(existing.labels)}`, {
      hint: `remove that network (docker network rm ${spec.name}) if nothing uses it, or give this one another name (name: under the network in the Compose file)`,
    });
  }

  /** Already gone is fine. Found by exact name or id first: the engine would also take an id prefix. */
  async removeNetwork(name: string): Promise<void> {
    const network = await this.inspectNetwork(name);
    if (network === null) return;
    try {
      await this.send('DELETE', `/networks/${network.id}`);
    } catch (error) {
      if (httpStatus(error) === 404) return;
      if (/active endpoints/.test(engineMessage(error))) {
        throw new TagkeeperError('engine-error', `removal of network ${name} failed: containers still use it (${engineMessage(error)})`, {
          hint: `stop and remove the containers on it first (docker network inspect ${name} lists them)`,
          cause: error,
        });
      }
      throw mapEngineError(error, this.endpoint, `removal of network ${name}`);
    }
  }

  async listNetworks(labels: Record<string, string>): Promise<NetworkInfo[]> {
    const answer = await engineCall(this.endpoint, 'listing networks', () => this.send('GET', withQuery('/networks', { filters: labelFilters(labels) })));
    return (JSON.parse(answer.body) as RawNetwork[]).map(mapNetwork).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** By exact name or id: the engine also answers for an id prefix, which is not that network. */
  async inspectNetwork(name: string): Promise<NetworkInfo | null> {
    checkName('network', name);
    const raw = await inspectOrNull(this.endpoint, `inspection of network ${name}`, async () => JSON.parse((await this.send('GET', `/networks/${name}`)).body) as RawNetwork);
    return raw !== null && (raw.Name === name || raw.Id === name) ? mapNetwork(raw) : null;
  }

  /**
   * Connects container `id` to the spec's networks after the first, with their aliases. The
   * caller removes the container when this throws. The engine connects a container that is not
   * running even to a network that does not exist (it records the name; the start fails).
   */
  protected async connectLaterNetworks(id: string, spec: ContainerSpec): Promise<void> {
    for (const [network, { aliases }] of laterNetworks(spec)) {
      try {
        await this.send('POST', `/networks/${network}/connect`, { Container: id, EndpointConfig: { Aliases: [...aliases] } });
      } catch (error) {
        const mapped = mapEngineError(error, this.endpoint, `connection of container ${spec.name} to network ${network}`);
        if (mapped.code !== 'engine-error') throw mapped;
        throw new TagkeeperError('engine-error', `${mapped.message} (the container was removed again)`, {
          hint: `make sure network ${network} exists and the container may join it (docker network ls), then create the container again`,
          cause: error,
        });
      }
    }
  }

  /**
   * The engine keeps an existing volume of that name as it is (labels and options too) and
   * answers as if it had made it: inspectVolume tells what it is.
   */
  async createVolume(name: string, labels: Record<string, string>, options?: VolumeOptions): Promise<void> {
    const body: Record<string, unknown> = { Name: name, Labels: { ...labels } };
    if (options?.driver) body.Driver = options.driver;
    if (options && Object.keys(options.driverOpts).length > 0) body.DriverOpts = { ...options.driverOpts };
    await engineCall(this.endpoint, `creation of volume ${name}`, () => this.send('POST', '/volumes/create', body));
  }

  /** Removes the volume unless a container uses it. Already gone is fine. */
  async removeVolume(name: string): Promise<void> {
    checkName('volume', name);
    await engineCallAllowing(this.endpoint, [404], `removal of volume ${name}`, () => this.send('DELETE', `/volumes/${name}`));
  }

  async listVolumes(labels: Record<string, string>): Promise<string[]> {
    const answer = await engineCall(this.endpoint, 'listing volumes', () => this.send('GET', withQuery('/volumes', { filters: labelFilters(labels) })));
    return ((JSON.parse(answer.body) as RawVolumeList).Volumes ?? []).map((volume) => volume.Name).sort();
  }

  async inspectVolume(name: string): Promise<VolumeInfo | null> {
    checkName('volume', name);
    const raw = await inspectOrNull(this.endpoint, `inspection of volume ${name}`, async () => JSON.parse((await this.send('GET', `/volumes/${name}`)).body) as RawVolume);
    if (raw === null) return null;
    return { name: raw.Name, labels: { ...(raw.Labels ?? {}) }, driver: raw.Driver, driverOpts: { ...(raw.Options ?? {}) } };
  }
}

function mapNetwork(raw: RawNetwork): NetworkInfo {
  return {
    id: raw.Id,
    name: raw.Name,
    labels: { ...(raw.Labels ?? {}) },
    driver: raw.Driver ?? '',
    driverOpts: { ...(raw.Options ?? {}) },
    internal: raw.Internal === true,
  };
}

function ownerOf(labels: Record<string, string>): string {
  const app = labels['tagkeeper.app'];
  const project = labels['com.docker.compose.project'];
  if (app !== undefined) return `Tagkeeper app ${app}${project !== undefined ? ` (Compose project ${project})` : ''}`;
  if (project !== undefined) return `Compose project ${project} (made by docker compose, not by Tagkeeper)`;
  return 'neither a Tagkeeper app nor a Compose project (it has no owner labels)';
}
