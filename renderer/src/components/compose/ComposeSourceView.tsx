/** @jsxRuntime automatic */
/**
 * Where a Compose app's definition came from: the file (copyable), the definition's hash
 * (short, copyable; the ledger names it before and after each update), "adopted" when the
 * app was taken over from a project docker compose started, the env files and profiles.
 */
import type { ComposeDefinition } from '../../../../main/api/types/apps';
import { CopyButton } from '../CopyButton';
import { Digest } from '../Digest';

export function ComposeSourceView({ app, definition }: { app: string; definition: ComposeDefinition }) {
  const { file, hash, adopted, envFiles, profiles } = definition;
  return (
    <dl className="facts compose-source" data-testid={`compose-source-${app}`}>
      <dt>File</dt>
      <dd>
        <code data-testid={`compose-file-${app}`}>{file}</code> <CopyButton text={file} label="path of the Compose file" testId={`copy-compose-file-${app}`} />
      </dd>
      <dt>Definition</dt>
      <dd>
        <Digest digest={hash} testId={`compose-hash-${app}`} label="hash of the definition" />
        {adopted ? (
          <span className="tag" data-testid={`compose-adopted-${app}`} title="taken over from a project docker compose started; its containers kept running">
            adopted
          </span>
        ) : null}
      </dd>
      <dt>Env files</dt>
      <dd data-testid={`compose-env-files-${app}`}>
        {envFiles.length > 0 ? envFiles.map((f) => <code key={f} className="listed">{f}</code>) : <span className="muted">none given (the .env beside the file, if there was one)</span>}
      </dd>
      <dt>Profiles</dt>
      <dd data-testid={`compose-profiles-${app}`}>{profiles.length > 0 ? profiles.join(', ') : <span className="muted">none enabled</span>}</dd>
    </dl>
  );
}
