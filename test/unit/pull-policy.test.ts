import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideAcquire, effectivePolicy } from '../../main/core/content/pull-policy';
import { PULL_POLICIES } from '../../main/api/types/apps';

// Every combination of policy × pinned × present, against the seed's table.
const expected = {
  'always/unpinned/absent': 'resolve',
  'always/unpinned/present': 'resolve',
  'always/pinned/absent': 'resolve',
  'always/pinned/present': 'use-local',
  'if-not-present/unpinned/absent': 'resolve',
  'if-not-present/unpinned/present': 'use-local',
  'if-not-present/pinned/absent': 'resolve',
  'if-not-present/pinned/present': 'use-local',
  'never/unpinned/absent': 'refuse',
  'never/unpinned/present': 'use-local',
  'never/pinned/absent': 'refuse',
  'never/pinned/present': 'use-local',
} as const;

for (const policy of PULL_POLICIES) {
  for (const pinned of [false, true]) {
    for (const localPresent of [false, true]) {
      const key = `${policy}/${pinned ? 'pinned' : 'unpinned'}/${localPresent ? 'present' : 'absent'}` as keyof typeof expected;
      test(`pull policy ${key} → ${expected[key]}`, () => {
        assert.equal(decideAcquire({ policy, pinned, localPresent }).action, expected[key]);
      });
    }
  }
}

test('always with the image on disk still asks the registry (it never falls back silently)', () => {
  assert.deepEqual(decideAcquire({ policy: 'always', pinned: false, localPresent: true }), { action: 'resolve' });
});

test('use-local says why', () => {
  assert.deepEqual(decideAcquire({ policy: 'always', pinned: true, localPresent: true }), { action: 'use-local', reason: 'pinned-content-present' });
  assert.deepEqual(decideAcquire({ policy: 'if-not-present', pinned: false, localPresent: true }), { action: 'use-local', reason: 'policy-uses-existing' });
});

test('an app without a policy uses the device default', () => {
  assert.equal(effectivePolicy(null, 'always'), 'always');
  assert.equal(effectivePolicy(null, 'never'), 'never');
  assert.equal(effectivePolicy('if-not-present', 'always'), 'if-not-present');
});
