/** @jsxRuntime automatic */
/** One pull: overall bytes and layers, speed, and a bar per layer. */
import type { PullProgress } from '../../../../main/api/types/events';
import { formatBytes, percent } from '../../lib/format';

export function PullView({ app, service, progress }: { app: string; service: string; progress: PullProgress }) {
  const unknownTotal = progress.layers.some((l) => l.status !== 'exists' && l.total === null);
  const complete = progress.layersTotal > 0 && progress.layersDone === progress.layersTotal;
  return (
    <div className="pull" data-testid={`pull-progress-${app}-${service}`}>
      <div className="pull-head">
        <strong>
          {app}/{service}
        </strong>{' '}
        <code>{progress.reference}</code> <span className={`tag ${complete ? 'done' : 'running'}`}>{complete ? 'complete' : 'pulling'}</span>
      </div>
      <progress className="pull-overall" max={100} value={percent(progress.bytesDone, progress.bytesTotal)} aria-label={`overall progress of ${app}/${service}`} />
      <div className="muted pull-numbers">
        {progress.layersDone}/{progress.layersTotal} layers · {formatBytes(progress.bytesDone)} / {unknownTotal ? '?' : formatBytes(progress.bytesTotal)}
        {complete ? '' : ` · ${formatBytes(progress.bytesPerSecond)}/s`}
      </div>
      <ul className="layers">
        {progress.layers.map((layer) => (
          <li key={layer.id}>
            <code>{layer.id}</code>
            <progress max={100} value={layer.status === 'exists' || layer.status === 'complete' ? 100 : percent(layer.current, layer.total ?? 0)} aria-label={`layer ${layer.id}`} />
            <span className="muted">
              {layer.status === 'exists' ? 'already on disk' : layer.status}
              {layer.total ? ` · ${formatBytes(layer.current)} / ${formatBytes(layer.total)}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
