/**
 * The app's definition carried by each of its containers (label `tagkeeper.definition`), so a
 * lost database costs the history, not the box: `tagkeeper recover` rebuilds the app from it
 * (its services and their settings, or its Compose model, and its per-app settings as they were
 * when the container was made), and latches what each container runs from its content labels.
 */
import { TagkeeperError } from '../../api/errors';
import { PULL_POLICIES, type AppRecord, type ComposeDefinition, type ServiceSettings } from '../../api/types/apps';
import { definitionHash } from '../compose/definition-hash';
import { newComposeApp } from '../compose-apps/compose-create';
import { parseReference } from '../model/reference';
import type { NewApp } from '../ports/store-port';
import { validateName } from './app-request';

type Defined = Pick<AppRecord, 'services' | 'compose' | 'pullPolicy' | 'checkOnStart' | 'autoApply'>;

/** What the label holds: an app made with flags keeps its services, one made from a Compose file its model. */
interface DefinitionLabel {
  pullPolicy: AppRecord['pullPolicy'];
  checkOnStart: boolean | null;
  autoApply: boolean | null;
  compose?: ComposeDefinition;
  services?: { name: string; reference: string; settings: ServiceSettings }[];
}

export function definitionLabel(app: Defined): string {
  const label: DefinitionLabel = {
    pullPolicy: app.pullPolicy,
    checkOnStart: app.checkOnStart,
    autoApply: app.autoApply,
    ...(app.compose ? { compose: app.compose } : { services: app.services.map((s) => ({ name: s.name, reference: s.reference, settings: s.settings })) }),
  };
  return JSON.stringify(label);
}

/** The app `name` as the label defines it; throws (saying what is wrong) for a label that is not one of ours. */
export function appFromDefinitionLabel(name: string, text: string): NewApp {
  let label: DefinitionLabel;
  try {
    label = JSON.parse(text) as DefinitionLabel;
  } catch {
    throw unreadable(name, 'it is not JSON');
  }
  if (typeof label !== 'object' || label === null) throw unreadable(name, 'it is not an object');
  const options = {
    pullPolicy: PULL_POLICIES.includes(label.pullPolicy as never) ? label.pullPolicy : null,
    checkOnStart: typeof label.checkOnStart === 'boolean' ? label.checkOnStart : null,
    autoApply: typeof label.autoApply === 'boolean' ? label.autoApply : null,
  };
  if (label.compose) {
    // The model must hash to the hash recorded with it: a label cut short or edited is refused.
    if (definitionHash(label.compose.project) !== label.compose.hash) throw unreadable(name, 'its Compose model does not hash to the hash it records');
    return newComposeApp(name, label.compose, options);
  }
  if (!Array.isArray(label.services) || label.services.length === 0) throw unreadable(name, 'it names no services');
  validateName('app', name);
  return {
    name,
    ...options,
    services: label.services.map((s) => {
      validateName('service', s.name);
      const ref = parseReference(s.reference);
      return { name: s.name, reference: s.reference, canonical: ref.canonical, pinnedDigest: ref.digest, settings: s.settings };
    }),
  };
}

function unreadable(app: string, why: string): TagkeeperError {
  return new TagkeeperError('invalid-input', `the definition label of app ${app}'s containers cannot be read: ${why}`, {
    hint: `remove its containers (docker rm -f $(docker ps -aq --filter label=tagkeeper.app=${app})) and create the app again`,
  });
}
