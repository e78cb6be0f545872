/** @jsxRuntime automatic */
/** A labelled field of a form: the input, a line of help, and the core's error about it. */
import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../../main/api/errors';
import { ErrorText } from './ErrorText';

export function Field(props: { label: string; help?: ReactNode; htmlFor: string; error: ErrorInfo | null; errorTestId?: string; children: ReactNode }) {
  const { label, help, htmlFor, error, errorTestId, children } = props;
  return (
    <div className="field">
      <label htmlFor={htmlFor}>{label}</label>
      <div className="field-input">
        {children}
        {help ? <p className="muted help">{help}</p> : null}
        <ErrorText error={error} testId={errorTestId} />
      </div>
    </div>
  );
}
