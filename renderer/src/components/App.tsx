/** @jsxRuntime automatic */
/**
 * The whole window: the engine screen while the engine is out of reach, else nav, the current
 * screen, the approve / reject dialog, the dialog updating a Compose app from a file, and the
 * dialogs asking before an action on an app (update to latest, purge, restart, roll back).
 */
import type { MouseEvent } from 'react';
import { useStore } from 'zustand';
import { ActivityScreen } from './activity/ActivityScreen';
import { AppDialogs } from './app/AppDialogs';
import { AppPage } from './app/AppPage';
import { AppsScreen } from './apps/AppsScreen';
import { BundlesScreen } from './bundles/BundlesScreen';
import { CreateScreen } from './create/CreateScreen';
import { ComposeUpdateDialog } from './compose/ComposeUpdateDialog';
import { ConnectionScreen, EngineScreen } from './EngineScreen';
import { ImagesScreen } from './images/ImagesScreen';
import { Nav } from './Nav';
import { SettingsScreen } from './settings/SettingsScreen';
import { useStores } from './StoresContext';
import { ApproveDialog } from './updates/ApproveDialog';
import { RejectDialog } from './updates/RejectDialog';
import { UpdatesScreen } from './updates/UpdatesScreen';

export function App() {
  const { engine, ui } = useStores();
  const status = useStore(engine, (s) => s.status);
  const screen = useStore(ui, (s) => s.screen);
  const decision = useStore(ui, (s) => s.decision);
  const composeUpdate = useStore(ui, (s) => s.composeUpdate);

  if (status.kind === 'checking') return <main className="problem" data-testid="connecting"><p className="muted">Connecting to Tagkeeper…</p></main>;
  if (status.kind === 'unreachable') return <EngineScreen status={status} />;
  if (status.kind === 'disconnected') return <ConnectionScreen status={status} />;

  return (
    <div className="layout">
      <a href="#content" className="skip-link" data-testid="skip-link" onClick={skipToContent}>
        Skip to content
      </a>
      <Nav />
      <main className="content" id="content" tabIndex={-1}>
        {screen === 'apps' ? <AppsScreen /> : null}
        {screen === 'updates' ? <UpdatesScreen /> : null}
        {screen === 'bundles' ? <BundlesScreen /> : null}
        {screen === 'app' ? <AppPage /> : null}
        {screen === 'create' ? <CreateScreen /> : null}
        {screen === 'images' ? <ImagesScreen /> : null}
        {screen === 'activity' ? <ActivityScreen /> : null}
        {screen === 'settings' ? <SettingsScreen /> : null}
      </main>
      {decision?.kind === 'approve' ? <ApproveDialog key={`${decision.app}/${decision.service}`} decision={decision} /> : null}
      {decision?.kind === 'reject' ? <RejectDialog key={`${decision.app}/${decision.service}`} decision={decision} /> : null}
      {composeUpdate ? <ComposeUpdateDialog key={composeUpdate} app={composeUpdate} /> : null}
      <AppDialogs />
    </div>
  );
}

/** The skip link moves the focus (the URL's hash is the route: it stays). */
function skipToContent(event: MouseEvent<HTMLAnchorElement>): void {
  event.preventDefault();
  document.getElementById('content')?.focus();
}
