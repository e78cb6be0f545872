/** What an update to latest would do now (`apps:refresh-preview`), asked once when the dialog opens. */
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../main/api/errors';
import type { RefreshPreview } from '../../../../main/api/types/updates';
import { toErrorInfo } from '../../lib/errors';
import { useStores } from '../StoresContext';

export type PreviewState = { state: 'loading' } | { state: 'loaded'; preview: RefreshPreview } | { state: 'failed'; error: ErrorInfo };

export function useRefreshPreview(app: string): PreviewState {
  const { client } = useStores();
  const [preview, setPreview] = useState<PreviewState>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    client.call('apps:refresh-preview', { name: app }).then(
      (answer) => current && setPreview({ state: 'loaded', preview: answer }),
      (error: unknown) => current && setPreview({ state: 'failed', error: toErrorInfo(error) }),
    );
    return () => {
      current = false;
    };
  }, [client, app]);
  return preview;
}
