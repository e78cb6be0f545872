/**
 * exportCompose: a normalized Compose project back to a Compose file, every image pinned to
 * the digest Tagkeeper latched, so that plain `docker compose up` runs exactly that content.
 * Pure: no file system, no clock (the time in the header comes from the caller), and the
 * same project and pins always give the same bytes.
 *
 * - `image:` is the pin's reference with the latched digest: `repository:tag@sha256:…`
 *   (`repository@sha256:…` when the reference has no tag). Compose v2 and docker-compose
 *   1.29.2 (with docker-py) both accept it and both pull by the digest alone: the engine
 *   drops the tag of a digested reference (Compose v2's own `config --resolve-image-digests`
 *   writes this form). A digest already in the reference must be the latched one and is
 *   not repeated.
 * - no top-level `name:`: docker-compose 1.29.2 refuses it, so the header says to start the
 *   file with `-p NAME`; the engine names do not depend on it (next point).
 * - networks, volumes, secrets and configs keep their engine names with `name:`, so they
 *   stay the same when the file is started under another project name; `external: true` is
 *   kept; the implicit `default` network is declared like the others; secret and config
 *   files are absolute paths.
 * - services: see export-service.ts (and export-values.ts for the forms of each value).
 * - every `$` in a value is written `$$` (export-yaml.ts): no variable of the environment
 *   or of a .env file changes what the file says.
 */
import { TagkeeperError } from '../../api/errors';
import { byDigest, parseReference } from '../model/reference';
import type { ComposeFileObject, ComposeNetwork, ComposeProject, ComposeVolume } from '../../api/types/compose';
import { compareText } from './read-values';
import { exportService, mapValues } from './export-service';
import { writeYaml, type YamlMap } from './export-yaml';

/** The latched content of one service. */
export interface ExportPin {
  /** The image reference, as the user typed it or canonical (`redis:7`, `docker.io/library/redis:7`). */
  reference: string;
  /** The latched digest: the index digest (`sha256:…`), else the manifest digest. */
  digest: string;
}

export interface ExportOptions {
  /** When the file is exported, for its header; absent: the header names no time. */
  exportedAt?: Date;
}

export function exportCompose(project: ComposeProject, pins: Record<string /* service name */, ExportPin>, options: ExportOptions = {}): string {
  const images = pinnedImages(project, pins);
  const services = [...project.services].sort((a, b) => compareText(a.name, b.name));
  const file: YamlMap = {
    services: Object.fromEntries(services.map((service) => [service.name, exportService(service, images.get(service.name) as string)])),
  };
  const sections: [string, YamlMap][] = [
    ['networks', mapValues(project.networks, networkEntry)],
    ['volumes', mapValues(project.volumes, volumeEntry)],
    ['secrets', mapValues(project.secrets, fileObjectEntry)],
    ['configs', mapValues(project.configs, fileObjectEntry)],
  ];
  for (const [key, section] of sections) if (Object.keys(section).length > 0) file[key] = section;
  return writeYaml(file, header(project.name, options.exportedAt));
}

function header(project: string, exportedAt: Date | undefined): string[] {
  return [
    `Exported by Tagkeeper from project ${project}${exportedAt === undefined ? '' : ` at ${exportedAt.toISOString()}`}.`,
    `Start it as that project: docker compose -p ${project} up -d (or docker-compose -p ${project} up -d).`,
    'Every image is pinned to the digest Tagkeeper latched (repository:tag@sha256:…): `docker compose up` runs exactly that content.',
    'Every $ in a value is written $$, so no environment variable or .env file changes what this file says.',
  ];
}

/** Service name → the pinned image; every service needs a pin, and every pin a service. */
function pinnedImages(project: ComposeProject, pins: Record<string, ExportPin>): Map<string, string> {
  const names = new Set(project.services.map((service) => service.name));
  const unknown = Object.keys(pins).filter((name) => !names.has(name)).sort(compareText);
  if (unknown.length > 0) {
    throw new TagkeeperError('invalid-input', `pins name services that project ${project.name} does not have: ${unknown.join(', ')}`, {
      hint: `give one pin for each of its services (${[...names].join(', ')})`,
    });
  }
  const images = new Map<string, string>();
  for (const service of project.services) {
    const pin = Object.hasOwn(pins, service.name) ? pins[service.name] : undefined;
    if (pin === undefined) {
      throw new TagkeeperError('invalid-input', `service ${service.name} has no recorded digest to pin its image ${service.image} to`, {
        hint: 'resolve the app\'s images first (every image of an exported file is pinned)',
      });
    }
    images.set(service.name, pinnedImage(service.name, service.image, pin));
  }
  return images;
}

function pinnedImage(service: string, image: string, pin: ExportPin): string {
  const reference = aboutService(service, () => parseReference(pin.reference));
  aboutService(service, () => byDigest(reference, pin.digest));
  if (reference.repository !== parseReference(image).repository) {
    throw new TagkeeperError('invalid-input', `service ${service}: the pin's reference ${pin.reference} is not of the service's image ${image}`, {
      hint: 'pin each service to a digest of its own image',
    });
  }
  if (reference.digest !== null && reference.digest !== pin.digest) {
    throw new TagkeeperError('invalid-input', `service ${service}: ${pin.reference} is pinned to ${reference.digest}, but the digest it runs is ${pin.digest}`, {
      hint: 'the digest in the reference and the digest the service runs must be the same',
    });
  }
  const tag = reference.tag === null ? '' : `:${reference.tag}`;
  return parseReference(`${reference.repository}${tag}@${pin.digest}`).canonical;
}

/** Runs a check whose TagkeeperError then names the service. */
function aboutService<T>(service: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof TagkeeperError)) throw error;
    throw new TagkeeperError(error.code, `service ${service}: ${error.message}`, { hint: error.hint, cause: error });
  }
}

function networkEntry(network: ComposeNetwork): YamlMap {
  if (network.external) return { name: network.name, external: true };
  const entry = resourceEntry(network);
  if (network.internal) entry.internal = true;
  return entry;
}

function volumeEntry(volume: ComposeVolume): YamlMap {
  return volume.external ? { name: volume.name, external: true } : resourceEntry(volume);
}

function resourceEntry(resource: ComposeNetwork | ComposeVolume): YamlMap {
  const entry: YamlMap = { name: resource.name };
  if (resource.driver !== null) entry.driver = resource.driver;
  if (Object.keys(resource.driverOpts).length > 0) entry.driver_opts = mapValues(resource.driverOpts, (value) => value);
  if (Object.keys(resource.labels).length > 0) entry.labels = mapValues(resource.labels, (value) => value);
  return entry;
}

function fileObjectEntry(object: ComposeFileObject): YamlMap {
  return { name: object.name, file: object.file };
}

