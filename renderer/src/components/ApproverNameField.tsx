/** @jsxRuntime automatic */
/**
 * The approver's name, asked wherever the UI approves (the approve dialog, the Bundles
 * screen's Import and approve): it starts from the name this browser remembers
 * (approver-name.ts), takes at most what the core does, holds the approval back while it is
 * blank, and is remembered when the approval goes. The core records it beside the user
 * Tagkeeper runs as (`Ana (via serve as root)`).
 */
import { useState } from 'react';
import { APPROVER_MAX, rememberApprover, rememberedApprover } from '../lib/approver-name';
import { Field } from './FormField';

/** Why an approval is held back without a name. */
export const APPROVER_NEEDED = 'give your name: the ledger records who approved';

export interface ApproverName {
  /** As typed. */
  value: string;
  setValue(value: string): void;
  /** Trimmed: what goes to the core ('' when none). */
  named: string;
  /** Why the approval waits (no name yet), or null. */
  missing: string | null;
  /** Keep it for the next approval (call as the approval goes). */
  remember(): void;
}

export function useApproverName(): ApproverName {
  const [value, setValue] = useState(rememberedApprover);
  const named = value.trim();
  return { value, setValue, named, missing: named === '' ? APPROVER_NEEDED : null, remember: () => rememberApprover(named) };
}

export function ApproverNameField(props: { id: string; name: ApproverName; help?: string; onEnter?: () => void }) {
  const { id, name, onEnter } = props;
  return (
    <Field label="Your name" htmlFor={id} error={null} help={props.help ?? 'Recorded as the approver, beside the user Tagkeeper runs as; this browser remembers it.'}>
      <input id={id} data-testid={id} value={name.value} maxLength={APPROVER_MAX} autoComplete="name"
        onChange={(e) => name.setValue(e.target.value)} onKeyDown={(e) => (e.key === 'Enter' && onEnter ? onEnter() : undefined)} />
    </Field>
  );
}
