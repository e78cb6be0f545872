/** @jsxRuntime automatic */
/**
 * Registry credentials. The list shows what the core sends back (the password masked);
 * the password field is write-only: never filled in, emptied after each save.
 */
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { NEW_REGISTRY } from '../../stores/settings-store';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export function RegistriesPanel() {
  const { settings } = useStores();
  const registries = useStore(settings, (s) => s.registries);
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
        <p className="muted">No credentials stored: registries are reached anonymously.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Registry</th>
              <th>User</th>
              <th>Password</th>
              <th>
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {registries.map((r) => (
              <tr key={r.host} data-testid={`registry-row-${r.host}`}>
                <td><code>{r.host}</code></td>
                <td>{r.username}</td>
                <td><span className="muted">{r.password}</span></td>
                <td>
                  <button type="button" data-testid={`registry-remove-${r.host}`} disabled={status[r.host]?.pending ?? false}
                    onClick={() => void settings.getState().removeRegistry(r.host)}>
                    Remove
                  </button>
                  <ErrorText error={status[r.host]?.error} />
                </td>
              </tr>
            ))}
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
    </div>
  );
}
