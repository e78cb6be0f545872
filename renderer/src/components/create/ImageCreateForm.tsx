/** @jsxRuntime automatic */
/**
 * Create an app from an image reference. The reference is checked as it is typed (its
 * normalized form shown, or why it is wrong); the core's errors appear beside the field
 * they are about, and in full above the button.
 */
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { ErrorInfo } from '../../../../main/api/errors';
import { createRequest, EMPTY_FORM, fieldOfError, type CreateField, type CreateForm } from '../../lib/create-request';
import { ErrorText } from '../ErrorText';
import { Field } from '../FormField';
import { PullPolicySelect } from '../PullPolicySelect';
import { useStores } from '../StoresContext';
import { CreateFailure } from './CreateFailure';
import { CreatePulls } from './CreatePulls';
import { useCreateSubmit } from './use-create-submit';
import { useReferenceCheck } from './use-reference-check';

export function ImageCreateForm({ parseDelayMs, hidden = false }: { parseDelayMs?: number; hidden?: boolean }) {
  const { client, ui, settings } = useStores();
  const device = useStore(settings, (s) => s.settings);
  const [form, setForm] = useState<CreateForm>(EMPTY_FORM);
  const { submitting, error, fieldError, edited, run } = useCreateSubmit<CreateField>(fieldOfError);
  const reference = useReferenceCheck(client, form.image, parseDelayMs);

  const set = <K extends keyof CreateForm>(key: K, value: CreateForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    edited(key);
  };

  const missing = !form.name.trim() ? 'give the app a name' : !form.image.trim() ? 'give an image reference' : null;
  const submitReason = submitting ? `creating ${submitting}: pulling and starting` : missing;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitReason) return;
    const request = createRequest(form);
    await run(request.name, () => client.call('apps:create', request), () => {
      setForm(EMPTY_FORM);
      ui.getState().setFilter('');
      ui.getState().show('apps');
    });
  };

  const deviceCheck = device ? (device.checkOnStart ? 'on' : 'off') : 'off';

  return (
    <form onSubmit={(e) => void submit(e)} noValidate hidden={hidden} aria-label="Create from an image">
      <Field label="App name" htmlFor="create-name" error={fieldError('name')} errorTestId="create-name-error">
        <input id="create-name" data-testid="create-name" value={form.name} autoComplete="off" spellCheck={false}
          placeholder="e.g. web" onChange={(e) => set('name', e.target.value)} />
      </Field>
      <Field label="Image reference" htmlFor="create-image" error={null}>
        <input id="create-image" data-testid="create-image" value={form.image} autoComplete="off" spellCheck={false}
          placeholder="e.g. redis:7 or ghcr.io/org/app:1.2" onChange={(e) => set('image', e.target.value)} />
        <ReferenceHint check={reference} submitError={fieldError('image')} />
      </Field>
      <Field label="Service name" htmlFor="create-service" error={fieldError('service')}>
        <input id="create-service" data-testid="create-service" value={form.service} autoComplete="off" spellCheck={false}
          onChange={(e) => set('service', e.target.value)} />
      </Field>
      <Field label="Pull policy" htmlFor="create-pull-policy" error={null}>
        <PullPolicySelect id="create-pull-policy" value={form.pullPolicy} onChange={(v) => set('pullPolicy', v)} />
      </Field>
      <Field label="Check on start" htmlFor="create-check-on-start" error={null}>
        <select id="create-check-on-start" data-testid="create-check-on-start" value={form.checkOnStart}
          onChange={(e) => set('checkOnStart', e.target.value as CreateForm['checkOnStart'])}>
          <option value="">device default ({deviceCheck})</option>
          <option value="on">on: move to the tag's current digest each time the app starts</option>
          <option value="off">off</option>
        </select>
      </Field>
      {LINE_FIELDS.map((f) => (
        <Field key={f.key} label={f.label} help={f.help} htmlFor={`create-${f.key}`} error={fieldError(f.key)}>
          <textarea id={`create-${f.key}`} data-testid={`create-${f.key}`} rows={f.rows} value={form[f.key]} spellCheck={false}
            placeholder={f.placeholder} onChange={(e) => set(f.key, e.target.value)} />
        </Field>
      ))}
      <Field label="Network" help="leave empty for the engine's default network" htmlFor="create-network" error={fieldError('network')}>
        <input id="create-network" data-testid="create-network" value={form.network} autoComplete="off" spellCheck={false}
          placeholder="empty: the engine's default network" onChange={(e) => set('network', e.target.value)} />
      </Field>
      {error ? <CreateFailure error={error} testId="create-error" /> : null}
      <div className="form-buttons">
        <button type="submit" className="primary" data-testid="create-submit" disabled={submitReason !== null} title={submitReason ?? undefined}>
          {submitting ? 'Creating…' : 'Create and start'}
        </button>
        {submitReason && !submitting ? <span className="muted">{submitReason}</span> : null}
      </div>
      {submitting ? <CreatePulls app={submitting} /> : null}
    </form>
  );
}

/** The one-entry-per-line settings of a service. */
const LINE_FIELDS = [
  { key: 'env', label: 'Environment', help: 'KEY=VALUE, one a line', rows: 3, placeholder: 'LOG_LEVEL=debug' },
  { key: 'volumes', label: 'Volumes', help: 'VOLUME:/path[:ro], one a line: named volumes of the app (purge discards them)', rows: 2, placeholder: 'data:/var/lib/app' },
  { key: 'ports', label: 'Ports', help: '[IP:]HOSTPORT:CONTAINERPORT[/udp], one a line', rows: 2, placeholder: '127.0.0.1:8080:80' },
] as const satisfies readonly { key: CreateField & keyof CreateForm; label: string; help: string; rows: number; placeholder: string }[];

function ReferenceHint({ check, submitError }: { check: ReturnType<typeof useReferenceCheck>; submitError: ErrorInfo | null }) {
  // The core's answer to the submit wins over the live check until the text changes.
  if (submitError) return <ErrorText error={submitError} testId="create-image-error" />;
  switch (check.state) {
    case 'empty':
      return null;
    case 'checking':
      return <p className="muted">checking…</p>;
    case 'valid':
      return (
        <p className="normalized">
          resolves as <code data-testid="create-normalized">{check.canonical}</code>
          {check.pinned ? <span className="tag pinned">pinned</span> : null}
        </p>
      );
    case 'invalid':
      return <ErrorText error={check.error} testId="create-image-error" />;
  }
}
