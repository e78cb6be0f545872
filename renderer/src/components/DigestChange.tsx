/** @jsxRuntime automatic */
/**
 * `from → to` of a drive: the platform manifest digests (what runs), short and copyable; the
 * index digest (what the tag points at) in the title when it differs.
 */
import type { DigestPair } from '../../../main/api/types/apps';
import { Digest } from './Digest';

/** The digest that identifies a pair: the platform manifest, else the index. */
export const digestOf = (pair: DigestPair | null): string | null => pair?.manifestDigest ?? pair?.indexDigest ?? null;

export function DigestChange({ from, to, fromTestId, toTestId }: { from: DigestPair | null; to: DigestPair | null; fromTestId?: string; toTestId?: string }) {
  return (
    <span className="digest-change">
      <Digest digest={digestOf(from)} testId={fromTestId} label="old digest" />
      <span className="arrow" aria-label="to">→</span>
      <Digest digest={digestOf(to)} testId={toTestId} label="new digest" />
      {to?.indexDigest && to.indexDigest !== to.manifestDigest ? (
        <span className="muted index" title={`the tag points at the index ${to.indexDigest}`}>(index)</span>
      ) : null}
    </span>
  );
}
