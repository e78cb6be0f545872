/** Runs the real `tagkeeper` command (bin/tagkeeper.js → dist/) as a child process. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tagkeeper.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws with the output when it is not JSON). */
  json<T = any>(): T;
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  if (!existsSync(join(ROOT, 'dist', 'main', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the integration tests (npm test does)');
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({
          code,
          stdout,
          stderr,
          json() {
            try {
              return JSON.parse(stdout);
            } catch {
              throw new Error(`tagkeeper ${args.join(' ')} printed no JSON (exit ${code}).\nstdout: ${stdout}\nstderr: ${stderr}`);
            }
          },
        });
      },
    );
  });
}
