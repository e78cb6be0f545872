/** @jsxRuntime automatic */
/** Asks before purging an app, naming the volumes whose data is lost. */
import { useStores } from '../StoresContext';
import { ConfirmDialog } from './ConfirmDialog';
import { PurgeVolumes, purgeBlocked } from './PurgeVolumes';
import { useAppVolumes } from './use-app-volumes';

export function PurgeDialog({ app, onClose }: { app: string; onClose: () => void }) {
  const { apps } = useStores();
  const volumes = useAppVolumes(app);
  const confirm = () => {
    onClose();
    void apps.getState().run(app, 'purge');
  };
  return (
    <ConfirmDialog name="purge" title={`Purge app ${app}?`} confirmLabel={`Purge ${app}`} cancelLabel="Keep its data" tone="danger"
      blocked={purgeBlocked(volumes)} onConfirm={confirm} onCancel={onClose}>
      <p>Its state is discarded and it starts afresh on the digests it runs now. This cannot be undone.</p>
      <PurgeVolumes volumes={volumes} testId="purge-volumes" />
    </ConfirmDialog>
  );
}
