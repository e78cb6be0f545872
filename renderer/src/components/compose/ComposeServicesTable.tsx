/** @jsxRuntime automatic */
/**
 * The definition's services, read-only and compact: per service its image as the model
 * names it, ports, mounts, networks and what it waits for (depends_on with its condition).
 * The digests each one runs are on the app's row above.
 */
import type { ComposeProject } from '../../../../main/api/types/compose';
import { dependencyTexts, mountTexts, networkTexts, portText } from '../../lib/compose-summary';

const COLUMNS = ['Service', 'Image', 'Ports', 'Mounts', 'Networks', 'Waits for'];

export function ComposeServicesTable({ app, project }: { app: string; project: ComposeProject }) {
  return (
    <div className="table-scroll">
      <table className="compose-services stacking" data-testid={`compose-services-${app}`}>
        <thead>
          <tr>
            {COLUMNS.map((c) => <th key={c}>{c}</th>)}
          </tr>
        </thead>
        <tbody>
          {project.services.map((s) => {
            const id = `${app}-${s.name}`;
            return (
              <tr key={s.name} data-testid={`compose-service-${id}`}>
                <td data-label={COLUMNS[0]}><strong>{s.name}</strong></td>
                <td data-label={COLUMNS[1]}><code data-testid={`compose-image-${id}`}>{s.image}</code></td>
                <Cell label={COLUMNS[2]} testId={`compose-ports-${id}`} items={s.ports.map(portText)} />
                <Cell label={COLUMNS[3]} testId={`compose-mounts-${id}`} items={mountTexts(s)} />
                <Cell label={COLUMNS[4]} testId={`compose-networks-${id}`} items={networkTexts(s)} />
                <Cell label={COLUMNS[5]} testId={`compose-depends-${id}`} items={dependencyTexts(s)} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ label, testId, items }: { label: string; testId: string; items: string[] }) {
  return (
    <td data-label={label} data-testid={testId}>
      {items.length > 0 ? items.map((item) => <div key={item}>{item}</div>) : <span className="muted">—</span>}
    </td>
  );
}
