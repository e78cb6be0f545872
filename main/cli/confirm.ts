/**
 * Asking before what cannot be undone: a purge discards the app's volumes. On a terminal the
 * CLI asks (y/N, the volumes named); `--yes` answers for scripts; with no terminal and no
 * `--yes` it refuses in one line rather than guess.
 */
import { createInterface } from 'node:readline';
import type { TagkeeperClient } from '../api/client';
import { TagkeeperError } from '../api/errors';

/** Asks a yes/no question on the terminal: true for y/yes, false otherwise; null when there is no terminal to ask on. */
export type Ask = (question: string) => Promise<boolean | null>;

export function askOnTerminal(input: NodeJS.ReadStream, output: NodeJS.WritableStream): Ask {
  return (question) => {
    if (!input.isTTY) return Promise.resolve(null);
    const rl = createInterface({ input, output, terminal: true });
    return new Promise((resolve) => {
      rl.question(question, (answer) => {
        resolve(/^\s*y(es)?\s*$/i.test(answer));
        rl.close();
      });
      // Ctrl-D: no answer is a no.
      rl.once('close', () => resolve(false));
    });
  };
}

/**
 * Before `command` purges app `name`: asks on the terminal, naming its volumes (their data is
 * lost), unless `yes`. Throws when there is no terminal (bad usage: add --yes) or the answer is no.
 */
export async function confirmPurge(ask: Ask, client: TagkeeperClient, name: string, command: string, yes: boolean): Promise<void> {
  if (yes) return;
  const view = await client.call('apps:show', { name });
  const volumes = view.volumes ?? [];
  const lost = volumes.length === 0 ? 'it has no volumes of its own' : `its state in ${volumes.length === 1 ? 'volume' : 'volumes'} ${volumes.join(', ')} is lost`;
  const answer = await ask(`${command} discards the state of app ${name}: ${lost}. Purge it? [y/N] `);
  if (answer === null) {
    throw new TagkeeperError('invalid-input', `${command} discards the state of app ${name} (${lost}) and there is no terminal to ask on`, {
      hint: 'add --yes to purge without asking',
    });
  }
  if (!answer) throw new TagkeeperError('cancelled', `app ${name} was not purged: the answer was no`);
}
