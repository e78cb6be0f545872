/** @jsxRuntime automatic */
import { PULL_POLICIES, PULL_POLICY_MEANING } from '../../../../main/api/types/apps';
/**
 * The device's defaults: pull policy, check on start, offline mode, insecure registries, and
 * what happens to updates: auto-apply, prefetch, scheduled checks, start grace. Each refused
 * value shows the core's reason beside its field.
 */
import type { FormEvent, ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ErrorInfo } from '../../../../main/api/errors';
import { draftOf, fieldError, FLAG_KEYS, settingChanges, TEXT_KEYS, type Draft, type Flag, type Text } from '../../lib/settings-draft';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export function DeviceSettingsForm() {
  const { settings } = useStores();
  const saved = useStore(settings, (s) => s.settings);
  const errors = useStore(settings, (s) => s.errors);
  const saving = useStore(settings, (s) => s.saving);
  const savedAt = useStore(settings, (s) => s.savedAt);
  const edited = useStore(settings, (s) => s.draft);

  if (!saved) return <p className="muted">Loading settings…</p>;
  // Unsaved changes stay in the store: leaving the screen and coming back keeps them.
  const draft = edited ?? draftOf(saved);
  const setDraft = (next: Draft) => settings.getState().edit(next);
  const changes = settingChanges(saved, draft);
  const unchanged = Object.keys(changes).length === 0;
  const saveReason = saving ? 'saving' : unchanged ? 'nothing changed' : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saveReason) return;
    await settings.getState().save(changes);
  };
  const flag = (field: Flag, label: string, text: string) => (
    <FlagField field={field} label={label} text={text} draft={draft} setDraft={setDraft} error={fieldError(errors[FLAG_KEYS[field]], FLAG_KEYS[field], label)} />
  );
  const textField = (field: Text, label: string, placeholder: string, help: string) => (
    <TextField field={field} label={label} placeholder={placeholder} help={help} draft={draft} setDraft={setDraft} error={fieldError(errors[TEXT_KEYS[field]], TEXT_KEYS[field], label)} />
  );

  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)}>
      <Field id="setting-pull-policy" label="Pull policy" error={fieldError(errors['pull-policy'], 'pull-policy', 'Pull policy')}>
        <select id="setting-pull-policy" data-testid="setting-pull-policy" value={draft.pullPolicy} onChange={(e) => setDraft({ ...draft, pullPolicy: e.target.value })}>
          {PULL_POLICIES.map((p) => <option key={p} value={p}>{p}: {PULL_POLICY_MEANING[p]}</option>)}
        </select>
        <p className="muted help">
          For apps that set none. With always, an app whose registry cannot be reached fails to start rather than run an older local image.
        </p>
      </Field>
      {flag('checkOnStart', 'Check on start', 'each time an app starts, move it to its tag\'s current digest')}
      {flag('offline', 'Offline mode', 'no registry traffic at all; apps keep running what they run')}
      {textField('insecureRegistries', 'Insecure registries', 'host:port, comma-separated (loopback registries need none)', "Reached over plain HTTP, as are the engine's own insecure registries (under Registries).")}
      <h3>Updates</h3>
      {flag('autoApply', 'Auto-apply', 'apply updates as soon as a check finds them, for apps that set nothing themselves (off: each waits for approval)')}
      {flag('prefetch', 'Prefetch', 'download pending updates in advance (never apply them), so approving costs no download')}
      {textField('checkInterval', 'Scheduled checks', 'off, or e.g. 30m, 6h, 1d', 'How often to check every app (HEAD requests only, ±10 % jitter); off: only when asked.')}
      {textField('startGrace', 'Start grace', 'e.g. 5s or 2m', 'How long new containers must stay up (healthy, with a health check) before an apply counts as done; else it rolls back.')}
      <div className="form-buttons">
        <button type="submit" className="primary" data-testid="settings-save" disabled={saveReason !== null} title={saveReason ?? undefined}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {unchanged ? null : (
          <button type="button" data-testid="settings-discard" disabled={saving} onClick={() => settings.getState().discard()}>
            Discard changes
          </button>
        )}
        {unchanged && savedAt ? <span className="muted" data-testid="settings-saved">Saved.</span> : null}
        {unchanged ? null : <span className="muted" data-testid="settings-unsaved">Not saved yet: the changes stay here until you save or discard them.</span>}
      </div>
    </form>
  );
}

/** `setting-auto-apply`, `setting-check-interval`…: the testid of a field, from its setting key. */
const testIdOf = (field: Flag | Text) => `setting-${(FLAG_KEYS as Record<string, string>)[field] ?? (TEXT_KEYS as Record<string, string>)[field]}`;

interface FieldProps<F> {
  field: F;
  label: string;
  draft: Draft;
  setDraft(draft: Draft): void;
  error: ErrorInfo | undefined;
}

function FlagField({ field, label, text, draft, setDraft, error }: FieldProps<Flag> & { text: string }) {
  const id = testIdOf(field);
  return (
    <Field id={id} label={label} error={error}>
      <label className="inline">
        <input id={id} type="checkbox" data-testid={id} checked={draft[field]} onChange={(e) => setDraft({ ...draft, [field]: e.target.checked })} />
        {text}
      </label>
    </Field>
  );
}

function TextField({ field, label, placeholder, help, draft, setDraft, error }: FieldProps<Text> & { placeholder: string; help: string }) {
  const id = testIdOf(field);
  return (
    <Field id={id} label={label} error={error}>
      <input id={id} data-testid={id} value={draft[field]} spellCheck={false} placeholder={placeholder} onChange={(e) => setDraft({ ...draft, [field]: e.target.value })} />
      <p className="muted help">{help}</p>
    </Field>
  );
}

function Field({ id, label, error, children }: { id: string; label: string; error: ErrorInfo | undefined; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="field-input">
        {children}
        <ErrorText error={error} testId={`${id}-error`} />
      </div>
    </div>
  );
}
