/** `app create NAME --compose FILE`: one drive per Compose service, latched and run like any app. */
import type { ComposeDefinition, ServiceSettings } from '../../api/types/apps';
import type { PullPolicy } from '../../api/types/apps';
import { validateName } from '../apps/app-request';
import { parseReference } from '../model/reference';
import type { NewApp } from '../ports/store-port';

export interface ComposeAppOptions {
  pullPolicy?: PullPolicy | null;
  checkOnStart?: boolean | null;
  autoApply?: boolean | null;
}

/** The app's record: its services are the Compose services (their settings live in the definition). */
export function newComposeApp(name: string, compose: ComposeDefinition, options: ComposeAppOptions = {}): NewApp {
  validateName('app', name);
  return {
    name,
    pullPolicy: options.pullPolicy ?? null,
    checkOnStart: options.checkOnStart ?? null,
    autoApply: options.autoApply ?? null,
    compose,
    services: compose.project.services.map((s) => {
      const ref = parseReference(s.image);
      return { name: s.name, reference: s.image, canonical: ref.canonical, pinnedDigest: ref.digest, settings: NO_FLAG_SETTINGS(s.restart.policy) };
    }),
  };
}

/** Apps made with flags keep their few settings here; a Compose service's are in the definition. */
const NO_FLAG_SETTINGS = (restartPolicy: ServiceSettings['restartPolicy']): ServiceSettings => ({ env: [], volumes: [], ports: [], restartPolicy });
