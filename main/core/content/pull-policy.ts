/**
 * The seed's pull-policy rules as one pure decision (PRODUCT.md, behaviour 1 and 2):
 *
 * - image absent locally: pull (unless the policy is `never`);
 * - present, policy `always`: ask the registry for the manifest digest and pull only if it
 *   differs from what is on disk; if the registry cannot be reached, fail;
 * - present, `if-not-present` ("use existing"): no registry traffic;
 * - `never`: the image must already be local;
 * - a pinned reference whose content is on disk needs no registry: the digest cannot move.
 */
import type { PullPolicy } from '../../api/types/apps';

export type AcquireDecision =
  /** Run what is on disk; send nothing to the registry. */
  | { action: 'use-local'; reason: 'pinned-content-present' | 'policy-uses-existing' }
  /** Resolve the reference at the registry; pull only if that content is not on disk. */
  | { action: 'resolve' }
  /** Refuse: the policy forbids what would be needed. */
  | { action: 'refuse'; reason: 'never-and-absent' };

export interface AcquireSituation {
  policy: PullPolicy;
  pinned: boolean;
  /** Whether content for this reference is on disk (for a pin: that exact digest). */
  localPresent: boolean;
}

export function decideAcquire({ policy, pinned, localPresent }: AcquireSituation): AcquireDecision {
  if (localPresent && pinned) return { action: 'use-local', reason: 'pinned-content-present' };
  if (localPresent && policy !== 'always') return { action: 'use-local', reason: 'policy-uses-existing' };
  if (!localPresent && policy === 'never') return { action: 'refuse', reason: 'never-and-absent' };
  return { action: 'resolve' };
}

/** The app's own policy, else the device default. */
export function effectivePolicy(appPolicy: PullPolicy | null, devicePolicy: PullPolicy): PullPolicy {
  return appPolicy ?? devicePolicy;
}
