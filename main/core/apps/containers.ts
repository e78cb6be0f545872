/** A service's container: its place in the app's topology, on the content latched for it. */
import type { AppRecord, Latched } from '../../api/types/apps';
import { TagkeeperError } from '../../api/errors';
import type { ContainerSpec } from '../ports/engine-port';
import { LABEL, type AppTopology } from './app-topology';
import { definitionLabel } from './definition-label';

/**
 * A container created from the latched image id — never from the mutable tag. Its labels say
 * what it runs (reference, digests, image id) and the app's definition, which is how
 * `tagkeeper recover` rebuilds a lost database from the engine.
 */
export function containerSpec(
  app: Pick<AppRecord, 'name' | 'services' | 'compose' | 'pullPolicy' | 'checkOnStart' | 'autoApply'>,
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
      [LABEL.definition]: definitionLabel(app),
      ...(operation === undefined ? {} : { [LABEL.operation]: String(operation) }),
    },
    config: planned.config,
  };
}
