/**
 * The app's own named volumes (its state, which a purge discards), asked of the core when a
 * dialog needs to name them (`apps:show`; the list view does not carry them).
 */
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../main/api/errors';
import { toErrorInfo } from '../../lib/errors';
import { useStores } from '../StoresContext';

export type VolumesState = { state: 'idle' | 'loading' } | { state: 'loaded'; volumes: string[] } | { state: 'failed'; error: ErrorInfo };

/** Loads once `wanted` is true. */
export function useAppVolumes(app: string, wanted = true): VolumesState {
  const { client } = useStores();
  const [volumes, setVolumes] = useState<VolumesState>({ state: 'idle' });
  useEffect(() => {
    if (!wanted || volumes.state !== 'idle') return;
    setVolumes({ state: 'loading' });
    client.call('apps:show', { name: app }).then(
      (view) => setVolumes({ state: 'loaded', volumes: view.volumes ?? [] }),
      (error: unknown) => setVolumes({ state: 'failed', error: toErrorInfo(error) }),
    );
  }, [client, app, wanted, volumes.state]);
  return volumes;
}
