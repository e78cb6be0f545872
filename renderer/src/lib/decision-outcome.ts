/**
 * How an approval or a rejection ended, in words for the dialog: done, rolled back (with
 * the reason), failed, or queued behind other work. Pure.
 */
import type { ApproveAnswer, PendingUpdate } from '../../../main/api/types/updates';

export type DecisionTone = 'done' | 'rolled-back' | 'failed' | 'queued';

export interface DecisionOutcome {
  tone: DecisionTone;
  text: string;
}

const services = (rows: PendingUpdate[]) => [...new Set(rows.map((r) => r.service))].join(', ');

export function describeApproval(app: string, answer: ApproveAnswer): DecisionOutcome {
  const result = answer.result;
  const who = answer.approved[0]?.decidedBy;
  const by = who ? ` (approved by ${who})` : '';
  if (!('outcome' in result)) {
    return { tone: 'queued', text: `queued: ${app} switches when the work under way on it ends${by}` };
  }
  if (result.outcome === 'done') {
    const restarted = result.restarted ? ', restarted' : '';
    return { tone: 'done', text: `done: ${app} runs the approved digests of ${services(answer.approved)}${restarted}${by}` };
  }
  const reason = result.error?.message ?? 'no reason given';
  if (result.outcome === 'rolled-back') {
    return { tone: 'rolled-back', text: `rolled back: ${reason}; ${app} runs its previous digests again` };
  }
  return { tone: 'failed', text: `failed: ${reason}; ${app} runs what it ran before` };
}

export function describeRejection(app: string, rejected: PendingUpdate[]): DecisionOutcome {
  return { tone: 'done', text: `rejected for ${app}/${services(rejected)}: not proposed again until a different digest appears` };
}
