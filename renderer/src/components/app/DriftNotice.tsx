/** @jsxRuntime automatic */
/**
 * Why an app is not simply running what it latched, in one line: work a process that died
 * left unfinished (which operation, at which step), or containers that run other content
 * than the latched one (what runs, what is latched, what to do). Nothing otherwise.
 */
import type { AppView } from '../../../../main/api/types/app-view';
import { shortDigest } from '../../lib/format';

export function DriftNotice({ app }: { app: AppView }) {
  const interrupted = app.openOperations.find((op) => op.interrupted);
  const drifted = app.services.filter((s) => s.drift);
  if (!interrupted && drifted.length === 0) return null;
  return (
    <p className="drift-notice" role="status" data-testid={`drift-notice-${app.name}`}>
      {interrupted ? (
        <>
          <strong>Interrupted:</strong> operation {interrupted.id} ({interrupted.kind}) stopped in its {interrupted.phase} step when its process died;
          it is finished the next time Tagkeeper looks at the app.
        </>
      ) : (
        <>
          <strong>Drifted:</strong>{' '}
          {drifted.map((s, i) => (
            <span key={s.name} data-testid={`drift-${app.name}-${s.name}`} data-running={s.drift!.runningImageId} data-latched={s.drift!.latchedImageId}>
              {i > 0 ? '; ' : ''}
              {s.name} runs image <code title={s.drift!.runningImageId}>{shortDigest(s.drift!.runningImageId)}</code>, not its latched{' '}
              <code title={s.drift!.latchedImageId}>{shortDigest(s.drift!.latchedImageId)}</code>
            </span>
          ))}
          {' '}(changed outside Tagkeeper). Restart returns it to the latched content; to keep new content, approve or refresh an update.
        </>
      )}
    </p>
  );
}
