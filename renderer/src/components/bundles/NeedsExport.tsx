/** @jsxRuntime automatic */
/** The site's side: save this box's needs list (`inventory:export`) for the connected machine. */
import { useStore } from 'zustand';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';

export function NeedsExport() {
  const { bundleExport } = useStores();
  const state = useStore(bundleExport, (s) => s.needsExport);
  return (
    <div className="needs-export">
      <p className="muted">
        On an air-gapped box: what its apps run and which layers it has, as JSON. Carry it to a connected machine and export a bundle from it there:
        the bundle then holds only what this box lacks.
      </p>
      <div className="form-buttons">
        <button type="button" data-testid="needs-export" disabled={state.busy} title={state.busy ? 'preparing the needs list' : undefined}
          onClick={() => void bundleExport.getState().exportNeeds()}>
          {state.busy ? 'Preparing…' : 'Export needs list'}
        </button>
        {state.saved ? (
          <span className="muted" data-testid="needs-export-status">
            Saved {state.saved}
          </span>
        ) : null}
      </div>
      <ErrorText error={state.error} testId="needs-export-error" />
    </div>
  );
}
