/** @jsxRuntime automatic */
/** Asks before a rollback: per service, what it runs → the previous digest it goes back to. */
import type { AppView } from '../../../../main/api/types/app-view';
import { rollbackLabel, rollbackMoves } from '../../lib/rollback-text';
import { DigestChange } from '../DigestChange';
import { useStores } from '../StoresContext';
import { ConfirmDialog } from './ConfirmDialog';

export function RollbackDialog({ app, onClose }: { app: AppView; onClose: () => void }) {
  const { apps } = useStores();
  const moves = rollbackMoves(app);
  const confirm = () => {
    onClose();
    void apps.getState().run(app.name, 'rollback');
  };
  return (
    <ConfirmDialog name="rollback" title={`Roll back app ${app.name}?`} confirmLabel={rollbackLabel(app)} wide
      blocked={moves.length === 0 ? 'no service has a previous digest to go back to' : null} onConfirm={confirm} onCancel={onClose}>
      <ul className="rollback-services">
        {moves.map((s) => (
          <li key={s.name} data-testid={`rollback-dialog-row-${s.name}`}>
            <strong>{s.name}</strong>{' '}
            <DigestChange from={s.latched} to={s.previous} fromTestId={`rollback-dialog-from-${s.name}`} toTestId={`rollback-dialog-to-${s.name}`} />
          </li>
        ))}
      </ul>
      <p className="muted">
        Nothing is downloaded: the previous content is still on this box. {app.name} restarts on it and the history records the rollback; afterwards it
        offers to re-apply what it came back from.
      </p>
    </ConfirmDialog>
  );
}
