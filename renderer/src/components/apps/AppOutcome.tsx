/** @jsxRuntime automatic */
/** How the last action this window asked of an app ended (or that it is under way), in one line. */
import { useStore } from 'zustand';
import { useStores } from '../StoresContext';

export function AppOutcome({ app }: { app: string }) {
  const { apps } = useStores();
  const item = useStore(apps, (s) => s.items[app]);
  if (!item || (!item.pending && !item.outcome)) return null;
  return (
    <p className={`outcome ${item.pending ? 'working' : item.error ? 'failed' : ''}`} data-testid={`outcome-${app}`} role="status">
      {item.pending ? `${item.pending}: working…` : item.outcome}
      {!item.pending && item.error?.hint ? <span className="hint"> — {item.error.hint}</span> : null}
    </p>
  );
}
