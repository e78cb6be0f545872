/** @jsxRuntime automatic */
/**
 * A modal dialog: the backdrop, `role="dialog"` named by its title, Esc doing what its
 * Cancel / Close button does (wherever the focus is), Tab kept inside it, and the focus
 * given back to where it was when the dialog closes.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export interface DialogProps {
  /** The id of the element naming the dialog (its h2). */
  titleId: string;
  testId: string;
  /** What Esc does: the dialog's own way out; null while there is none (a step that must finish). */
  onEscape: (() => void) | null;
  wide?: boolean;
  /** `data-stage`, for dialogs that go through stages. */
  stage?: string;
  children: ReactNode;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog({ titleId, testId, onEscape, wide = false, stage, children }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const escape = useRef(onEscape);
  escape.current = onEscape;
  // Read while rendering, before an autoFocus button inside takes the focus.
  const opener = useRef(document.activeElement instanceof HTMLElement ? document.activeElement : null);

  useEffect(() => {
    const before = opener.current;
    const dialog = ref.current;
    if (dialog && !dialog.contains(document.activeElement)) dialog.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && escape.current) {
        event.preventDefault();
        escape.current();
      } else if (event.key === 'Tab' && dialog) {
        keepTabInside(dialog, event);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (before?.isConnected) before.focus();
    };
  }, []);

  return (
    <div className="dialog-backdrop">
      <div ref={ref} className={`dialog ${wide ? 'wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId} data-stage={stage} tabIndex={-1}>
        {children}
      </div>
    </div>
  );
}

function keepTabInside(dialog: HTMLElement, event: KeyboardEvent): void {
  const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[hidden]'));
  if (items.length === 0) return;
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === dialog)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}
