/** How Tagkeeper names and labels what it creates in the engine. */
import { flagServiceConfig } from './container-config';
import type { AppRecord, Latched, ServiceRecord } from '../../api/types/apps';
import type { ContainerSpec } from '../ports/engine-port';

export const LABEL = {
  app: 'tagkeeper.app',
  service: 'tagkeeper.service',
  reference: 'tagkeeper.reference',
  indexDigest: 'tagkeeper.index-digest',
  manifestDigest: 'tagkeeper.manifest-digest',
  imageId: 'tagkeeper.image-id',
  /** The operation that created the container (absent for containers made by app create). */
  operation: 'tagkeeper.operation',
} as const;

export const containerName = (app: string, service: string): string => `tagkeeper-${app}-${service}`;
export const volumeName = (app: string, volume: string): string => `tagkeeper-${app}-${volume}`;

/** The app's named volumes (each declared once even if several services mount it). */
export function appVolumes(app: Pick<AppRecord, 'name' | 'services'>): string[] {
  const names = app.services.flatMap((s) => s.settings.volumes.map((v) => volumeName(app.name, v.name)));
  return [...new Set(names)];
}

/** A container created from the latched image id — never from the mutable tag. */
export function containerSpec(app: string, service: ServiceRecord, latched: Pick<Latched, 'imageId' | 'indexDigest' | 'manifestDigest'>, operation?: number): ContainerSpec {
  const labels: Record<string, string> = operation === undefined ? {} : { [LABEL.operation]: String(operation) };
  return {
    name: containerName(app, service.name),
    image: latched.imageId,
    labels: {
      [LABEL.app]: app,
      [LABEL.service]: service.name,
      [LABEL.reference]: service.canonical,
      [LABEL.indexDigest]: latched.indexDigest ?? '',
      [LABEL.manifestDigest]: latched.manifestDigest ?? '',
      [LABEL.imageId]: latched.imageId,
      ...labels,
    },
    config: flagServiceConfig(service.settings, (volume) => volumeName(app, volume)),
  };
}
