/** @jsxRuntime automatic */
/** The dialog asking before an action on an app, whichever screen asked for it: update to latest, purge, restart, roll back. */
import { useStore } from 'zustand';
import { useStores } from '../StoresContext';
import { PurgeDialog } from './PurgeDialog';
import { RestartDialog } from './RestartDialog';
import { RollbackDialog } from './RollbackDialog';
import { UpdateToLatestDialog } from './UpdateToLatestDialog';

export function AppDialogs() {
  const { apps, ui } = useStores();
  const dialog = useStore(ui, (s) => s.appDialog);
  const app = useStore(apps, (s) => (dialog ? (s.apps.find((a) => a.name === dialog.app) ?? null) : null));
  if (!dialog || !app) return null;
  const close = () => ui.getState().askAppDialog(null);
  const key = `${dialog.kind}/${app.name}`;
  switch (dialog.kind) {
    case 'update':
      return <UpdateToLatestDialog key={key} app={app.name} onClose={close} />;
    case 'purge':
      return <PurgeDialog key={key} app={app.name} onClose={close} />;
    case 'restart':
      return <RestartDialog key={key} app={app} onClose={close} />;
    case 'rollback':
      return <RollbackDialog key={key} app={app} onClose={close} />;
  }
}
