/** @jsxRuntime automatic */
/**
 * The frame of a dialog that asks before an action on an app: a title, what will happen,
 * Cancel (focused first, and Esc) and the action's button, held back with its reason while
 * the action cannot run. Test ids: `<name>-dialog`, `cancel-<name>`, `confirm-<name>`,
 * `<name>-reason`.
 */
import type { ReactNode } from 'react';

export function ConfirmDialog({ name, title, confirmLabel, cancelLabel = 'Cancel', tone = 'primary', blocked = null, wide = false, onConfirm, onCancel, children }: {
  name: string;
  title: string;
  confirmLabel: string;
  cancelLabel?: string;
  /** `danger` for what cannot be undone. */
  tone?: 'primary' | 'danger';
  /** Why the action cannot run yet; null when it can. */
  blocked?: string | null;
  wide?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <div className="dialog-backdrop">
      <div className={`dialog ${wide ? 'wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={`${name}-title`} data-testid={`${name}-dialog`}
        onKeyDown={(e) => (e.key === 'Escape' ? onCancel() : undefined)}>
        <h2 id={`${name}-title`}>{title}</h2>
        {children}
        <div className="dialog-buttons">
          {blocked ? <span className="muted dialog-reason" data-testid={`${name}-reason`}>{blocked}</span> : null}
          <button type="button" onClick={onCancel} data-testid={`cancel-${name}`} autoFocus>
            {cancelLabel}
          </button>
          <button type="button" className={tone} onClick={onConfirm} data-testid={`confirm-${name}`} disabled={blocked !== null} title={blocked ?? undefined}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
