/**
 * An engine behind ssh, reached the way the docker CLI reaches it: each connection is the
 * system's `ssh` running `docker system dial-stdio` on the remote box, whose stdin and stdout
 * carry the HTTP of the Docker API. Using the system's ssh (not a library) means the user's
 * ~/.ssh/config, keys, ssh-agent and known_hosts apply exactly as for `docker -H ssh://…`.
 * Tagkeeper never prompts (BatchMode): the key must work without a passphrase prompt.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Agent, type AgentOptions, type ClientRequest } from 'node:http';
import { Duplex } from 'node:stream';
import { TagkeeperError } from '../api/errors';
import type { EngineAddress } from './docker-host';

type SshAddress = Extract<EngineAddress, { kind: 'ssh' }>;

/** Idle connections kept for the next request, and how long. */
const IDLE_CONNECTIONS = 2;
const IDLE_MS = 30_000;
/** What of ssh's stderr is kept for the error. */
const STDERR_KEPT = 4096;

/** The command line the docker CLI runs (cli/connhelper), plus BatchMode so that nothing ever waits for a prompt. */
export function sshArguments(address: SshAddress): string[] {
  const args = ['-o', 'ConnectTimeout=30', '-o', 'BatchMode=yes', '-T'];
  if (address.user) args.push('-l', address.user);
  if (address.port) args.push('-p', String(address.port));
  const remote = ['docker', ...(address.socketPath ? ['--host', `unix://${address.socketPath}`] : []), 'system', 'dial-stdio'];
  return [...args, '--', address.host, ...remote];
}

/** An http.Agent whose connections are `ssh … docker system dial-stdio` processes. */
export class SshAgent extends Agent {
  constructor(
    private readonly address: SshAddress,
    private readonly endpoint: string,
    options: AgentOptions = {},
  ) {
    super({ keepAlive: true, maxFreeSockets: IDLE_CONNECTIONS, ...options });
  }

  // node:http takes any Duplex a custom agent returns as the connection.
  override createConnection(): Duplex {
    return new SshCommandConnection(spawn('ssh', sshArguments(this.address), { stdio: ['pipe', 'pipe', 'pipe'] }), this.endpoint);
  }

  /** A connection kept for the next request ends its ssh process after IDLE_MS unused. */
  override keepSocketAlive(socket: Duplex): boolean {
    const kept = (super.keepSocketAlive as (socket: Duplex) => boolean)(socket);
    if (kept && socket instanceof SshCommandConnection) socket.closeWhenIdle(IDLE_MS);
    return kept;
  }

  override reuseSocket(socket: Duplex, request: ClientRequest): void {
    if (socket instanceof SshCommandConnection) socket.closeWhenIdle(0);
    super.reuseSocket(socket, request);
  }
}

/** The ssh process as a socket: its stdout is what the engine says, its stdin what it is told. */
class SshCommandConnection extends Duplex {
  private stderr = '';
  private received = false;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly endpoint: string,
  ) {
    super();
    child.stdout.on('data', (chunk: Buffer) => {
      this.received = true;
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_KEPT);
    });
    child.stdin.on('error', () => undefined); // the process ended: its exit says why
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT';
      this.destroy(
        new TagkeeperError('engine-unreachable', `Docker Engine not reachable at ${endpoint} (${missing ? 'there is no ssh command' : `ssh could not be started: ${error.message}`})`, {
          hint: missing ? 'install the ssh client (Debian package openssh-client)' : 'check that ssh runs for this user',
          cause: error,
        }),
      );
    });
    // After stdout and stderr are closed: the end of what the engine said, or ssh's reason for failing.
    child.on('close', (code, signal) => {
      this.closeWhenIdle(0);
      if (this.destroyed) return;
      if (code !== 0 && !this.received) this.destroy(this.failure(code, signal));
      else this.push(null);
    });
  }

  private failure(code: number | null, signal: NodeJS.Signals | null): TagkeeperError {
    const said = this.stderr.trim().split('\n').filter((line) => line.trim()).at(-1)?.trim().replace(/^ssh: /, '');
    const how = said ?? (signal ? `ssh was stopped by ${signal}` : `ssh exited with ${code}`);
    return new TagkeeperError('engine-unreachable', `Docker Engine not reachable at ${this.endpoint} (ssh: ${how})`, {
      hint: 'check that this works without a prompt: ssh [-p PORT] [USER@]HOST docker system dial-stdio (a key or ssh-agent, the host in known_hosts, docker usable by that user there)',
    });
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.child.stdin.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.closeWhenIdle(0);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    callback(error);
  }

  // What node:http and its Agent ask of a socket.
  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  /** Nothing times out on its own here: idle connections are closed by the agent (closeWhenIdle). */
  setTimeout(): this {
    return this;
  }

  ref(): this {
    this.child.ref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) (stream as unknown as { ref?: () => void }).ref?.();
    return this;
  }

  /** An idle connection does not keep the process alive (the Agent unrefs the ones it keeps). */
  unref(): this {
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    return this;
  }

  /** Ends the connection (its ssh process) after `ms` unless used again first; 0: not any more. */
  closeWhenIdle(ms: number): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (ms > 0 && !this.destroyed) {
      this.idleTimer = setTimeout(() => this.destroy(), ms);
      this.idleTimer.unref();
    }
  }
}
