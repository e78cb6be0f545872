/** @jsxRuntime automatic */
/** The app's auto-apply: on, off, or the device default (`apps:configure`); a refusal shows beside it. */
import { useState } from 'react';
import { useStore } from 'zustand';
import type { AppView } from '../../../../main/api/types/app-view';
import type { ErrorInfo } from '../../../../main/api/errors';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

type Choice = 'default' | 'on' | 'off';

const choiceOf = (app: AppView): Choice => (app.autoApplySource === 'device' ? 'default' : app.autoApply ? 'on' : 'off');
const VALUES: Record<Choice, boolean | null> = { default: null, on: true, off: false };

export function AutoApplyControl({ app }: { app: AppView }) {
  const { apps, settings } = useStores();
  const device = useStore(settings, (s) => s.settings?.autoApply ?? false);
  const pending = useStore(apps, (s) => s.items[app.name]?.pending ?? null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const id = `auto-apply-${app.name}`;

  const change = async (choice: Choice) => {
    setError(null);
    const ok = await apps.getState().configure(app.name, { autoApply: VALUES[choice] });
    if (!ok) setError(apps.getState().items[app.name]?.error ?? null);
  };

  return (
    <div className="field">
      <label htmlFor={id}>Auto-apply</label>
      <div className="field-input">
        <select id={id} data-testid={id} value={choiceOf(app)} disabled={pending !== null} title={pending ? `waiting for ${pending} to finish` : undefined}
          onChange={(e) => void change(e.target.value as Choice)}>
          <option value="default">device default ({device ? 'on' : 'off'})</option>
          <option value="on">on: apply updates as soon as a check finds them</option>
          <option value="off">off: each update waits for approval</option>
        </select>
        <p className="muted help">
          Now {app.autoApply ? 'on' : 'off'}
          {app.autoApplySource === 'device' ? ', from the device default (Settings)' : ', set for this app'}.
        </p>
        <ErrorText error={error} testId={`${id}-error`} />
      </div>
    </div>
  );
}
