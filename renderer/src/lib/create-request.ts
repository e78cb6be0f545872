/**
 * The create form's fields → an `apps:create` request. Lines are split and trimmed here;
 * their meaning (KEY=VALUE, VOLUME:/path) is judged by the core, whose errors are shown
 * beside the field they concern.
 */
import type { PullPolicy } from '../../../main/api/types/apps';
import type { RequestOf } from '../../../main/api/contract';
import type { ErrorInfo } from '../../../main/api/errors';

export type PullPolicyChoice = '' | PullPolicy;
export type CheckOnStartChoice = '' | 'on' | 'off';

export interface CreateForm {
  name: string;
  service: string;
  image: string;
  pullPolicy: PullPolicyChoice;
  checkOnStart: CheckOnStartChoice;
  env: string;
  volumes: string;
  ports: string;
  /** Empty: the engine's default network. */
  network: string;
}

export const EMPTY_FORM: CreateForm = {
  name: '', service: 'main', image: '', pullPolicy: '', checkOnStart: '', env: '', volumes: '', ports: '', network: '',
};

export type CreateField = 'name' | 'service' | 'image' | 'env' | 'volumes' | 'ports' | 'network';

/** The non-empty lines of a text area, trimmed. */
export const lines = (text: string): string[] => text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);

export function createRequest(form: CreateForm): RequestOf<'apps:create'> {
  const network = form.network.trim();
  return {
    name: form.name.trim(),
    pullPolicy: form.pullPolicy === '' ? null : form.pullPolicy,
    checkOnStart: form.checkOnStart === '' ? null : form.checkOnStart === 'on',
    services: [
      {
        name: form.service.trim() || 'main',
        image: form.image.trim(),
        env: lines(form.env),
        volumes: lines(form.volumes),
        ports: lines(form.ports),
        ...(network ? { network } : {}),
      },
    ],
  };
}

/** Which field a core error is about, from its code and wording; null: the form as a whole. */
export function fieldOfError(error: ErrorInfo): CreateField | null {
  const m = error.message;
  if (error.code === 'invalid-reference' || error.code === 'invalid-digest') return 'image';
  if (error.code === 'already-exists' || /valid app name/.test(m)) return 'name';
  if (/valid service name/.test(m)) return 'service';
  if (/^environment entry/.test(m)) return 'env';
  if (/^volume "|valid volume name/.test(m)) return 'volumes';
  if (/^port "/.test(m)) return 'ports';
  if (/network/i.test(m) && error.code === 'invalid-input') return 'network';
  return null;
}
