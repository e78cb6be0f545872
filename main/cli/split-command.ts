/**
 * `--cmd "..."` split into words as a shell would split it, without a shell: quotes group
 * words, and a `$VAR` stays literally `$VAR` (the container's shell, if the command runs one,
 * expands it there; this shell's variables never leak into the app). Operators and globs are
 * refused: they need a shell, so the user says so with `sh -c '…'`.
 */
import { parse as parseShell } from 'shell-quote';
import { TagkeeperError } from '../api/errors';

export function splitCommand(command: string): string[] {
  const parts = parseShell(command, (name) => `$${name}`);
  if (parts.some((p) => typeof p !== 'string')) {
    throw new TagkeeperError('invalid-input', `--cmd "${command}" contains shell operators or globs`, {
      hint: 'to use a shell, write --cmd "sh -c \'...\'"',
    });
  }
  if (parts.length === 0) throw new TagkeeperError('invalid-input', '--cmd is empty', { hint: "leave --cmd out to use the image's command" });
  return parts as string[];
}
