/** @jsxRuntime automatic */
/**
 * Registry credentials: Tagkeeper's (saved here, removable) and the docker CLI's on this box
 * (config.json, credential helpers; read-only here), each with its source and whether checks
 * and pulls use it. The list shows what the core sends back (the password masked); the
 * password field is write-only: never filled in, emptied after each save. Below, the engine's
 * mirrors and insecure registries, and the rate limits registries stated.
 */
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { formatRateLimit } from '../../../../main/api/format';
import type { RegistriesStatus, RegistryView } from '../../../../main/api/types/settings';
import { NEW_REGISTRY } from '../../stores/settings-store';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export function RegistriesPanel() {
  const { settings } = useStores();
  const registries = useStore(settings, (s) => s.registries);
  const registriesStatus = useStore(settings, (s) => s.registriesStatus);
  const status = useStore(settings, (s) => s.registryStatus);
  const [host, setHost] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const adding = status[NEW_REGISTRY];
  const saveReason = adding?.pending ? 'saving' : !host.trim() ? 'give the registry host' : !username.trim() ? 'give the user name' : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saveReason) return;
    const ok = await settings.getState().setRegistry(host.trim(), username.trim(), password);
    setPassword('');
    if (ok) {
      setHost('');
      setUsername('');
    }
  };

  return (
    <div className="registries">
      {registries.length === 0 ? (
        <p className="muted">No credentials stored here or in Docker's config: registries are reached anonymously.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Registry</th>
              <th>User</th>
              <th>Password</th>
              <th>Source</th>
              <th>
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {registries.map((r) => {
              const saved = r.source === 'Tagkeeper';
              return (
                <tr key={`${r.source}|${r.host}`} data-testid={saved ? `registry-row-${r.host}` : `docker-login-${r.host}`}>
                  <td><code>{r.host}</code></td>
                  <td>{r.username}</td>
                  <td><span className="muted">{r.password}</span></td>
                  <td>{r.source}<InUse view={r} /></td>
                  <td>
                    {saved ? (
                      <button type="button" data-testid={`registry-remove-${r.host}`} disabled={status[r.host]?.pending ?? false}
                        onClick={() => void settings.getState().removeRegistry(r.host)}>
                        Remove
                      </button>
                    ) : null}
                    {saved ? <ErrorText error={status[r.host]?.error} /> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <form className="registry-form" onSubmit={(e) => void submit(e)} autoComplete="off">
        <h3>Add or replace credentials</h3>
        <div className="inline-fields">
          <input aria-label="Registry host" placeholder="host[:port], e.g. ghcr.io" data-testid="registry-host" value={host} spellCheck={false} onChange={(e) => setHost(e.target.value)} />
          <input aria-label="User name" placeholder="user name" data-testid="registry-username" value={username} autoComplete="off" onChange={(e) => setUsername(e.target.value)} />
          <input aria-label="Password or token" placeholder="password or token" type="password" data-testid="registry-password" value={password} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />
          <button type="submit" data-testid="registry-save" disabled={saveReason !== null} title={saveReason ?? undefined}>
            {adding?.pending ? 'Saving…' : 'Save credentials'}
          </button>
        </div>
        <ErrorText error={adding?.error} testId="registry-error" />
      </form>
      {registriesStatus ? <EngineRegistries status={registriesStatus} /> : null}
    </div>
  );
}

/** Why a Docker login is not used: a helper that failed, or Tagkeeper's own credentials for the same registry. */
function InUse({ view }: { view: RegistryView }) {
  if (view.inUse) return null;
  return <div className="muted">{view.problem ?? 'not used: the credentials saved here win'}</div>;
}

function EngineRegistries({ status }: { status: RegistriesStatus }) {
  return (
    <div className="engine-registries" data-testid="engine-registries">
      <p className="muted">
        Docker's logins are read from <code>{status.dockerConfig}</code>.
      </p>
      {status.engineError ? (
        <p className="muted">The engine's registry configuration is unknown: {status.engineError}</p>
      ) : (
        <ul>
          <li>Engine mirrors for docker.io: {status.mirrors.length > 0 ? status.mirrors.join(', ') : 'none'}</li>
          <li>Engine insecure registries (plain HTTP): {status.engineInsecureRegistries.length > 0 ? status.engineInsecureRegistries.join(', ') : 'none'}</li>
        </ul>
      )}
      {status.rateLimits.length > 0 ? (
        <ul data-testid="rate-limits">
          {status.rateLimits.map((r) => (
            <li key={r.registry}>
              Rate limit of <code>{r.registry}</code>: {formatRateLimit(r)}
              {r.remaining === 0 ? <strong> — used up: pulls are refused until the window has passed</strong> : null} <span className="muted">(as of {r.seenAt})</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
