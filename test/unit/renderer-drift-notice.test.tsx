/** @jsxRuntime automatic */
// The drift notice in happy-dom: nothing for an app that runs its latched content; for a
// drifted one what runs, what is latched and what to do; for work a dead process left, the
// operation and its step. On the apps list beside the state badge.
import '../../renderer/test-support/dom';
import { describe, test, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { DriftNotice } from '../../renderer/src/components/app/DriftNotice';
import { closeDom } from '../../renderer/test-support/dom';
import { app, IMAGE_A, service } from '../../renderer/test-support/fixtures';
import { mountApp, text } from '../../renderer/test-support/mount-app';

afterEach(() => cleanup());
after(() => closeDom());

const OTHER = `sha256:${'d'.repeat(64)}`;
const drifted = () => app('web', { state: 'drifted', services: [service({ drift: { runningImageId: OTHER, latchedImageId: IMAGE_A } })] });

describe('drift notice', () => {
  test('says nothing for an app that runs its latched content', () => {
    render(<DriftNotice app={app('web')} />);
    assert.equal(screen.queryByTestId('drift-notice-web'), null);
  });

  test('a drifted service: what runs, what is latched (full ids kept), and what to do', () => {
    render(<DriftNotice app={drifted()} />);
    assert.equal(
      text('drift-notice-web'),
      'Drifted: main runs image dddddddddddd, not its latched cccccccccccc (changed outside Tagkeeper). Restart returns it to the latched content; to keep new content, approve or refresh an update.',
    );
    const line = screen.getByTestId('drift-web-main');
    assert.deepEqual([line.getAttribute('data-running'), line.getAttribute('data-latched')], [OTHER, IMAGE_A]);
  });

  test('work a process that died left: the operation and the step it stopped in', () => {
    const view = app('web', { state: 'interrupted', openOperations: [{ id: 7, kind: 'refresh', state: 'running', phase: 'switching', interrupted: true }] });
    render(<DriftNotice app={view} />);
    assert.match(text('drift-notice-web'), /^Interrupted: operation 7 \(refresh\) stopped in its switching step when its process died/);
  });

  test('an operation under way is not called interrupted', () => {
    const view = app('web', { state: 'switching', openOperations: [{ id: 7, kind: 'refresh', state: 'running', phase: 'switching', interrupted: false }] });
    render(<DriftNotice app={view} />);
    assert.equal(screen.queryByTestId('drift-notice-web'), null);
  });

  test('on the apps list: the state badge says drifted and the notice sits on the card', async () => {
    const { stop } = await mountApp({ 'apps:list': () => [drifted(), app('db')] });
    await waitFor(() => screen.getByTestId('app-row-web'));
    assert.equal(text('app-state-web'), 'drifted');
    assert.match(text('drift-notice-web'), /main runs image dddddddddddd, not its latched cccccccccccc/);
    assert.equal(screen.queryByTestId('drift-notice-db'), null);
    stop();
  });
});
