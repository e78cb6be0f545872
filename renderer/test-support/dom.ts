/**
 * A browser-like global scope for component tests: a happy-dom window whose properties
 * are copied onto globalThis where Node has none of its own (Node keeps its fetch, URL,
 * timers, AbortController). Import this before React or Testing Library.
 */
import { Window } from 'happy-dom';

const window = new Window({ url: 'http://127.0.0.1:3000/', width: 1280, height: 800 });
const target = globalThis as unknown as Record<string, unknown>;

for (const key of Object.getOwnPropertyNames(window)) {
  if (key in target || key === 'constructor') continue;
  const descriptor = Object.getOwnPropertyDescriptor(window, key);
  if (!descriptor) continue;
  Object.defineProperty(globalThis, key, { ...descriptor, configurable: true });
}
for (const key of ['window', 'document', 'navigator', 'location', 'history', 'sessionStorage', 'localStorage', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame']) {
  const value = (window as unknown as Record<string, unknown>)[key];
  Object.defineProperty(globalThis, key, { value: typeof value === 'function' ? value.bind(window) : value, configurable: true, writable: true });
}
Object.defineProperty(globalThis, 'window', { value: window, configurable: true, writable: true });
// React's act() warns unless it knows it runs under a test.
target.IS_REACT_ACT_ENVIRONMENT = true;

/** Closes the window (its timers and observers) so the test process can end. */
export async function closeDom(): Promise<void> {
  await window.happyDOM.abort();
  await window.happyDOM.close();
}
