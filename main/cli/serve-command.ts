/**
 * `tagkeeper serve`: the headless twin of the desktop app, on 127.0.0.1.
 *
 * The token is printed only to a terminal: stdout that goes to a pipe, a log or a journal
 * gets the URL without it and where to find it (serve.json in the data directory, readable
 * by this user only, or the file named with --print-url-to, made new with mode 0600).
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { TagkeeperError } from '../api/errors';
import { instanceTarget } from './instance-target';
import type { CliIo } from './program';

export function addServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('serve the UI and the API on 127.0.0.1 (reach it through an SSH tunnel); runs until stopped')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', '0')
    .option('--print-url-to <file>', 'also write the URL with its token to FILE (made new, readable by you only; removed when serve stops)')
    .action(async (o) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new TagkeeperError('invalid-input', `--port ${o.port} is not a port number`, { hint: 'use 0-65535 (0: any free port)' });
      }
      const urlFile = o.printUrlTo === undefined ? null : claimUrlFile(resolve(o.printUrlTo));
      // Loaded here: the HTTP shell and the core are start-up cost every other command would pay.
      const { serve } = require('../shells/serve') as typeof import('../shells/serve');
      let served: Awaited<ReturnType<typeof serve>>;
      try {
        served = await serve({ port, ...instanceTarget(io.globals()) });
      } catch (error) {
        urlFile?.discard();
        throw error;
      }
      // Listening before the line goes out: whoever reads it may stop serve at once, and cleanly.
      const stopped = new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      urlFile?.write(served.shell.url);
      const base = `http://127.0.0.1:${served.shell.port}/`;
      const terminal = (io.stdout as NodeJS.WriteStream).isTTY === true;
      const where = urlFile
        ? `the URL with its token is in ${urlFile.path}`
        : `it is in ${join(served.instance.dataDir, 'serve.json')}, readable by you only (open ${base}#token=TOKEN), or start serve with --print-url-to FILE`;
      io.stdout.write(terminal ? `Tagkeeper is serving on ${served.shell.url}\n` : `Tagkeeper is serving on ${base} — the token is not printed, as stdout is not a terminal: ${where}\n`);
      if (served.shell.missingInterface !== null) {
        io.stderr.write(`tagkeeper: the interface is not built (no index.html in ${served.shell.missingInterface}): the API answers, a browser gets "not found"; build it with npm run build and start serve again\n`);
      }
      await stopped;
      urlFile?.discard();
      await served.stop();
    });
}

/**
 * The --print-url-to file, made new before serve starts (exclusive create, mode 0600: a file
 * or link already there, perhaps someone else's, never receives the token).
 */
function claimUrlFile(path: string): { path: string; write(url: string): void; discard(): void } {
  let fd: number | null;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new TagkeeperError('invalid-input', `--print-url-to ${path}: something is there already; the file is made new, so that no other file or link receives the token`, {
        hint: 'remove it, or name a path that does not exist yet',
      });
    }
    throw new TagkeeperError('invalid-input', `--print-url-to ${path}: cannot create it (${code ?? (error as Error).message})`, { hint: 'name a file in a folder you can write to' });
  }
  const close = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  return {
    path,
    write(url) {
      writeSync(fd!, `${url}\n`);
      close();
    },
    discard() {
      close();
      rmSync(path, { force: true });
    },
  };
}
