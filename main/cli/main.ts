/**
 * The CLI's entry: parse, run one command, print errors as one line, and exit 0 (done),
 * 1 (the operation failed) or 2 (bad usage or bad input).
 */
import { CommanderError } from 'commander';
import type { TagkeeperClient } from '../api/client';
import { asTagkeeperError, isBadInput } from '../api/errors';
import { httpClient } from '../api/http-client';
import type { Instance } from '../shells/open-instance';
import { findRunningInstance, isProcessAlive } from '../shells/running-instance';
import { checkRunningEngine, instanceTarget } from './instance-target';
import { buildProgram, type GlobalOptions } from './program';
import { askOnTerminal } from './confirm';
import { progressPrinter } from './progress-printer';

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

export async function main(argv: string[], io: { stdin?: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream } = process): Promise<number> {
  let instance: Instance | null = null;
  let exitCode: number = EXIT.ok;
  const progress = progressPrinter(io.stderr);
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const client = async (): Promise<TagkeeperClient> => {
    const target = instanceTarget(globals());
    // A desktop or headless instance on this data directory does the work: never act beside it.
    const running = findRunningInstance(target.dataDir, isProcessAlive);
    if (running) {
      const handedOver = httpClient(running.url, running.token);
      await checkRunningEngine(handedOver, running, target);
      return handedOver;
    }
    // Loaded here, not at the top: the core, store, engine and contract cost ~200 ms of start-up
    // that --help, usage errors and commands handed to a running instance should not pay.
    const { openInstance } = require('../shells/open-instance') as typeof import('../shells/open-instance');
    const { localClient } = require('../shells/local-client') as typeof import('../shells/local-client');
    instance ??= openInstance(target);
    instance.events.on('event', progress.onEvent);
    return localClient(instance.handlers);
  };
  const ask = askOnTerminal(io.stdin ?? process.stdin, io.stderr);
  const program = buildProgram({ stdout: io.stdout, stderr: io.stderr, client, globals, setExitCode: (code) => (exitCode = code), ask });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every usage error (and help shown because of one) exits 2.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    const e = asTagkeeperError(error);
    progress.done();
    io.stderr.write(`tagkeeper: ${e.sentence}\n`);
    return isBadInput(e.code) ? EXIT.badInput : EXIT.failed;
  } finally {
    progress.done();
    await (instance as Instance | null)?.close();
  }
}
