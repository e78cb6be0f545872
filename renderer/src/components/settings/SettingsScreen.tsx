/** @jsxRuntime automatic */
/** Device settings, registry credentials, trusted bundle signing keys, and the report export. */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';
import { DeviceSettingsForm } from './DeviceSettingsForm';
import { RegistriesPanel } from './RegistriesPanel';
import { ReportExport } from './ReportExport';
import { TrustedKeysPanel } from './TrustedKeysPanel';

export function SettingsScreen() {
  const { settings, engine } = useStores();
  const loadError = useStore(settings, (s) => s.loadError);
  const status = useStore(engine, (s) => s.status);

  useEffect(() => {
    void settings.getState().load();
  }, [settings]);

  return (
    <section className="screen settings-screen" aria-label="Settings">
      <h1>Settings</h1>
      <ErrorText error={loadError} testId="settings-load-error" />
      <h2>This device</h2>
      <DeviceSettingsForm />
      <h2>Registries</h2>
      <RegistriesPanel />
      <h2>Trusted signing keys</h2>
      <TrustedKeysPanel />
      <h2>Report</h2>
      <ReportExport />
      {status.kind === 'reachable' ? (
        <p className="muted about" data-testid="engine-about">
          Docker Engine at <code>{status.endpoint}</code>
          {status.platform ? ` (${status.platform.os}/${status.platform.architecture}${status.platform.variant ? `/${status.platform.variant}` : ''})` : ''}
          {status.source ? <span data-testid="engine-source"> — {status.source}</span> : null}
        </p>
      ) : null}
    </section>
  );
}
