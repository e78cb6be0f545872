/** @jsxRuntime automatic */
/**
 * The public keys this device trusts to sign offline bundles: the list (key id short and
 * copyable, name, when and by whom added), Remove, and a form to trust one (its PEM text
 * pasted, and a name); plus the `require-signatures` setting, with the core's reason beside it
 * when a change is refused.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { formatTime, shortDigest } from '../../lib/format';
import { fieldError } from '../../lib/settings-draft';
import { NEW_KEY } from '../../stores/keys-store';
import { Digest } from '../Digest';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export function TrustedKeysPanel() {
  const { keys, settings } = useStores();
  const list = useStore(keys, (s) => s.keys);
  const loaded = useStore(keys, (s) => s.loaded);
  const loadError = useStore(keys, (s) => s.loadError);
  const status = useStore(keys, (s) => s.status);
  const lastTrusted = useStore(keys, (s) => s.lastTrusted);
  const required = useStore(settings, (s) => s.settings?.requireSignatures ?? null);
  const requireError = fieldError(useStore(settings, (s) => s.errors['require-signatures']), 'require-signatures', 'Require signatures');
  const saving = useStore(settings, (s) => s.saving);
  // The value asked for shows at once; the stored one again once the core answered.
  const [asked, setAsked] = useState<boolean | null>(null);
  const [pem, setPem] = useState('');
  const [name, setName] = useState('');
  const adding = status[NEW_KEY];
  const addReason = adding?.pending ? 'adding' : !pem.trim() ? 'paste the public key (PEM)' : null;

  useEffect(() => {
    void keys.getState().load();
  }, [keys]);

  const requireSignatures = async (on: boolean) => {
    setAsked(on);
    await settings.getState().save({ 'require-signatures': on ? 'on' : 'off' });
    setAsked(null);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (addReason) return;
    if (await keys.getState().trust(pem, name)) {
      setPem('');
      setName('');
    }
  };

  return (
    <div className="trusted-keys">
      <div className="field">
        <label htmlFor="setting-require-signatures">Require signatures</label>
        <div className="field-input">
          <label className="inline">
            <input
              id="setting-require-signatures"
              type="checkbox"
              data-testid="setting-require-signatures"
              checked={asked ?? required ?? false}
              disabled={required === null || saving}
              onChange={(e) => void requireSignatures(e.target.checked)}
            />
            import only bundles signed by one of these keys (on by default; an import can still accept one unsigned, explicitly)
          </label>
          {required && loaded && list.length === 0 ? (
            <p className="warning" data-testid="require-signatures-no-keys">
              No key is trusted yet: every bundle will be refused unless its import explicitly accepts it unsigned.
            </p>
          ) : null}
          <ErrorText error={requireError} testId="setting-require-signatures-error" />
        </div>
      </div>

      <ErrorText error={loadError} testId="keys-load-error" />
      {loaded && list.length === 0 ? (
        <p className="muted" data-testid="keys-empty">
          No signing key is trusted. A bundle signed by a key not trusted here counts as unsigned.
        </p>
      ) : null}
      {list.length > 0 ? (
        <table data-testid="keys-list">
          <thead>
            <tr>
              <th>Key id</th>
              <th>Name</th>
              <th>Added</th>
              <th>
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((k) => {
              const id = shortDigest(k.keyId);
              return (
                <tr key={k.keyId} data-testid={`key-row-${id}`}>
                  <td>
                    <Digest digest={k.keyId} label="key id" testId={`key-id-${id}`} />
                  </td>
                  <td data-testid={`key-name-${id}`}>{k.name}</td>
                  <td className="muted">
                    {formatTime(k.addedAt)} by {k.addedBy}
                  </td>
                  <td>
                    <button type="button" className="danger" data-testid={`key-remove-${id}`} disabled={status[k.keyId]?.pending ?? false}
                      onClick={() => void keys.getState().remove(k.keyId)}>
                      Remove
                    </button>
                    <ErrorText error={status[k.keyId]?.error} testId={`key-remove-error-${id}`} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}

      <form className="key-form" onSubmit={(e) => void submit(e)} autoComplete="off">
        <h3>Trust a key</h3>
        <textarea
          aria-label="Public key (PEM)"
          data-testid="key-new-pem"
          rows={4}
          spellCheck={false}
          placeholder={'-----BEGIN PUBLIC KEY-----\n… the exporter\'s Ed25519 public key …\n-----END PUBLIC KEY-----'}
          value={pem}
          onChange={(e) => setPem(e.target.value)}
        />
        <div className="inline-fields">
          <input aria-label="Key name" placeholder="name, e.g. central team" data-testid="key-new-name" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" data-testid="key-new-add" disabled={addReason !== null} title={addReason ?? undefined}>
            {adding?.pending ? 'Adding…' : 'Trust this key'}
          </button>
          {lastTrusted ? (
            <span className="muted" data-testid="key-new-status">
              {lastTrusted.added ? 'Trusted' : 'Already trusted; renamed'} {lastTrusted.name} ({shortDigest(lastTrusted.keyId)})
            </span>
          ) : null}
        </div>
        <ErrorText error={adding?.error} testId="key-new-error" />
      </form>
    </div>
  );
}
