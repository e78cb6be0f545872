/** @jsxRuntime automatic */
/**
 * One service of an app: reference, the digest it runs, update state, last check, container
 * (a stopped app's stopped container is no alarm), errors.
 */
import type { AppState, ServiceView } from '../../../../main/api/types/app-view';
import type { PendingUpdate } from '../../../../main/api/types/updates';
import { formatTime, shortDigest, timeAgo } from '../../lib/format';
import { containerText } from '../../lib/container-text';
import { runningDigest, updateStatus } from '../../lib/update-status';
import { Digest } from '../Digest';
import { ErrorText } from '../ErrorText';

export interface ServiceLineProps {
  app: string;
  appState: AppState;
  service: ServiceView;
  open?: PendingUpdate | null;
  /** Copy buttons beside the digests (the app's page; the list keeps its Tab stops few). */
  copy?: boolean;
}

export function ServiceLine({ app, appState, service, open = null, copy = true }: ServiceLineProps) {
  const id = `${app}-${service.name}`;
  const status = updateStatus(service, open);
  const available = service.available;
  const latched = service.latched;
  const container = containerText(service, appState);
  return (
    <div className="service" data-testid={`service-${id}`}>
      <div className="service-main">
        <span className="service-name">{service.name}</span>
        <code className="reference" title={service.canonical} data-testid={`reference-${id}`}>
          {service.reference}
        </code>
        {service.pinnedDigest ? <span className="tag pinned" title={service.pinnedDigest}>pinned</span> : null}
      </div>
      <div className="service-detail">
        <span className="label">runs</span>
        <Digest digest={runningDigest(service)} testId={`digest-${id}`} label={`digest of ${service.name}`} copy={copy} />
        {latched && latched.indexDigest && latched.indexDigest !== latched.manifestDigest ? (
          <span className="muted" title={latched.indexDigest}>index {shortDigest(latched.indexDigest)}</span>
        ) : null}
        <span className={`update tone-${status.tone}`} data-testid={`update-${id}`}>
          {status.text}
        </span>
        {open ? (
          <span className="muted" title={open.to.manifestDigest}>→ {shortDigest(open.to.manifestDigest)}</span>
        ) : service.updateAvailable && available ? (
          <span className="muted" title={available.manifestDigest ?? available.indexDigest ?? ''}>
            → {shortDigest(available.manifestDigest ?? available.indexDigest)}
          </span>
        ) : null}
        {available ? (
          <span className="muted" title={formatTime(available.checkedAt)}>
            checked {timeAgo(available.checkedAt)}
          </span>
        ) : null}
        <span className={`container status-${container.tone}`} data-testid={`container-${id}`}>
          {container.text}
          {service.health ? ` (${service.health})` : ''}
        </span>
      </div>
      {service.checkError ? (
        <div className="service-error" data-testid={`check-error-${id}`}>
          <span className="label">last check failed:</span> <ErrorText error={service.checkError} />
        </div>
      ) : null}
      {service.error ? (
        <div className="service-error" data-testid={`service-error-${id}`}>
          <ErrorText error={service.error} />
        </div>
      ) : null}
    </div>
  );
}

