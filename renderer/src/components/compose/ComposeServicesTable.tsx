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
      <table className="compose-services" data-testid={`compose-services-${app}`}>
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
                <td><strong>{s.name}</strong></td>
                <td><code data-testid={`compose-image-${id}`}>{s.image}</code></td>
                <Cell testId={`compose-ports-${id}`} items={s.ports.map(portText)} />
                <Cell testId={`compose-mounts-${id}`} items={mountTexts(s)} />
                <Cell testId={`compose-networks-${id}`} items={networkTexts(s)} />
                <Cell testId={`compose-depends-${id}`} items={dependencyTexts(s)} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ testId, items }: { testId: string; items: string[] }) {
  return (
    <td data-testid={testId}>
      {items.length > 0 ? items.map((item) => <div key={item}>{item}</div>) : <span className="muted">—</span>}
    </td>
  );
}
