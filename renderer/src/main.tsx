/** @jsxRuntime automatic */
/** The renderer's entry: pick the client (IPC or HTTP), build the stores, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseClient } from './client/choose-client';
import { App } from './components/App';
import { NoTokenScreen } from './components/EngineScreen';
import { StoresProvider } from './components/StoresContext';
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
  startRouter(stores.ui, window);
  stores.start();
  root.render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <App />
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
