/** A service's container: its place in the app's topology, on the content latched for it. */
import type { AppRecord, Latched } from '../../api/types/apps';
import { TagkeeperError } from '../../api/errors';
import type { ContainerSpec } from '../ports/engine-port';
import { LABEL, type AppTopology } from './app-topology';

/** A container created from the latched image id — never from the mutable tag. */
export function containerSpec(
  app: Pick<AppRecord, 'name' | 'services'>,
  topology: AppTopology,
  service: string,
  latched: Pick<Latched, 'imageId' | 'indexDigest' | 'manifestDigest'>,
  operation?: number,
): ContainerSpec {
  const planned = topology.services.find((s) => s.name === service);
  const record = app.services.find((s) => s.name === service);
  if (!planned || !record) throw new TagkeeperError('internal', `app ${app.name} has no service ${service}`);
  return {
    name: planned.containerName,
    image: latched.imageId,
    labels: {
      ...planned.labels,
      [LABEL.reference]: record.canonical,
      [LABEL.indexDigest]: latched.indexDigest ?? '',
      [LABEL.manifestDigest]: latched.manifestDigest ?? '',
      [LABEL.imageId]: latched.imageId,
      ...(operation === undefined ? {} : { [LABEL.operation]: String(operation) }),
    },
    config: planned.config,
  };
}
