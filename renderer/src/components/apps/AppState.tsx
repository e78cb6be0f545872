/** @jsxRuntime automatic */
/** An app's state as a coloured chip: green running, amber degraded or creating, red failed, grey stopped. */
import type { AppView } from '../../../../main/api/types/app-view';

export function AppState({ app }: { app: Pick<AppView, 'name' | 'state'> }) {
  return (
    <span className={`state state-${app.state}`} data-testid={`app-state-${app.name}`}>
      {app.state}
    </span>
  );
}
