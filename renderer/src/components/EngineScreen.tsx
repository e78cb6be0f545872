/** @jsxRuntime automatic */
/**
 * Shown instead of everything else while Tagkeeper cannot reach its Docker Engine, or this
 * page cannot reach Tagkeeper: what was tried, why it failed, what to do, and Retry.
 */
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { EngineStatus } from '../stores/engine-store';
import { useStores } from './StoresContext';

export function EngineScreen({ status }: { status: Extract<EngineStatus, { kind: 'unreachable' }> }) {
  if (status.error?.code === 'engine-mismatch') {
    return (
      <Problem testId="engine-mismatch" title="This data directory belongs to another Docker Engine">
        <p>
          Reached: <code data-testid="engine-endpoint">{status.endpoint}</code>
          {status.source ? ` (${status.source})` : ''}
        </p>
        <p className="error">{status.error.message}</p>
        {status.error.hint ? <p>{status.error.hint}.</p> : null}
      </Problem>
    );
  }
  return (
    <Problem testId="engine-unreachable" title="Tagkeeper cannot reach the Docker Engine">
      <p>
        Tried: <code data-testid="engine-endpoint">{status.endpoint}</code>
        {status.source ? <span data-testid="engine-source"> ({status.source})</span> : null}
      </p>
      {status.error ? <p className="error">{status.error.message}</p> : null}
      <h2>What to do</h2>
      <ul>
        {status.error?.hint ? <li>{status.error.hint}.</li> : null}
        <li>
          Is the daemon running? <code>systemctl status docker</code> (start it with <code>systemctl start docker</code>).
        </li>
        <li>
          Tagkeeper picks the engine as the <code>docker</code> command does: <code>--host</code>, <code>DOCKER_HOST</code>,{' '}
          <code>DOCKER_CONTEXT</code>, the current context of <code>docker context use</code>, else{' '}
          <code>unix:///var/run/docker.sock</code>; start it with one of these pointing at the engine to manage.
        </li>
        <li>
          Permission denied on the socket? Add the user running Tagkeeper to the <code>docker</code> group.
        </li>
      </ul>
      <p className="muted">Apps keep running meanwhile: the engine runs them, not Tagkeeper.</p>
    </Problem>
  );
}

export function ConnectionScreen({ status }: { status: Extract<EngineStatus, { kind: 'disconnected' }> }) {
  const unauthorized = status.error.code === 'unauthorized';
  return (
    <Problem testId={unauthorized ? 'token-refused' : 'instance-unreachable'} title={unauthorized ? 'This page\'s token was refused' : 'Tagkeeper does not answer'}>
      <p className="error">{status.error.message}</p>
      {status.error.hint ? <p>{status.error.hint}.</p> : null}
      {unauthorized ? null : <p className="muted">This page tries again every few seconds.</p>}
    </Problem>
  );
}

export function NoTokenScreen() {
  return (
    <main className="problem" data-testid="no-token">
      <h1>Open Tagkeeper with its token</h1>
      <p>
        This page needs the address that <code>tagkeeper serve</code> (or <code>npm start</code>) printed, including the part after{' '}
        <code>#token=</code>. The token is never sent in the address to the server; it keeps strangers on this machine out.
      </p>
      <p className="muted">
        Lost it? It is also in <code>serve.json</code> in Tagkeeper's data directory (readable by its user only).
      </p>
    </main>
  );
}

function Problem({ testId, title, children }: { testId: string; title: string; children: ReactNode }) {
  const { engine } = useStores();
  const checking = useStore(engine, (s) => s.checking);
  return (
    <main className="problem" data-testid={testId}>
      {/* Announced as it appears; the main landmark stays a landmark. */}
      <div role="alert">
        <h1>{title}</h1>
        {children}
      </div>
      <button type="button" className="primary" data-testid="engine-retry" disabled={checking} onClick={() => void engine.getState().check()}>
        {checking ? 'Trying…' : 'Retry'}
      </button>
    </main>
  );
}
