/**
 * What both create forms do on submit: send the request; on success show the app at once;
 * on refusal keep the core's error and the field it is about (shown there until that field
 * is edited), while the form keeps what was typed. A refused create may still have made the
 * app (in a failed state, e.g. a pull failed), so the app is fetched again either way.
 */
import { useState } from 'react';
import type { ErrorInfo } from '../../../../main/api/errors';
import type { AppView } from '../../../../main/api/types/app-view';
import { toErrorInfo } from '../../lib/errors';
import { useStores } from '../StoresContext';

export function useCreateSubmit<Field extends string>(fieldOf: (error: ErrorInfo) => Field | null) {
  const { apps } = useStores();
  const [submitting, setSubmitting] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [errorField, setErrorField] = useState<Field | null>(null);

  const run = async (name: string, create: () => Promise<AppView>, created: (view: AppView) => void) => {
    setSubmitting(name);
    setError(null);
    setErrorField(null);
    try {
      const view = await create();
      apps.getState().created(view);
      created(view);
    } catch (e) {
      const info = toErrorInfo(e);
      setError(info);
      setErrorField(fieldOf(info));
      apps.getState().changed(name);
    } finally {
      setSubmitting(null);
    }
  };
  /** The core's error, when it is about `field`. */
  const fieldError = (field: Field) => (error && errorField === field ? error : null);
  /** A field was edited: the core's error about it no longer applies to it. */
  const edited = (field: string) => {
    if (errorField === field) setErrorField(null);
  };
  return { submitting, error, fieldError, edited, run };
}
