/** `tagkeeper serve`: the headless twin of the desktop app, on 127.0.0.1. */
import type { Command } from 'commander';
import { TagkeeperError } from '../api/errors';
import { instanceTarget } from './instance-target';
import type { CliIo } from './program';

export function addServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('serve the UI and the API on 127.0.0.1 (reach it through an SSH tunnel); runs until stopped')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', '0')
    .action(async (o) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new TagkeeperError('invalid-input', `--port ${o.port} is not a port number`, { hint: 'use 0-65535 (0: any free port)' });
      }
      // Loaded here: the HTTP shell and the core are start-up cost every other command would pay.
      const { serve } = require('../shells/serve') as typeof import('../shells/serve');
      const served = await serve({ port, ...instanceTarget(io.globals()) });
      io.stdout.write(`Tagkeeper is serving on ${served.shell.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await served.stop();
    });
}
