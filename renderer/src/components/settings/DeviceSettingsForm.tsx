/** @jsxRuntime automatic */
/** The device's defaults: pull policy, check on start, offline mode, insecure registries. */
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { DeviceSettings, SettingKey } from '../../../../main/core/settings';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

interface Draft {
  pullPolicy: string;
  checkOnStart: boolean;
  offline: boolean;
  insecureRegistries: string;
}

const draftOf = (s: DeviceSettings): Draft => ({
  pullPolicy: s.pullPolicy,
  checkOnStart: s.checkOnStart,
  offline: s.offline,
  insecureRegistries: s.insecureRegistries.join(', '),
});

/** Only what changed is sent, with the CLI's keys and spelling. */
export function settingChanges(saved: DeviceSettings, draft: Draft): Partial<Record<SettingKey, string>> {
  const before = draftOf(saved);
  const changes: Partial<Record<SettingKey, string>> = {};
  if (draft.pullPolicy !== before.pullPolicy) changes['pull-policy'] = draft.pullPolicy;
  if (draft.checkOnStart !== before.checkOnStart) changes['check-on-start'] = draft.checkOnStart ? 'on' : 'off';
  if (draft.offline !== before.offline) changes.offline = draft.offline ? 'on' : 'off';
  if (draft.insecureRegistries.trim() !== before.insecureRegistries) changes['insecure-registries'] = draft.insecureRegistries.trim();
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

  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor="setting-pull-policy">Pull policy</label>
        <div className="field-input">
          <select id="setting-pull-policy" data-testid="setting-pull-policy" value={draft.pullPolicy} onChange={(e) => setDraft({ ...draft, pullPolicy: e.target.value })}>
            <option value="always">always (ask the registry)</option>
            <option value="if-not-present">if-not-present (use the local image)</option>
            <option value="never">never (the image must be on the box)</option>
          </select>
          <p className="muted help">
            For apps that set none. With always, an app whose registry cannot be reached fails to start rather than run an older local image.
          </p>
          <ErrorText error={errors['pull-policy']} testId="setting-pull-policy-error" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="setting-check-on-start">Check on start</label>
        <div className="field-input">
          <label className="inline">
            <input id="setting-check-on-start" type="checkbox" data-testid="setting-check-on-start" checked={draft.checkOnStart} onChange={(e) => setDraft({ ...draft, checkOnStart: e.target.checked })} />
            each time an app starts, move it to its tag's current digest
          </label>
          <ErrorText error={errors['check-on-start']} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="setting-offline">Offline mode</label>
        <div className="field-input">
          <label className="inline">
            <input id="setting-offline" type="checkbox" data-testid="setting-offline" checked={draft.offline} onChange={(e) => setDraft({ ...draft, offline: e.target.checked })} />
            no registry traffic at all; apps keep running on their latched digests
          </label>
          <ErrorText error={errors.offline} testId="setting-offline-error" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="setting-insecure-registries">Insecure registries</label>
        <div className="field-input">
          <input id="setting-insecure-registries" data-testid="setting-insecure-registries" value={draft.insecureRegistries} spellCheck={false}
            placeholder="host:port, comma-separated (loopback registries need none)" onChange={(e) => setDraft({ ...draft, insecureRegistries: e.target.value })} />
          <p className="muted help">Reached over plain HTTP.</p>
          <ErrorText error={errors['insecure-registries']} testId="setting-insecure-registries-error" />
        </div>
      </div>
      <div className="form-buttons">
        <button type="submit" className="primary" data-testid="settings-save" disabled={saveReason !== null} title={saveReason ?? undefined}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {unchanged && savedAt ? <span className="muted" data-testid="settings-saved">Saved.</span> : null}
      </div>
    </form>
  );
}
