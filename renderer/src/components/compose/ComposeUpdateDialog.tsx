/** @jsxRuntime automatic */
/**
 * "Update from a Compose file…": the file (the current one to start with), env files and
 * profiles; Show plan (`compose:plan`) shows what would change, and only then Apply
 * (`compose:update`, exactly the source planned) carries it out. While it runs: the app's
 * operation and pulls; at the end how it went (done, nothing to change, rolled back, failed).
 * Editing the source drops the plan: Apply waits for a plan of what is in the fields.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { hasChanges } from '../../lib/compose-outcome';
import { composeSource, filePathProblem, sourceFormOf, type ComposeSource, type ComposeSourceForm } from '../../lib/compose-request';
import { IDLE_UPDATE } from '../../stores/compose-update-store';
import { AppWorkProgress } from '../activity/AppWorkProgress';
import { Dialog } from '../Dialog';
import { useStores } from '../StoresContext';
import { ComposeError } from './ComposeError';
import { ComposePlanView } from './ComposePlanView';
import { ComposeSourceFields } from './ComposeSourceFields';

const fieldsOf = (s: ComposeSource): ComposeSourceForm => sourceFormOf({ file: s.file, envFiles: s.envFiles ?? [], profiles: s.profiles ?? [] });

export function ComposeUpdateDialog({ app }: { app: string }) {
  const { apps, composeUpdates, ui } = useStores();
  const definition = useStore(apps, (s) => s.apps.find((a) => a.name === app)?.definition ?? null);
  const status = useStore(composeUpdates, (s) => s.byApp[app] ?? IDLE_UPDATE);
  const { stage, changes, error, outcome } = status;
  const [fields, setFields] = useState<ComposeSourceForm>(() =>
    stage === 'applying' && status.source ? fieldsOf(status.source) : definition ? sourceFormOf(definition) : { file: '', envFiles: '', profiles: '' },
  );

  useEffect(() => {
    // How an earlier, hidden update ended is not this one's outcome.
    if (composeUpdates.getState().byApp[app]?.stage === 'done') composeUpdates.getState().forget(app);
  }, [composeUpdates, app]);

  const working = stage === 'applying' || stage === 'done';
  const edit = (key: keyof ComposeSourceForm, value: string) => {
    setFields((f) => ({ ...f, [key]: value }));
    composeUpdates.getState().discard(app);
  };
  const close = () => {
    ui.getState().askComposeUpdate(null);
    composeUpdates.getState().forget(app);
  };
  const planReason = !fields.file.trim() ? "give the Compose file's path" : filePathProblem(fields.file) ? 'correct the path' : stage === 'planning' ? 'working out the plan' : null;
  const applyReason =
    stage === 'planning'
      ? 'working out the plan'
      : stage !== 'planned' || !changes
        ? 'show the plan first: nothing changes before you have seen it'
        : !hasChanges(changes)
          ? 'nothing to change'
          : null;

  return (
    <Dialog titleId="compose-update-title" testId="compose-update-dialog" wide stage={stage} onEscape={close}>
        <h2 id="compose-update-title">Update {app} from a Compose file</h2>
        {!working ? (
          <p className="muted">
            Nothing changes until you have seen the plan and pressed Apply. Only changed and added services get new containers, dropped ones are removed,
            volumes are kept. If a new container does not stay up, {app} goes back to what it runs now by itself.
          </p>
        ) : null}
        <ComposeSourceFields idPrefix="compose-update" value={fields} onChange={edit} disabled={working} />
        {stage === 'idle' && error ? <ComposeError error={error} lead="No plan:" testId="compose-plan-error" /> : null}
        {stage === 'planning' ? <p className="muted" data-testid="compose-planning" role="status">Working out the plan…</p> : null}
        {changes ? <ComposePlanView changes={changes} /> : null}
        {stage === 'applying' ? (
          <AppWorkProgress app={app} since={status.startedAt ?? Infinity} testId="compose-update-progress">
            Updating: pulling what is new, then replacing the changed services of {app}…
          </AppWorkProgress>
        ) : null}
        {stage === 'done' && outcome ? (
          <p className={`outcome ${outcome.tone === 'failed' || outcome.tone === 'rolled-back' ? 'failed' : ''}`} data-testid="compose-update-outcome" data-tone={outcome.tone} role="status">
            {outcome.text}
            {error?.hint ? <span className="hint"> — {error.hint}</span> : null}
          </p>
        ) : null}
        <div className="dialog-buttons">
          {!working ? (
            <>
              {applyReason && stage !== 'planning' ? <span className="muted dialog-reason" data-testid="compose-apply-reason">{applyReason}</span> : null}
              <button type="button" onClick={close} data-testid="compose-update-cancel">
                Cancel
              </button>
              <button type="button" data-testid="compose-plan-show" disabled={planReason !== null} title={planReason ?? 'work out what would change; nothing changes yet'}
                onClick={() => void composeUpdates.getState().plan(app, composeSource(fields))}>
                {changes ? 'Show the plan again' : 'Show plan'}
              </button>
              <button type="button" className="primary" data-testid="compose-apply" disabled={applyReason !== null} title={applyReason ?? 'carry out the plan shown'}
                onClick={() => void composeUpdates.getState().apply(app)}>
                Apply
              </button>
            </>
          ) : (
            <button type="button" onClick={close} data-testid="compose-update-close" autoFocus={stage === 'done'}>
              {stage === 'applying' ? 'Hide (it goes on)' : 'Close'}
            </button>
          )}
        </div>
    </Dialog>
  );
}
