import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createPullTracker, formatProgress } from '../../main/core/content/pull-progress';
import { formatBytes } from '../../main/api/format';
import type { PullMessage } from '../../main/core/ports/engine-port';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

const REF = 'docker.io/library/redis@sha256:' + 'a'.repeat(64);

describe('createPullTracker', () => {
  test('follows a realistic pull with one layer already on disk', () => {
    const clock = manualClock();
    const tracker = createPullTracker(REF, clock.now);
    const messages: PullMessage[] = [
      { status: 'Pulling from library/redis', id: '7' },
      { status: 'Already exists', id: 'a2abf6c4d29d' },
      { status: 'Pulling fs layer', id: 'c7a4e4382001' },
      { status: 'Pulling fs layer', id: '4044b9ba67c9' },
      { status: 'Waiting', id: '4044b9ba67c9' },
      { status: 'Downloading', id: 'c7a4e4382001', current: 1_000_000, total: 4_000_000 },
    ];
    for (const m of messages) tracker.update(m);

    let p = tracker.snapshot();
    assert.equal(p.reference, REF);
    assert.deepEqual(
      p.layers.map((l) => [l.id, l.status]),
      [
        ['a2abf6c4d29d', 'exists'],
        ['c7a4e4382001', 'downloading'],
        ['4044b9ba67c9', 'waiting'],
      ],
      'the "Pulling from" line (id = tag) is not a layer',
    );
    assert.equal(p.layersTotal, 3);
    assert.equal(p.layersDone, 1);
    assert.equal(p.bytesDone, 1_000_000);
    assert.equal(p.bytesTotal, 4_000_000);
    assert.equal(p.startedAt, 1_000_000);

    clock.advance(1000);
    tracker.update({ status: 'Downloading', id: 'c7a4e4382001', current: 3_000_000, total: 4_000_000 });
    tracker.update({ status: 'Downloading', id: '4044b9ba67c9', current: 500_000, total: 2_000_000 });
    tracker.update({ status: 'Verifying Checksum', id: 'c7a4e4382001' });
    tracker.update({ status: 'Download complete', id: 'c7a4e4382001' });
    p = tracker.snapshot();
    const first = p.layers.find((l) => l.id === 'c7a4e4382001');
    assert.deepEqual(first, { id: 'c7a4e4382001', status: 'downloaded', current: 4_000_000, total: 4_000_000 });
    assert.equal(p.bytesDone, 4_500_000);
    assert.equal(p.bytesTotal, 6_000_000);
    assert.equal(p.bytesPerSecond, 4_500_000, '4.5 MB in the first second');

    // Extraction progress counts uncompressed bytes: it must not move the download bytes.
    tracker.update({ status: 'Extracting', id: 'c7a4e4382001', current: 9_000_000, total: 9_000_000 });
    p = tracker.snapshot();
    assert.equal(p.layers[1].status, 'extracting');
    assert.equal(p.layers[1].current, 4_000_000);

    tracker.update({ status: 'Pull complete', id: 'c7a4e4382001' });
    tracker.update({ status: 'Downloading', id: '4044b9ba67c9', current: 2_000_000, total: 2_000_000 });
    tracker.update({ status: 'Download complete', id: '4044b9ba67c9' });
    tracker.update({ status: 'Extracting', id: '4044b9ba67c9', current: 100, total: 5_000_000 });
    tracker.update({ status: 'Pull complete', id: '4044b9ba67c9' });
    tracker.update({ status: 'Digest: sha256:' + 'a'.repeat(64) });
    tracker.update({ status: 'Status: Downloaded newer image for redis@sha256:' + 'a'.repeat(64) });
    p = tracker.snapshot();
    assert.equal(p.layersDone, 3);
    assert.equal(p.layersTotal, 3);
    assert.equal(p.bytesDone, 6_000_000);
    assert.equal(p.bytesTotal, 6_000_000);
    assert.ok(p.layers.every((l) => l.status === 'complete' || l.status === 'exists'));
  });

  test('a pull where every layer already exists downloads nothing', () => {
    const tracker = createPullTracker(REF, manualClock().now);
    tracker.update({ status: 'Pulling from library/busybox', id: 'sha256:' + 'b'.repeat(64) });
    tracker.update({ status: 'Already exists', id: '1111' });
    tracker.update({ status: 'Already exists', id: '2222' });
    const p = tracker.snapshot();
    assert.equal(p.layersTotal, 2);
    assert.equal(p.layersDone, 2);
    assert.equal(p.bytesDone, 0);
    assert.equal(p.bytesTotal, 0);
    assert.equal(p.bytesPerSecond, 0);
    assert.equal(formatProgress(p), '2/2 layers, 0 B / 0 B, 0 B/s');
  });

  test('unknown totals: the size becomes known when the download completes', () => {
    const clock = manualClock();
    const tracker = createPullTracker(REF, clock.now);
    tracker.update({ status: 'Pulling fs layer', id: 'aaaa' });
    tracker.update({ status: 'Downloading', id: 'aaaa', current: 300_000 });
    tracker.update({ status: 'Downloading', id: 'aaaa', current: 700_000, total: 0 });
    let p = tracker.snapshot();
    assert.equal(p.layers[0].total, null, 'a total of 0 means the engine does not know it');
    assert.equal(p.layers[0].current, 700_000);
    assert.equal(p.bytesTotal, 0);
    assert.match(formatProgress(p), /^0\/1 layers, 700\.0 kB \/ \?, /);

    clock.advance(2000);
    tracker.update({ status: 'Download complete', id: 'aaaa' });
    tracker.update({ status: 'Pull complete', id: 'aaaa' });
    p = tracker.snapshot();
    assert.deepEqual(p.layers[0], { id: 'aaaa', status: 'complete', current: 700_000, total: 700_000 });
    assert.equal(formatProgress(p), '1/1 layers, 700.0 kB / 700.0 kB, 350.0 kB/s');
  });

  test('a late status never moves a layer backwards; unknown statuses are ignored', () => {
    const tracker = createPullTracker(REF, manualClock().now);
    tracker.update({ status: 'Downloading', id: 'cccc', current: 10, total: 100 });
    tracker.update({ status: 'Waiting', id: 'cccc' });
    tracker.update({ status: 'Retrying in 5 seconds', id: 'cccc' });
    tracker.update({ status: 'Retrying in 5 seconds', id: 'dddd' });
    const p = tracker.snapshot();
    assert.deepEqual(p.layers, [{ id: 'cccc', status: 'downloading', current: 10, total: 100 }]);
  });

  test('speed looks at the last few seconds and falls to zero when the download stalls', () => {
    const clock = manualClock();
    const tracker = createPullTracker(REF, clock.now);
    tracker.update({ status: 'Downloading', id: 'eeee', current: 0, total: 100_000_000 });
    for (let second = 1; second <= 10; second++) {
      clock.advance(1000);
      tracker.update({ status: 'Downloading', id: 'eeee', current: second * 2_000_000, total: 100_000_000 });
    }
    assert.equal(tracker.snapshot().bytesPerSecond, 2_000_000);
    clock.advance(10_000);
    assert.equal(tracker.snapshot().bytesPerSecond, 0);
    assert.equal(tracker.snapshot().bytesDone, 20_000_000);
  });
});

describe('formatProgress', () => {
  test('prints layers, bytes and speed in decimal units', () => {
    const line = formatProgress({
      reference: REF,
      layers: [],
      layersTotal: 5,
      layersDone: 3,
      bytesDone: 12_300_000,
      bytesTotal: 40_100_000,
      startedAt: 0,
      bytesPerSecond: 4_200_000,
    });
    assert.equal(line, '3/5 layers, 12.3 MB / 40.1 MB, 4.2 MB/s');
  });

  test('formatBytes picks the unit', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1500), '1.5 kB');
    assert.equal(formatBytes(1_234_567_890), '1.2 GB');
  });
});
