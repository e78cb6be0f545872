/** @jsxRuntime automatic */
/**
 * Create an app from a Compose file: its name (the Compose project's, judged as it is typed),
 * the file's path on the box, or its text pasted (the path then names it and anchors its
 * relative paths), env files, profiles, pull policy. The core's refusal is shown whole with
 * its hint and line, beside the field it is about when it is about one; the form keeps what
 * was typed. Once created, the app's page opens.
 */
import { useRef, useState, type FormEvent } from 'react';
import {
  composeCreateRequest, composeFieldOfError, EMPTY_COMPOSE_FORM, filePathProblem, lineRange, projectNameProblem,
  type ComposeCreateForm as Form, type ComposeField,
} from '../../lib/compose-request';
import { ComposeError } from '../compose/ComposeError';
import { ComposeSourceFields } from '../compose/ComposeSourceFields';
import { Field } from '../FormField';
import { PullPolicySelect } from '../PullPolicySelect';
import { useStores } from '../StoresContext';
import { createFailure } from '../../lib/create-failure';
import { CreateFailure } from './CreateFailure';
import { CreatePulls } from './CreatePulls';
import { useCreateSubmit } from './use-create-submit';

export function ComposeCreateForm({ hidden = false }: { hidden?: boolean }) {
  const { client, ui } = useStores();
  const [form, setForm] = useState<Form>(EMPTY_COMPOSE_FORM);
  const { submitting, error, fieldError, edited, run } = useCreateSubmit<ComposeField>(composeFieldOfError);
  const textArea = useRef<HTMLTextAreaElement>(null);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    edited(key);
  };
  const nameProblem = projectNameProblem(form.name);
  const missing = !form.name.trim()
    ? 'give the app a name'
    : !form.file.trim()
      ? "give the Compose file's path on the box"
      : nameProblem || filePathProblem(form.file)
        ? 'correct the fields marked above'
        : null;
  const submitReason = submitting ? `creating ${submitting}: pulling and starting its services` : missing;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitReason) return;
    const request = composeCreateRequest(form);
    await run(request.name, () => client.call('compose:create', request), (view) => {
      setForm(EMPTY_COMPOSE_FORM);
      ui.getState().openApp(view.name);
    });
  };

  const showLine = (line: number) => {
    const area = textArea.current;
    const range = area ? lineRange(area.value, line) : null;
    if (!area || !range) return;
    area.focus();
    area.setSelectionRange(range.start, range.end);
  };
  const pasted = form.text.trim() !== '';

  return (
    <form onSubmit={(e) => void submit(e)} noValidate hidden={hidden} aria-label="Create from a Compose file">
      <Field label="App name" help='it names the Compose project: lower-case letters, digits, "_" and "-"' htmlFor="compose-name"
        error={fieldError('name') ?? (nameProblem ? { code: 'invalid-input', message: nameProblem } : null)} errorTestId="compose-name-error">
        <input id="compose-name" data-testid="compose-name" value={form.name} autoComplete="off" spellCheck={false}
          placeholder="e.g. shop" onChange={(e) => set('name', e.target.value)} />
      </Field>
      <ComposeSourceFields idPrefix="compose" value={form} fileError={fieldError('file')} onChange={(key, value) => set(key, value)}
        afterFile={
          <Field label="Pasted Compose file" help="optional: the file's text, used instead of reading the path (which still names it)" htmlFor="compose-text" error={null}>
            <textarea id="compose-text" ref={textArea} data-testid="compose-text" rows={8} value={form.text} spellCheck={false}
              placeholder="optional: paste the file's YAML here" onChange={(e) => set('text', e.target.value)} />
          </Field>
        } />
      <Field label="Pull policy" help="services that set pull_policy keep their own" htmlFor="compose-pull-policy" error={null}>
        <PullPolicySelect id="compose-pull-policy" value={form.pullPolicy} onChange={(v) => set('pullPolicy', v)} />
      </Field>
      {error?.createdApp ? <CreateFailure error={error} testId="compose-create-error" /> : null}
      {error && !error.createdApp ? (
        <ComposeError error={{ ...error, message: createFailure(error).detail }} lead="Not created:" testId="compose-create-error" onShowLine={pasted ? showLine : undefined} />
      ) : null}
      <div className="form-buttons">
        <button type="submit" className="primary" data-testid="compose-create-submit" disabled={submitReason !== null} title={submitReason ?? undefined}>
          {submitting ? 'Creating…' : 'Create and start'}
        </button>
        {submitReason && !submitting ? <span className="muted" data-testid="compose-create-reason">{submitReason}</span> : null}
      </div>
      {submitting ? <CreatePulls app={submitting} /> : null}
    </form>
  );
}
