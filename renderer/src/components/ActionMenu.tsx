/** @jsxRuntime automatic */
/**
 * A menu button (WAI-ARIA menu button pattern): the button says it opens a menu
 * (`aria-haspopup`, `aria-expanded`); Enter, Space or ↓ open it on the first item, ↑ on the
 * last; ↑ ↓ Home End move between items; Esc closes it and gives the focus back to the button;
 * Tab or a click elsewhere closes it. An item that cannot apply stays in the menu, focusable,
 * marked `aria-disabled`, with its reason as its tooltip and its description. The items are
 * rendered only while the menu is open: a list of apps has a menu per row, and its first
 * screen need not build ~100 hidden buttons.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuItem {
  key: string;
  label: string;
  testId: string;
  /** Why the item cannot apply now; null when it can. */
  reason: string | null;
  /** The tooltip of an item that can apply. */
  help?: string;
  danger?: boolean;
  busy?: boolean;
  onSelect(): void;
}

/** Room a menu needs below its button before it opens upwards instead (px). */
const ROOM_BELOW = 280;

export function ActionMenu({ label, accessibleLabel, testId, items }: { label: string; accessibleLabel: string; testId: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const [up, setUp] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const focusOnOpen = useRef<'first' | 'last'>('first');
  const id = useId();

  const entries = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const focusAt = (index: number) => {
    const list = entries();
    if (list.length > 0) list[(index + list.length) % list.length].focus();
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  const show = (at: 'first' | 'last') => {
    const rect = button.current?.getBoundingClientRect();
    setUp(rect ? window.innerHeight - rect.bottom < ROOM_BELOW && rect.top > window.innerHeight - rect.bottom : false);
    focusOnOpen.current = at;
    setOpen(true);
  };

  useEffect(() => {
    if (!open) return;
    focusAt(focusOnOpen.current === 'first' ? 0 : -1);
    const outside = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const onButtonKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      show(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  };
  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const list = entries();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: list.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      focusAt(moves[event.key]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  };
  const choose = (item: MenuItem) => {
    if (item.reason) return;
    close(true);
    item.onSelect();
  };

  return (
    <span className="action-menu">
      <button
        ref={button}
        type="button"
        className="menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        aria-label={accessibleLabel}
        data-testid={testId}
        onClick={() => (open ? close(false) : show('first'))}
        onKeyDown={onButtonKey}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      <div ref={menu} id={`${id}-menu`} role="menu" aria-label={accessibleLabel} className={`menu ${up ? 'up' : ''}`} hidden={!open} onKeyDown={onMenuKey}>
        {open ? (
          <>
            {items.map((item) => (
              <button
                key={item.key}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={`menu-item ${item.danger ? 'danger' : ''} ${item.busy ? 'busy' : ''}`}
                data-testid={item.testId}
                aria-disabled={item.reason ? true : undefined}
                aria-describedby={item.reason ? `${id}-${item.key}-why` : undefined}
                title={item.reason ?? item.help}
                onClick={() => choose(item)}
              >
                {item.busy ? `${item.label.replace(/…$/, '')}…` : item.label}
              </button>
            ))}
            {items.map((item) =>
              item.reason ? (
                <span key={item.key} id={`${id}-${item.key}-why`} hidden>
                  {item.reason}
                </span>
              ) : null,
            )}
          </>
        ) : null}
      </div>
    </span>
  );
}
