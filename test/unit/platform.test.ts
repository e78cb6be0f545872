import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Platform } from '../../main/api/types/engine';
import { TagkeeperError } from '../../main/api/errors';
import { OCI_INDEX, OCI_MANIFEST, type IndexEntry, type ParsedIndex } from '../../main/core/model/manifest';
import { compatibleVariants, formatPlatform, isAttestationEntry, normalizePlatform, selectPlatform } from '../../main/core/model/platform';

/** `linux/arm/v7` → Platform. */
function p(spec: string): Platform {
  const [os, architecture, variant] = spec.split('/');
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

let counter = 0;
/** An index entry for `linux/arm/v7`-style specs; `@attest` marks an attestation. */
function entry(spec: string, extra: Partial<IndexEntry> = {}): IndexEntry {
  counter++;
  return { digest: `sha256:${counter.toString(16).padStart(64, '0')}`, mediaType: OCI_MANIFEST, size: 500, platform: p(spec), ...extra };
}

function index(...manifests: IndexEntry[]): ParsedIndex {
  return { kind: 'index', mediaType: OCI_INDEX, manifests };
}

/** Which spec selectPlatform picks from `specs` for `want` (the chosen entry's position). */
function pick(specs: string[], want: string): string {
  const entries = specs.map((s) => entry(s));
  const chosen = selectPlatform(index(...entries), p(want));
  return specs[entries.indexOf(chosen)];
}

describe('normalizePlatform', () => {
  const cases: [string, Platform, Platform][] = [
    ['amd64 stays', p('linux/amd64'), p('linux/amd64')],
    ['x86_64 → amd64', p('linux/x86_64'), p('linux/amd64')],
    ['x86-64 → amd64', p('linux/x86-64'), p('linux/amd64')],
    ['amd64/v1 → amd64', p('linux/amd64/v1'), p('linux/amd64')],
    ['amd64/v3 kept', p('linux/amd64/v3'), p('linux/amd64/v3')],
    ['amd64/2 → v2', p('linux/amd64/2'), p('linux/amd64/v2')],
    ['aarch64 → arm64/v8', p('linux/aarch64'), p('linux/arm64/v8')],
    ['arm64 → arm64/v8', p('linux/arm64'), p('linux/arm64/v8')],
    ['arm64/8 → v8', p('linux/arm64/8'), p('linux/arm64/v8')],
    ['arm64/v8.0 → v8', p('linux/arm64/v8.0'), p('linux/arm64/v8')],
    ['arm64/9 → v9', p('linux/arm64/9'), p('linux/arm64/v9')],
    ['arm → arm/v7', p('linux/arm'), p('linux/arm/v7')],
    ['arm/7 → v7', p('linux/arm/7'), p('linux/arm/v7')],
    ['arm/6 → v6', p('linux/arm/6'), p('linux/arm/v6')],
    ['arm/v5 kept', p('linux/arm/v5'), p('linux/arm/v5')],
    ['armhf → arm/v7', p('linux/armhf'), p('linux/arm/v7')],
    ['armel → arm/v6', p('linux/armel'), p('linux/arm/v6')],
    ['i386 → 386', p('linux/i386'), p('linux/386')],
    ['i686 → 386', p('linux/i686'), p('linux/386')],
    ['case folded', p('Linux/AMD64'), p('linux/amd64')],
    ['macos → darwin', p('macOS/arm64'), p('darwin/arm64/v8')],
    ['s390x untouched', p('linux/s390x'), p('linux/s390x')],
    ['riscv64 untouched', p('linux/riscv64'), p('linux/riscv64')],
    ['empty variant dropped', { os: 'linux', architecture: 'ppc64le', variant: '' }, p('linux/ppc64le')],
  ];
  for (const [name, input, expected] of cases) test(name, () => assert.deepEqual(normalizePlatform(input), expected));
});

describe('formatPlatform', () => {
  test('with and without variant', () => {
    assert.equal(formatPlatform(p('linux/arm/v7')), 'linux/arm/v7');
    assert.equal(formatPlatform(p('linux/amd64')), 'linux/amd64');
    assert.equal(formatPlatform({ os: 'linux', architecture: 'arm64', variant: '' }), 'linux/arm64');
  });
});

describe('compatibleVariants', () => {
  const cases: [string, string[]][] = [
    ['linux/arm/v7', ['v7', 'v6', 'v5']],
    ['linux/arm', ['v7', 'v6', 'v5']],
    ['linux/arm/v6', ['v6', 'v5']],
    ['linux/arm/v5', ['v5']],
    ['linux/arm/v8', ['v8', 'v7', 'v6', 'v5']],
    ['linux/arm64', ['v8']],
    ['linux/arm64/v9', ['v9', 'v8']],
    ['linux/amd64', ['']],
    ['linux/amd64/v2', ['v2', '']],
    ['linux/amd64/v3', ['v3', 'v2', '']],
    ['linux/s390x', ['']],
  ];
  for (const [want, expected] of cases) test(want, () => assert.deepEqual(compatibleVariants(p(want)), expected));
});

describe('selectPlatform', () => {
  const cases: [string, string[], string, string][] = [
    ['exact amd64', ['linux/amd64', 'linux/arm64'], 'linux/amd64', 'linux/amd64'],
    ['exact arm64 from a long list', ['linux/amd64', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm64/v8', 'linux/s390x'], 'linux/arm64', 'linux/arm64/v8'],
    ['arm64 host takes an entry without variant', ['linux/amd64', 'linux/arm64'], 'linux/arm64', 'linux/arm64'],
    ['arm64/v8 host takes an entry without variant', ['linux/arm64'], 'linux/arm64/v8', 'linux/arm64'],
    ['aarch64 host spelled the kernel way', ['linux/arm64'], 'linux/aarch64', 'linux/arm64'],
    ['arm64 entry spelled aarch64', ['linux/aarch64'], 'linux/arm64', 'linux/aarch64'],
    ['arm64/v9 host falls back to v8', ['linux/arm64/v8'], 'linux/arm64/v9', 'linux/arm64/v8'],
    ['arm64/v9 host prefers v9', ['linux/arm64/v8', 'linux/arm64/v9'], 'linux/arm64/v9', 'linux/arm64/v9'],
    ['arm/v7 host prefers v7 over v6', ['linux/arm/v6', 'linux/arm/v7'], 'linux/arm/v7', 'linux/arm/v7'],
    ['arm/v7 host takes v6 when no v7', ['linux/arm/v5', 'linux/arm/v6'], 'linux/arm/v7', 'linux/arm/v6'],
    ['arm/v7 host takes v5 as last resort', ['linux/amd64', 'linux/arm/v5'], 'linux/arm/v7', 'linux/arm/v5'],
    ['arm host without variant is v7', ['linux/arm/v6', 'linux/arm/v7'], 'linux/arm', 'linux/arm/v7'],
    ['arm entry without variant is v7', ['linux/arm'], 'linux/arm/v7', 'linux/arm'],
    ['armhf entry matches arm/v7', ['linux/armhf'], 'linux/arm/v7', 'linux/armhf'],
    ['arm/v6 host takes v6 over v5', ['linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7'], 'linux/arm/v6', 'linux/arm/v6'],
    ['amd64/v1 entry counts as plain amd64 (first wins)', ['linux/amd64/v1', 'linux/amd64'], 'linux/amd64', 'linux/amd64/v1'],
    ['amd64 host ignores v2/v3 entries', ['linux/amd64/v3', 'linux/amd64/v2', 'linux/amd64'], 'linux/amd64', 'linux/amd64'],
    ['amd64/v3 host prefers exact', ['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3'], 'linux/amd64/v3', 'linux/amd64/v3'],
    ['amd64/v3 host takes v2 over none', ['linux/amd64', 'linux/amd64/v2'], 'linux/amd64/v3', 'linux/amd64/v2'],
    ['amd64/v2 host falls back to none', ['linux/amd64', 'linux/amd64/v3'], 'linux/amd64/v2', 'linux/amd64'],
    ['x86_64 host', ['linux/386', 'linux/amd64'], 'linux/x86_64', 'linux/amd64'],
    ['os must match', ['windows/amd64', 'linux/amd64'], 'linux/amd64', 'linux/amd64'],
    ['386 entry for i386 host', ['linux/amd64', 'linux/386'], 'linux/i386', 'linux/386'],
    ['s390x', ['linux/amd64', 'linux/s390x'], 'linux/s390x', 'linux/s390x'],
    ['first of equal entries wins', ['linux/amd64', 'linux/amd64'], 'linux/amd64', 'linux/amd64'],
  ];
  for (const [name, specs, want, expected] of cases) test(name, () => assert.equal(pick(specs, want), expected));

  test('first of two equal-rank entries is returned (index order)', () => {
    const a = entry('linux/amd64');
    const b = entry('linux/amd64');
    assert.equal(selectPlatform(index(a, b), p('linux/amd64')), a);
  });

  test('attestation entries are skipped (os unknown)', () => {
    const attest = entry('unknown/unknown');
    const real = entry('linux/amd64');
    assert.equal(selectPlatform(index(attest, real), p('linux/amd64')), real);
  });

  test('attestation entries are skipped (annotation), even with a matching platform', () => {
    const attest = entry('linux/amd64', { annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } });
    const real = entry('linux/amd64');
    assert.equal(selectPlatform(index(attest, real), p('linux/amd64')), real);
    assert.equal(isAttestationEntry(attest), true);
    assert.equal(isAttestationEntry(real), false);
  });

  test('entries without platform are skipped', () => {
    const bare: IndexEntry = { digest: `sha256:${'e'.repeat(64)}`, mediaType: OCI_MANIFEST, size: 1 };
    const real = entry('linux/arm64');
    assert.equal(selectPlatform(index(bare, real), p('linux/arm64')), real);
  });

  test('no match: platform-not-found naming the wanted platform, the index and what it has', () => {
    const digest = `sha256:${'9'.repeat(64)}`;
    const idx = index(entry('linux/amd64'), entry('linux/s390x'), entry('unknown/unknown'), entry('linux/amd64'));
    assert.throws(
      () => selectPlatform(idx, p('linux/arm64'), digest),
      (error: unknown) => {
        assert.ok(error instanceof TagkeeperError);
        assert.equal(error.code, 'platform-not-found');
        assert.equal(error.message, `no image for linux/arm64 in index ${digest} (it has linux/amd64, linux/s390x)`);
        assert.match(error.hint ?? '', /linux\/arm64/);
        return true;
      },
    );
  });

  test('no match without digest, and an index with only attestations', () => {
    assert.throws(() => selectPlatform(index(entry('unknown/unknown')), p('linux/amd64')), /no image for linux\/amd64 in the index \(it lists no runnable platform\)/);
  });

  test('arm64 host does not take 32-bit arm, amd64 host does not take 386', () => {
    assert.throws(() => pick(['linux/arm/v7'], 'linux/arm64'), /platform|no image/);
    assert.throws(() => pick(['linux/386'], 'linux/amd64'), /no image for linux\/amd64/);
  });

  test('arm/v6 host cannot run v7; amd64 host cannot run v2', () => {
    assert.throws(() => pick(['linux/arm/v7'], 'linux/arm/v6'), /no image for linux\/arm\/v6 in the index \(it has linux\/arm\/v7\)/);
    assert.throws(() => pick(['linux/amd64/v2'], 'linux/amd64'), /it has linux\/amd64\/v2/);
  });

  test('os mismatch only: windows image for a linux host', () => {
    assert.throws(() => pick(['windows/amd64'], 'linux/amd64'), /it has windows\/amd64/);
  });
});
