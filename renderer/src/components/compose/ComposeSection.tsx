/** @jsxRuntime automatic */
/**
 * The Compose side of a Compose app's page: where its definition came from, "Update from a
 * Compose file…", the export pinned to its digests, and the definition itself (a summary
 * per service, and the whole model as JSON). `apps:list` leaves the definition out; while
 * the app's view lacks it, the page asks for the app again (`apps:show` carries it).
 */
import { useEffect } from 'react';
import type { AppView } from '../../../../main/api/types/app-view';
import { useStores } from '../StoresContext';
import { ComposeExportPanel } from './ComposeExportPanel';
import { ComposeModelJson } from './ComposeModelJson';
import { ComposeServicesTable } from './ComposeServicesTable';
import { ComposeSourceView } from './ComposeSourceView';
import { ComposeUpdateNote } from './ComposeUpdateNote';

export function ComposeSection({ app }: { app: AppView }) {
  const { apps, ui } = useStores();
  const definition = app.definition ?? null;
  const missing = definition === null;

  useEffect(() => {
    if (missing) apps.getState().changed(app.name);
  }, [apps, app.name, missing]);

  if (!definition) return <p className="muted" data-testid={`compose-loading-${app.name}`}>Loading the definition…</p>;
  // A new definition or new digests make an earlier export out of date.
  const pinned = `${definition.hash} ${app.services.map((s) => s.latched?.manifestDigest ?? s.latched?.imageId ?? '').join(' ')}`;

  return (
    <div className="compose-section" data-testid={`compose-definition-${app.name}`}>
      <ComposeSourceView app={app.name} definition={definition} />
      <div className="form-buttons">
        <button type="button" data-testid={`compose-update-open-${app.name}`} title="plan the move to a changed Compose file, then apply it"
          onClick={() => ui.getState().askComposeUpdate(app.name)}>
          Update from a Compose file…
        </button>
      </div>
      <ComposeUpdateNote app={app.name} />
      <h3>Services of the definition</h3>
      <ComposeServicesTable app={app.name} project={definition.project} />
      <ComposeModelJson app={app.name} project={definition.project} />
      <h3>Export</h3>
      <ComposeExportPanel key={pinned} app={app.name} />
    </div>
  );
}
