/** @jsxRuntime automatic */
/** Offline bundles: import one (preview, progress, outcome), export one, and the site's needs list. */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useStores } from '../StoresContext';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';
import { NeedsExport } from './NeedsExport';

export function BundlesScreen() {
  const { settings } = useStores();
  const required = useStore(settings, (s) => s.settings?.requireSignatures ?? true);

  useEffect(() => {
    void settings.getState().load();
  }, [settings]);

  return (
    <section className="screen bundles-screen" aria-label="Bundles">
      <h1>Offline bundles</h1>
      <p className="muted intro">
        Updates for boxes without a registry travel as one file. An import checks the whole chain (index, manifests, configs, layers) before
        anything is loaded; a bundle that fails any check changes nothing.{' '}
        {required
          ? 'This device accepts only bundles signed by a key it trusts, or one you explicitly accept unsigned (recorded in the history).'
          : 'Unsigned bundles are accepted (Settings can require signatures).'}{' '}
        Loading a bundle moves no tag: a drive's tag moves when its update is approved.
      </p>
      <h2>Import a bundle</h2>
      <ImportPanel />
      <h2>Export a bundle</h2>
      <ExportPanel />
      <h2>Needs list</h2>
      <NeedsExport />
    </section>
  );
}
