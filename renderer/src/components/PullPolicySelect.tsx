/** @jsxRuntime automatic */
/** An app's pull policy: one of the policies, or the device default (named with its value). */
import { useStore } from 'zustand';
import { PULL_POLICIES, PULL_POLICY_MEANING } from '../../../main/api/types/apps';
import type { PullPolicyChoice } from '../lib/create-request';
import { useStores } from './StoresContext';

export function PullPolicySelect({ id, value, onChange }: { id: string; value: PullPolicyChoice; onChange: (value: PullPolicyChoice) => void }) {
  const { settings } = useStores();
  const device = useStore(settings, (s) => s.settings?.pullPolicy ?? 'always');
  return (
    <select id={id} data-testid={id} value={value} onChange={(e) => onChange(e.target.value as PullPolicyChoice)}>
      <option value="">device default ({device})</option>
      {PULL_POLICIES.map((p) => <option key={p} value={p}>{p}: {PULL_POLICY_MEANING[p]}</option>)}
    </select>
  );
}
