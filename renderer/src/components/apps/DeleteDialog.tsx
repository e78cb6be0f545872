/** @jsxRuntime automatic */
/** Asks before deleting an app; its volumes are kept unless the box is ticked. */
import { useState } from 'react';
import { useStore } from 'zustand';
import { Dialog } from '../Dialog';
import { useStores } from '../StoresContext';

export function DeleteDialog() {
  const { apps, ui } = useStores();
  const app = useStore(ui, (s) => s.deleting);
  const [volumes, setVolumes] = useState(false);
  if (!app) return null;

  const close = () => {
    setVolumes(false);
    ui.getState().askDelete(null);
  };
  const confirm = () => {
    close();
    void apps.getState().run(app, 'delete', { volumes });
  };

  return (
    <Dialog titleId="delete-title" testId="delete-dialog" onEscape={close}>
        <h2 id="delete-title">Delete app {app}?</h2>
        <p>Its containers are removed. Images stay on the box until clean-up.</p>
        <label>
          <input type="checkbox" checked={volumes} data-testid="delete-volumes" onChange={(e) => setVolumes(e.target.checked)} />
          also remove its volumes (its state is lost)
        </label>
        <div className="dialog-buttons">
          <button type="button" onClick={close} data-testid="cancel-delete" autoFocus>
            Keep it
          </button>
          <button type="button" className="danger" onClick={confirm} data-testid="confirm-delete">
            Delete {app}
          </button>
        </div>
    </Dialog>
  );
}
