/** @jsxRuntime automatic */
/**
 * Where a Compose file comes from: its absolute path on the box (judged as it is typed), the
 * env files for interpolation, the profiles to enable. Shared by the create form and the
 * update dialog; `afterFile` goes right below the path (the create form's pasted text).
 */
import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../../../main/api/errors';
import { filePathProblem, type ComposeSourceForm } from '../../lib/compose-request';
import { Field } from '../FormField';

export function ComposeSourceFields(props: {
  idPrefix: string;
  value: ComposeSourceForm;
  onChange: (field: keyof ComposeSourceForm, value: string) => void;
  /** The core's error about the path (it cannot read it …), shown until the path changes. */
  fileError?: ErrorInfo | null;
  disabled?: boolean;
  afterFile?: ReactNode;
}) {
  const { idPrefix, value, onChange, fileError = null, disabled = false, afterFile } = props;
  const problem = filePathProblem(value.file);
  const shown = fileError ?? (problem ? { code: 'invalid-input' as const, message: problem } : null);
  return (
    <>
      <Field label="Compose file" help="its absolute path on the box Tagkeeper runs on; relative paths in it are relative to its folder"
        htmlFor={`${idPrefix}-file`} error={shown} errorTestId={`${idPrefix}-file-error`}>
        <input id={`${idPrefix}-file`} data-testid={`${idPrefix}-file`} value={value.file} autoComplete="off" spellCheck={false} disabled={disabled}
          placeholder="/srv/shop/compose.yaml" onChange={(e) => onChange('file', e.target.value)} />
      </Field>
      {afterFile}
      <Field label="Env files" help="for interpolation, one path a line; empty: the .env beside the Compose file, if there is one"
        htmlFor={`${idPrefix}-env-files`} error={null}>
        <textarea id={`${idPrefix}-env-files`} data-testid={`${idPrefix}-env-files`} rows={2} value={value.envFiles} spellCheck={false} disabled={disabled}
          placeholder="/srv/shop/.env.production" onChange={(e) => onChange('envFiles', e.target.value)} />
      </Field>
      <Field label="Profiles" help="services of these profiles are enabled too; separate them with commas or spaces" htmlFor={`${idPrefix}-profiles`} error={null}>
        <input id={`${idPrefix}-profiles`} data-testid={`${idPrefix}-profiles`} value={value.profiles} autoComplete="off" spellCheck={false} disabled={disabled}
          placeholder="e.g. debug, tools" onChange={(e) => onChange('profiles', e.target.value)} />
      </Field>
    </>
  );
}
