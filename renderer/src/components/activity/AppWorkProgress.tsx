/** @jsxRuntime automatic */
/**
 * While work on an app runs (an approval, an update from a Compose file): what it is doing
 * in words, the app's open operations with their phase, and the pulls of the app since the
 * work began.
 */
import { useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppView } from '../../../../main/api/types/app-view';
import { openOperationText } from '../../lib/operation-name';
import { useStores } from '../StoresContext';
import { PullView } from './PullView';

const NO_OPERATIONS: AppView['openOperations'] = [];

export function AppWorkProgress({ app, since, testId, children }: { app: string; since: number; testId: string; children: ReactNode }) {
  const { apps, operations } = useStores();
  const pulls = useStore(operations, (s) => s.pulls);
  const open = useStore(apps, (s) => s.apps.find((a) => a.name === app)?.openOperations ?? NO_OPERATIONS);
  const appPulls = useMemo(() => Object.values(pulls).filter((p) => p.app === app && p.updatedAt >= since), [pulls, app, since]);
  return (
    <div className="decision-progress" data-testid={testId} role="status">
      <p>{children}</p>
      {open.map((op) => (
        <p key={op.id} className="muted" title={`operation ${op.id}`}>
          {openOperationText(op)}
        </p>
      ))}
      {appPulls.map((p) => (
        <PullView key={`${p.app}/${p.service}`} app={p.app} service={p.service} progress={p.progress} />
      ))}
    </div>
  );
}
