/** @jsxRuntime automatic */
/** On the app page while its update dialog is hidden: the update still running, or how it ended. */
import { useStore } from 'zustand';
import { useStores } from '../StoresContext';

export function ComposeUpdateNote({ app }: { app: string }) {
  const { composeUpdates, ui } = useStores();
  const status = useStore(composeUpdates, (s) => s.byApp[app]);
  const dialogOpen = useStore(ui, (s) => s.composeUpdate === app);
  if (dialogOpen || !status || (status.stage !== 'applying' && status.stage !== 'done')) return null;
  const failed = status.outcome?.tone === 'failed' || status.outcome?.tone === 'rolled-back';
  return (
    <p className={`outcome ${status.stage === 'applying' ? 'working' : failed ? 'failed' : ''}`} data-testid={`compose-update-note-${app}`} role="status">
      {status.stage === 'applying' ? `update from ${status.source?.file ?? 'a Compose file'}: working…` : `update from a Compose file: ${status.outcome?.text ?? ''}`}
      {status.error?.hint && status.stage === 'done' ? <span className="hint"> — {status.error.hint}</span> : null}
    </p>
  );
}
