/**
 * Validates an image reference as the user types: asks the core (`references:parse`) after
 * a short pause, and keeps only the answer to the latest text.
 */
import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../../main/api/errors';
import type { RendererClient } from '../../client/types';
import { toErrorInfo } from '../../lib/errors';

export type ReferenceCheck =
  | { state: 'empty' }
  | { state: 'checking' }
  | { state: 'valid'; canonical: string; pinned: boolean }
  | { state: 'invalid'; error: ErrorInfo };

export function useReferenceCheck(client: RendererClient, reference: string, delayMs = 250): ReferenceCheck {
  const [check, setCheck] = useState<ReferenceCheck>({ state: 'empty' });
  const latest = useRef(0);

  useEffect(() => {
    const text = reference.trim();
    const ticket = ++latest.current;
    if (text === '') {
      setCheck({ state: 'empty' });
      return;
    }
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      client.call('references:parse', { reference: text }).then(
        (parsed) => {
          if (ticket === latest.current) setCheck({ state: 'valid', canonical: parsed.canonical, pinned: parsed.digest !== null });
        },
        (error: unknown) => {
          if (ticket === latest.current) setCheck({ state: 'invalid', error: toErrorInfo(error) });
        },
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [client, reference, delayMs]);

  return check;
}
