/** @jsxRuntime automatic */
/**
 * A digest shown short (12 hex) with the full one in `data-digest`, the title and (unless
 * `copy` is false: a list with many of them) the copy button.
 */
import { shortDigest } from '../lib/format';
import { CopyButton } from './CopyButton';

export function Digest({ digest, testId, label = 'digest', copy = true }: { digest: string | null; testId?: string; label?: string; copy?: boolean }) {
  if (!digest) return <code className="digest none" data-testid={testId} data-digest="">—</code>;
  const code = (
    <code className="digest" title={digest} data-testid={testId} data-digest={digest}>
      {shortDigest(digest)}
    </code>
  );
  if (!copy) return code;
  return (
    <span className="digest-with-copy">
      {code}
      <CopyButton text={digest} label={label} testId={testId ? `copy-${testId}` : undefined} />
    </span>
  );
}
