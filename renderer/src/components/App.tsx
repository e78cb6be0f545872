/** @jsxRuntime automatic */
/**
 * The whole window: the engine screen while the engine is out of reach, else nav, the current
 * screen, the approve / reject dialog, the dialog updating a Compose app from a file, and the
 * dialogs asking before an action on an app (update to latest, purge, restart, roll back).
 * All but the Apps screen come in screens.js (later/), asked for once the first screen is
 * drawn, or at once when one of them is wanted first.
 */
import type { ComponentType, MouseEvent } from 'react';
import { useStore } from 'zustand';
import { useLaterScreens, type LaterScreens } from '../later/later-context';
import type { Screen } from '../stores/ui-store';
import { AppsScreen } from './apps/AppsScreen';
import { ConnectionScreen, EngineScreen } from './EngineScreen';
import { Nav } from './Nav';
import { useStores } from './StoresContext';

export function App() {
  const { engine, ui } = useStores();
  const status = useStore(engine, (s) => s.status);
  const screen = useStore(ui, (s) => s.screen);
  const decision = useStore(ui, (s) => s.decision);
  const composeUpdate = useStore(ui, (s) => s.composeUpdate);
  const appDialog = useStore(ui, (s) => s.appDialog);
  const dialogWanted = decision !== null || composeUpdate !== null || appDialog !== null;
  const later = useLaterScreens(screen !== 'apps' || dialogWanted);

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
        {screen === 'apps' ? <AppsScreen /> : later.screens ? <LaterScreen screen={screen} screens={later.screens} /> : <LaterMissing error={later.error} />}
      </main>
      {later.screens ? <LaterDialogs screens={later.screens} /> : screen === 'apps' && dialogWanted && later.error ? <LaterMissing error={later.error} /> : null}
    </div>
  );
}

/** Which of the later screens each route other than Apps shows. */
const LATER_SCREEN = {
  updates: 'UpdatesScreen',
  bundles: 'BundlesScreen',
  app: 'AppPage',
  create: 'CreateScreen',
  images: 'ImagesScreen',
  activity: 'ActivityScreen',
  settings: 'SettingsScreen',
} as const satisfies Record<Exclude<Screen, 'apps'>, keyof LaterScreens>;

/** The screen of the route, other than Apps. */
function LaterScreen({ screen, screens }: { screen: Exclude<Screen, 'apps'>; screens: LaterScreens }) {
  const Shown: ComponentType = screens[LATER_SCREEN[screen]];
  return <Shown />;
}

/** The dialogs any screen may open: approve or reject an update, update a Compose app from a file, ask before an action. */
function LaterDialogs({ screens }: { screens: LaterScreens }) {
  const { ui } = useStores();
  const decision = useStore(ui, (s) => s.decision);
  const composeUpdate = useStore(ui, (s) => s.composeUpdate);
  return (
    <>
      {decision?.kind === 'approve' ? <screens.ApproveDialog key={`${decision.app}/${decision.service}`} decision={decision} /> : null}
      {decision?.kind === 'reject' ? <screens.RejectDialog key={`${decision.app}/${decision.service}`} decision={decision} /> : null}
      {composeUpdate ? <screens.ComposeUpdateDialog key={composeUpdate} app={composeUpdate} /> : null}
      <screens.AppDialogs />
    </>
  );
}

/** While screens.js is on its way (a moment), or why it did not come (in place of the screen or dialog asked for). */
function LaterMissing({ error }: { error: string | null }) {
  if (error) return <p className="error" role="alert" data-testid="screen-error">This could not be shown: {error}. Reload the page to try again.</p>;
  return <p className="muted" data-testid="screen-loading">Loading…</p>;
}

/** The skip link moves the focus (the URL's hash is the route: it stays). */
function skipToContent(event: MouseEvent<HTMLAnchorElement>): void {
  event.preventDefault();
  document.getElementById('content')?.focus();
}
