/** @jsxRuntime automatic */
import { PULL_POLICIES, PULL_POLICY_MEANING } from '../../../../main/api/types/apps';
/**
 * The device's defaults: pull policy, check on start, offline mode, insecure registries, and
 * what happens to updates: auto-apply, prefetch, scheduled checks, start grace. Each refused
 * value shows the core's reason beside its field.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ErrorInfo } from '../../../../main/api/errors';
import { formatDuration } from '../../../../main/api/format';
import type { DeviceSettings, SettingKey } from '../../../../main/api/types/settings';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export interface Draft {
  pullPolicy: string;
  checkOnStart: boolean;
  offline: boolean;
  insecureRegistries: string;
  autoApply: boolean;
  prefetch: boolean;
  /** As typed: `6h`, `30m`, `off`. */
  checkInterval: string;
  startGrace: string;
}

type Flag = 'checkOnStart' | 'offline' | 'autoApply' | 'prefetch';
type Text = 'insecureRegistries' | 'checkInterval' | 'startGrace';

export const draftOf = (s: DeviceSettings): Draft => ({
  pullPolicy: s.pullPolicy,
  checkOnStart: s.checkOnStart,
  offline: s.offline,
  insecureRegistries: s.insecureRegistries.join(', '),
  autoApply: s.autoApply,
  prefetch: s.prefetch,
  checkInterval: s.checkIntervalSeconds === 0 ? 'off' : formatDuration(s.checkIntervalSeconds),
  startGrace: formatDuration(s.startGraceSeconds),
});

const FLAG_KEYS: Record<Flag, SettingKey> = { checkOnStart: 'check-on-start', offline: 'offline', autoApply: 'auto-apply', prefetch: 'prefetch' };
const TEXT_KEYS: Record<Text, SettingKey> = { insecureRegistries: 'insecure-registries', checkInterval: 'check-interval', startGrace: 'start-grace' };

/** Only what changed is sent, with the CLI's keys and spelling. */
export function settingChanges(saved: DeviceSettings, draft: Draft): Partial<Record<SettingKey, string>> {
  const before = draftOf(saved);
  const changes: Partial<Record<SettingKey, string>> = {};
  if (draft.pullPolicy !== before.pullPolicy) changes['pull-policy'] = draft.pullPolicy;
  for (const [field, key] of Object.entries(FLAG_KEYS) as [Flag, SettingKey][]) {
    if (draft[field] !== before[field]) changes[key] = draft[field] ? 'on' : 'off';
  }
  for (const [field, key] of Object.entries(TEXT_KEYS) as [Text, SettingKey][]) {
    if (draft[field].trim() !== before[field]) changes[key] = draft[field].trim();
  }
  return changes;
}

export function DeviceSettingsForm() {
  const { settings } = useStores();
  const saved = useStore(settings, (s) => s.settings);
  const errors = useStore(settings, (s) => s.errors);
  const saving = useStore(settings, (s) => s.saving);
  const savedAt = useStore(settings, (s) => s.savedAt);
  const [draft, setDraft] = useState<Draft | null>(saved ? draftOf(saved) : null);

  // The first load, a save that went through, or a change from elsewhere (the CLI): show what
  // is stored. After a refused save the draft stays, so the refused value can be corrected.
  useEffect(() => {
    if (saved && !saving && Object.keys(errors).length === 0) setDraft(draftOf(saved));
  }, [saved, saving, errors]);

  if (!saved || !draft) return <p className="muted">Loading settings…</p>;
  const changes = settingChanges(saved, draft);
  const unchanged = Object.keys(changes).length === 0;
  const saveReason = saving ? 'saving' : unchanged ? 'nothing changed' : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saveReason) return;
    await settings.getState().save(changes);
  };
  const flag = (field: Flag, label: string, text: string) => (
    <FlagField field={field} label={label} text={text} draft={draft} setDraft={setDraft} error={errors[FLAG_KEYS[field]]} />
  );
  const textField = (field: Text, label: string, placeholder: string, help: string) => (
    <TextField field={field} label={label} placeholder={placeholder} help={help} draft={draft} setDraft={setDraft} error={errors[TEXT_KEYS[field]]} />
  );

  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)}>
      <Field id="setting-pull-policy" label="Pull policy" error={errors['pull-policy']}>
        <select id="setting-pull-policy" data-testid="setting-pull-policy" value={draft.pullPolicy} onChange={(e) => setDraft({ ...draft, pullPolicy: e.target.value })}>
          {PULL_POLICIES.map((p) => <option key={p} value={p}>{p}: {PULL_POLICY_MEANING[p]}</option>)}
        </select>
        <p className="muted help">
          For apps that set none. With always, an app whose registry cannot be reached fails to start rather than run an older local image.
        </p>
      </Field>
      {flag('checkOnStart', 'Check on start', 'each time an app starts, move it to its tag\'s current digest')}
      {flag('offline', 'Offline mode', 'no registry traffic at all; apps keep running on their latched digests')}
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
        {unchanged && savedAt ? <span className="muted" data-testid="settings-saved">Saved.</span> : null}
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
