/** External changes reach Tagkeeper through the engine's event stream and show in the app's state. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreEvent } from '../../main/api/types/events';
import type { Instance } from '../../main/shells/open-instance';
import { before, stopBefore } from '../helpers/hooks';
import { publish } from '../helpers/lifecycle';
import { useSite } from '../helpers/site';

const site = useSite();
let instance: Instance;

before(async () => {
  await publish(site, 'busy', '1', 'watch');
  instance = site.open();
});
stopBefore(site, () => instance?.close());

test('a container removed behind Tagkeeper\'s back is announced and shown as missing', async () => {
  const view = await instance.client.call('apps:create', { name: 'watched', services: [{ name: 'main', image: `${site.registry.host}/busy:1`, network: 'none' }] });
  const events: CoreEvent[] = [];
  const seen = new Promise<void>((resolve) => {
    instance.events.on('event', (e) => {
      events.push(e);
      if (e.type === 'app-changed' && e.app === 'watched') resolve();
    });
  });
  // The long-lived instance's background work follows the engine's events.
  const stop = instance.startBackgroundWork(() => undefined);
  try {
    await new Promise((resolve) => setTimeout(resolve, 300)); // the subscription is open
    await site.docker.getContainer(view.services[0].containerId!).remove({ force: true });
    await seen;
    const after = await instance.client.call('apps:show', { name: 'watched' });
    assert.equal(after.state, 'degraded');
    assert.equal(after.services[0].containerStatus, 'missing');
    assert.ok(events.some((e) => e.type === 'app-changed' && e.app === 'watched'));
  } finally {
    stop();
  }
});
