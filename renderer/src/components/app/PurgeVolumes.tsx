/** @jsxRuntime automatic */
/** What a purge loses: the app's volumes, named, or that it has none (and why Purge waits). */
import { ErrorText } from '../ErrorText';
import type { VolumesState } from './use-app-volumes';

export function PurgeVolumes({ volumes, testId }: { volumes: VolumesState; testId: string }) {
  if (volumes.state === 'failed') return <ErrorText error={volumes.error} testId={`${testId}-error`} />;
  if (volumes.state !== 'loaded') return <p className="muted">Finding the volumes it would lose…</p>;
  if (volumes.volumes.length === 0) return <p data-testid={testId} data-volumes="">It has no volumes of its own: no data is lost, its containers are made anew.</p>;
  return (
    <div data-testid={testId} data-volumes={volumes.volumes.join(' ')}>
      <p className="warning">
        {volumes.volumes.length === 1 ? 'This volume is removed with everything in it:' : `These ${volumes.volumes.length} volumes are removed with everything in them:`}
      </p>
      <ul className="purge-volumes">
        {volumes.volumes.map((v) => (
          <li key={v}>
            <code data-testid={`${testId}-${v}`}>{v}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Why Purge waits for the volumes: it names what is lost before it can be confirmed. */
export function purgeBlocked(volumes: VolumesState): string | null {
  if (volumes.state === 'loaded') return null;
  return volumes.state === 'failed' ? 'the volumes it would lose are not known' : 'finding the volumes it would lose';
}
