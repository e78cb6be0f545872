/** @jsxRuntime automatic */
/**
 * The renderer's entry (app.js): pick the client (IPC or HTTP), build the stores, render; the
 * screens other than Apps come from screens.js once the apps are drawn (later/).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseClient } from './client/choose-client';
import { App } from './components/App';
import { NoTokenScreen } from './components/EngineScreen';
import { StoresProvider } from './components/StoresContext';
import { LaterScreensProvider } from './later/later-context';
import { scriptSource } from './later/script-source';
import { shareModules } from './later/shared-modules';
import { createStores } from './stores/create-stores';
import { startRouter } from './stores/router';
import './styles/app.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);
const choice = chooseClient(window);

if (choice.client === null) {
  root.render(<NoTokenScreen />);
} else {
  const stores = createStores(choice.client, { preferences: localPreferences(), drawn: nextFrame });
  shareModules(window);
  const later = scriptSource(window);
  startRouter(stores.ui, window);
  stores.start();
  // The other screens once the first one is drawn (whichever comes first: App asks at once for a screen it shows).
  const stopWaiting = stores.apps.subscribe((state) => {
    if (!state.loaded && !state.loadError) return;
    stopWaiting();
    void nextFrame().then(() => later.load());
  });
  root.render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <LaterScreensProvider source={later}>
          <App />
        </LaterScreensProvider>
      </StoresProvider>
    </StrictMode>,
  );
}

/**
 * After the next frame is drawn (a task queued from requestAnimationFrame runs after that
 * frame's paint). A page that is not shown draws no frames: then after 200 ms.
 */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 200);
    requestAnimationFrame(() => setTimeout(() => {
      clearTimeout(fallback);
      resolve();
    }, 0));
  });
}

/** localStorage, unless the browser refuses it (the Apps view is then remembered for the session only). */
function localPreferences(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
