/** @jsxRuntime automatic */
/**
 * Offline bundles, in two screens: Import (on the air-gapped box: choose a bundle, preview,
 * import; and the box's needs list for the connected machine) and Export (on the connected
 * machine: the apps or a site's needs list, optionally signed).
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { HOME, type BundlePart } from '../../lib/route';
import { RouteLink } from '../RouteLink';
import { useStores } from '../StoresContext';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';
import { NeedsExport } from './NeedsExport';

const PARTS: { part: BundlePart; label: string }[] = [
  { part: 'import', label: 'Import' },
  { part: 'export', label: 'Export' },
];

export function BundlesScreen() {
  const { settings, ui } = useStores();
  const required = useStore(settings, (s) => s.settings?.requireSignatures ?? true);
  const part = useStore(ui, (s) => s.bundlePart);

  useEffect(() => {
    void settings.getState().load();
  }, [settings]);

  return (
    <section className="screen bundles-screen" aria-labelledby="bundles-title">
      <h1 id="bundles-title">{part === 'import' ? 'Import a bundle' : 'Export a bundle'}</h1>
      <nav className="tabs" aria-label="Bundles">
        {PARTS.map((p) => (
          <RouteLink key={p.part} to={{ ...HOME, screen: 'bundles', bundlePart: p.part }} className={`tab ${part === p.part ? 'current' : ''}`} current={part === p.part} testId={`bundles-${p.part}`}>
            {p.label}
          </RouteLink>
        ))}
      </nav>
      {part === 'import' ? (
        <>
          <p className="muted intro">
            Updates for boxes without a registry travel as one file. An import checks the whole chain (index, manifests, configs, layers) before anything is
            loaded; a bundle that fails any check changes nothing.{' '}
            {required
              ? 'This device accepts only bundles signed by a key it trusts, or one you explicitly accept unsigned (recorded in the history).'
              : 'Unsigned bundles are accepted (Settings can require signatures).'}{' '}
            Loading a bundle moves no tag: a tag moves when its update is approved.
          </p>
          <ImportPanel />
          <h2>Needs list of this box</h2>
          <NeedsExport />
        </>
      ) : (
        <>
          <p className="muted intro">
            On a machine that reaches the registries: carry the digests of apps here, or what an air-gapped site lacks (its needs list), as one file
            for the site to import.
          </p>
          <ExportPanel />
        </>
      )}
    </section>
  );
}
