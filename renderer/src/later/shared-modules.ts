/**
 * What app.js lends screens.js: the modules both must hold one copy of. React and React DOM
 * (one renderer, one set of hooks) and the stores' context (a context is matched by identity).
 * scripts/build-renderer.js points screens.js's imports of these at `tagkeeperShared`, by
 * these names; every other module screens.js needs it carries itself.
 */
import * as react from 'react';
import * as reactDom from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as storesContext from '../components/StoresContext';

declare global {
  interface Window {
    tagkeeperShared?: Record<string, unknown>;
  }
}

export function shareModules(win: Window): void {
  win.tagkeeperShared = { react, 'react-dom': reactDom, 'react/jsx-runtime': jsxRuntime, 'stores-context': storesContext };
}
