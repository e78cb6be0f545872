/** @jsxRuntime automatic */
/**
 * One transfer under way (an upload, the core's import or export, a download): a bar (moving
 * without a value while the total is unknown), its text, and Cancel.
 */

export interface TransferViewProps {
  /** `import` or `export`: the testids are `<name>-progress`, `<name>-progress-text`, `<name>-cancel`, `<name>-cancel-note`. */
  name: string;
  /** What is moving, for `data-phase`: the core's phase, or `uploading` / `downloading` / `starting`. */
  phase: string;
  percent: number | null;
  text: string;
  cancelling: boolean;
  /** Why a cancel did not take (it came too late). */
  cancelNote: string | null;
  onCancel(): void;
}

export function TransferView({ name, phase, percent, text, cancelling, cancelNote, onCancel }: TransferViewProps) {
  return (
    <div className="transfer" data-testid={`${name}-progress`} data-phase={phase} role="status">
      {percent === null ? <progress aria-label={`${name} progress`} /> : <progress max={100} value={percent} aria-label={`${name} progress`} />}
      <div className="transfer-line">
        <span className="muted" data-testid={`${name}-progress-text`}>
          {text}
        </span>
        <button type="button" data-testid={`${name}-cancel`} disabled={cancelling} title={cancelling ? 'stopping' : undefined} onClick={onCancel}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      {cancelNote ? (
        <p className="muted" data-testid={`${name}-cancel-note`}>
          {cancelNote}
        </p>
      ) : null}
    </div>
  );
}
