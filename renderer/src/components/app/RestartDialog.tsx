/** @jsxRuntime automatic */
/** Asks before restarting a running app: its containers are made anew, its volumes kept. */
import type { AppView } from '../../../../main/api/types/app-view';
import { useStores } from '../StoresContext';
import { ConfirmDialog } from './ConfirmDialog';

export function RestartDialog({ app, onClose }: { app: AppView; onClose: () => void }) {
  const { apps } = useStores();
  const confirm = () => {
    onClose();
    void apps.getState().run(app.name, 'restart');
  };
  return (
    <ConfirmDialog name="restart" title={`Restart app ${app.name}?`} confirmLabel={`Restart ${app.name}`} onConfirm={confirm} onCancel={onClose}>
      <p>
        Its {app.services.length === 1 ? 'container is' : `${app.services.length} containers are`} stopped and made anew on the digests it runs now; its
        volumes are kept. Until {app.services.length === 1 ? 'it is' : 'they are'} up again, {app.name} does not answer.
      </p>
    </ConfirmDialog>
  );
}
