/**
 * The approver's name, as this browser remembers it (localStorage): asked in the approve
 * dialog, recorded in the ledger beside the user Tagkeeper runs as. A browser that keeps no
 * storage (private mode, a sandbox that refuses it) just asks every time.
 */
const KEY = 'tagkeeper.approver';
/** What the core takes (the contract's personName). */
export const APPROVER_MAX = 100;

type NameStorage = Pick<Storage, 'getItem' | 'setItem'>;

function browserStorage(): NameStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function rememberedApprover(storage: NameStorage | null = browserStorage()): string {
  try {
    return (storage?.getItem(KEY) ?? '').slice(0, APPROVER_MAX);
  } catch {
    return '';
  }
}

export function rememberApprover(name: string, storage: NameStorage | null = browserStorage()): void {
  try {
    storage?.setItem(KEY, name.trim());
  } catch {
    // not kept: asked again next time
  }
}
