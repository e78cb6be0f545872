/** @jsxRuntime automatic */
/**
 * The whole renderer (App) mounted in happy-dom over a fake client that answers what a
 * fresh device answers, with per-test overrides; plus short queries by data-testid, opening
 * an app's Actions menu, and two services of app web waiting for a decision.
 */
import './dom';
import assert from 'node:assert/strict';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { PendingUpdateView } from '../../main/api/types/updates';
import { App } from '../src/components/App';
import { StoresProvider } from '../src/components/StoresContext';
import { LaterScreensProvider, type LaterScreensSource } from '../src/later/later-context';
import { laterScreensAtOnce } from '../src/later/later-screens';
import { createStores, type Stores } from '../src/stores/create-stores';
import { fakeClient, type FakeClient, type Handlers } from './fake-client';
import { app, DIGEST_C, pendingUpdate, pendingView, settings } from './fixtures';

export function baseHandlers(overrides: Handlers = {}): Handlers {
  return {
    'engine:status': () => ({
      reachable: true, endpoint: 'unix:///var/run/docker.sock', source: 'default socket', platform: { os: 'linux', architecture: 'amd64' }, identity: { id: 'ENGINE-1', root: '/var/lib/docker', name: 'box' }, error: null,
    }),
    'apps:list': () => [],
    'apps:show': ({ name }) => app(name),
    'operations:list': () => [],
    'settings:get': () => settings(),
    'registries:list': () => [],
    'registries:status': () => ({ dockerConfig: '/root/.docker/config.json', mirrors: [], engineInsecureRegistries: ['127.0.0.0/8'], engineError: null, rateLimits: [] }),
    'updates:list': () => [],
    'ledger:list': () => [],
    ...overrides,
  };
}

/**
 * Stores started over the fake client and App rendered; with `ready` (the default) it waits
 * for the navigation, i.e. for the engine to be found reachable. The later screens are there at
 * once unless `later` gives them.
 */
export async function mountApp(overrides: Handlers = {}, options: { ready?: boolean; later?: LaterScreensSource } = {}): Promise<{ client: FakeClient; stores: Stores; stop: () => void }> {
  const client = fakeClient(baseHandlers(overrides));
  const stores = createStores(client, { debounceMs: 1, retryMs: 0 });
  let stop: () => void = () => undefined;
  await act(async () => {
    stop = stores.start();
    render(
      <StoresProvider stores={stores}>
        <LaterScreensProvider source={options.later ?? laterScreensAtOnce}>
          <App />
        </LaterScreensProvider>
      </StoresProvider>,
    );
  });
  if (options.ready ?? true) await waitFor(() => byTestId('nav-apps'));
  return { client, stores, stop };
}

export const byTestId = (id: string) => screen.getByTestId(id);
export const text = (id: string) => byTestId(id).textContent ?? '';
export const gone = (id: string) => assert.equal(screen.queryByTestId(id), null, `${id} is gone`);
export const button = (id: string) => byTestId(id) as HTMLButtonElement;

/** Opens the Actions menu of `app` (a click on its button, as a person does) unless it is open: its items are in the DOM only while it is. */
export async function openActions(app: string): Promise<void> {
  const menu = await waitFor(() => byTestId(`actions-menu-${app}`));
  if (menu.getAttribute('aria-expanded') !== 'true') fireEvent.click(menu);
  await waitFor(() => assert.equal(menu.getAttribute('aria-expanded'), 'true'));
}

/** web/main (23.4 MB in 2 of 5 layers) and web/side (from a bundle; size unknown) waiting, as `updates:list` answers. */
export const WAITING: PendingUpdateView[] = [
  pendingView(),
  pendingView({
    id: 2, service: 'side', reference: 'nginx:dev', source: 'bundle', to: { indexDigest: null, manifestDigest: DIGEST_C },
    downloadSize: null, newLayers: null, totalLayers: null, newBytes: null, totalBytes: null,
    sizeError: { code: 'registry-unreachable', message: 'registry 127.0.0.1:5000 did not answer', hint: 'is it running?' },
  }),
];

/** App web with those two updates open, as `apps:list` answers. */
export const webWaiting = () => app('web', { pendingUpdates: WAITING.map(({ id, service: s, to }) => pendingUpdate({ id, service: s, to })) });
