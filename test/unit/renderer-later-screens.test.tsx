// screens.js: every screen but Apps comes in a script of its own, asked for once; the page
// shows a screen as soon as the script hands the screens over, and says so when it did not load.
import '../../renderer/test-support/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, waitFor } from '@testing-library/react';
import type { LaterScreens, LaterScreensSource, LaterState } from '../../renderer/src/later/later-context';
import { LATER_SCREENS } from '../../renderer/src/later/later-screens';
import { scriptSource } from '../../renderer/src/later/script-source';
import { closeDom } from '../../renderer/test-support/dom';
import { byTestId, gone, mountApp } from '../../renderer/test-support/mount-app';

afterEach(() => cleanup());
after(() => closeDom());

/** Just enough of a page: a head that records the scripts added to it. */
function fakePage() {
  const added: { src: string; onerror: (() => void) | null }[] = [];
  const page: { tagkeeperScreens?: (screens: LaterScreens) => void; document: Pick<Document, 'createElement' | 'head'> } = {
    document: {
      createElement: (() => ({ src: '', onerror: null })) as unknown as Document['createElement'],
      head: { appendChild: (node: { src: string; onerror: (() => void) | null }) => added.push(node) } as unknown as HTMLHeadElement,
    },
  };
  return { page, added };
}

describe('later screens from screens.js', () => {
  test('one script element however often they are asked for; the screens handed over are the state, and listeners hear of it', () => {
    const { page, added } = fakePage();
    const source = scriptSource(page);
    assert.deepEqual(source.state(), { screens: null, error: null });
    let heard = 0;
    source.subscribe(() => heard++);
    source.load();
    source.load();
    assert.equal(added.length, 1);
    assert.equal(added[0].src, 'screens.js');
    page.tagkeeperScreens!(LATER_SCREENS);
    assert.equal(heard, 1);
    assert.equal(source.state().screens, LATER_SCREENS);
    source.load();
    assert.equal(added.length, 1, 'nothing more is loaded once they are there');
  });

  test('a script that did not load is said, and the next load tries again', () => {
    const { page, added } = fakePage();
    const source = scriptSource(page);
    source.load();
    added[0].onerror!();
    assert.deepEqual(source.state(), { screens: null, error: "the interface's screens.js did not load" });
    source.load();
    assert.equal(added.length, 2);
  });

  test('they are every screen and dialog App shows besides the Apps screen', () => {
    assert.deepEqual(Object.keys(LATER_SCREENS).sort(), [
      'ActivityScreen', 'AppDialogs', 'AppPage', 'ApproveDialog', 'BundlesScreen', 'ComposeUpdateDialog', 'CreateScreen', 'ImagesScreen', 'RejectDialog', 'SettingsScreen', 'UpdatesScreen',
    ]);
    for (const [name, component] of Object.entries(LATER_SCREENS)) assert.equal(typeof component, 'function', name);
  });
});

describe('App and the later screens', () => {
  /** A source handed over by hand: how often they were asked for, and what it holds. */
  function handSource() {
    let state: LaterState = { screens: null, error: null };
    const listeners = new Set<() => void>();
    const source: LaterScreensSource & { loads: number; settle(next: LaterState): void } = {
      loads: 0,
      state: () => state,
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      load: () => void source.loads++,
      settle(next) {
        state = next;
        for (const listener of listeners) listener();
      },
    };
    return source;
  }

  test('the Apps screen asks for nothing; another screen asks at once, says it is loading, and shows once they came', async () => {
    const source = handSource();
    const { stores, stop } = await mountApp({}, { later: source });
    await waitFor(() => byTestId('apps-count'));
    assert.equal(source.loads, 0, 'the Apps screen needs none of them');
    act(() => stores.ui.getState().show('updates'));
    await waitFor(() => byTestId('screen-loading'));
    assert.equal(source.loads, 1);
    act(() => source.settle({ screens: LATER_SCREENS, error: null }));
    await waitFor(() => byTestId('updates-reload'));
    gone('screen-loading');
    stop();
  });

  test('a dialog asked for from the Apps screen asks for them too; a script that did not load is said in place of the screen', async () => {
    const source = handSource();
    const { stores, stop } = await mountApp({}, { later: source });
    act(() => stores.ui.getState().askAppDialog({ kind: 'restart', app: 'web' }));
    await waitFor(() => assert.equal(source.loads, 1));
    act(() => source.settle({ screens: null, error: "the interface's screens.js did not load" }));
    await waitFor(() => assert.match(byTestId('screen-error').textContent ?? '', /screens\.js did not load\. Reload the page/));
    act(() => stores.ui.getState().askAppDialog(null));
    gone('screen-error');
    act(() => stores.ui.getState().show('settings'));
    await waitFor(() => assert.match(byTestId('screen-error').textContent ?? '', /^This could not be shown: the interface's screens\.js did not load/));
    stop();
  });
});
