/**
 * A private OpenSSH server for one test file, on 127.0.0.1 and a free port, with its own host
 * key, config and authorized key (made by ssh-keygen here): `sshd -f CONFIG -D -e`, never the
 * system's sshd or its config. Logins are root's with the generated key only (the tests run as
 * root; the remote command is the docker CLI, as for `docker -H ssh://…`).
 *
 * The client side is the system's `ssh` as Tagkeeper (and the docker CLI) run it, told about
 * this server through `binDir`: an `ssh` there runs /usr/bin/ssh with a private config (the
 * generated key, this server's host key in a private known_hosts, nothing from ~/.ssh). Put
 * `binDir` first on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './registry';

export interface TestSshd {
  port: number;
  /** Holds the `ssh` wrapper: put it first on PATH. */
  binDir: string;
  /** `PATH` with binDir first. */
  path: string;
  /** The private known_hosts (holding this server's key). */
  knownHosts: string;
  /** Everything sshd logged (-e: to stderr). */
  log(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

export async function startSshd(): Promise<TestSshd> {
  const sshd = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((path) => existsSync(path));
  if (!sshd) throw new Error('sshd not found: install the Debian package openssh-server (apt-get install openssh-server)');
  if (process.getuid?.() !== 0) throw new Error('the ssh tests start sshd and log in as root: run them as root');
  // sshd's privilege separation needs this folder (the openssh-server package makes it at boot).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const dir = mkdtempSync('/tmp/tk-sshd-');
  const file = (name: string) => join(dir, name);
  const keygen = (name: string) => {
    const run = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `tagkeeper-test-${name}`, '-f', file(name)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`ssh-keygen failed: ${run.stderr || run.error?.message}`);
  };
  keygen('host_key');
  keygen('client_key');
  writeFileSync(file('authorized_keys'), readFileSync(file('client_key.pub')));
  const port = await freePort();
  writeFileSync(
    file('sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${file('host_key')}`,
      `PidFile ${file('sshd.pid')}`,
      `AuthorizedKeysFile ${file('authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'AllowUsers root',
      'StrictModes no',
      'UsePAM no',
      'PrintMotd no',
      '',
    ].join('\n'),
  );
  const [keyType, key] = readFileSync(file('host_key.pub'), 'utf8').trim().split(/\s+/);
  writeFileSync(file('known_hosts'), `[127.0.0.1]:${port} ${keyType} ${key}\n`);
  writeFileSync(
    file('ssh_config'),
    [
      'Host *',
      `  IdentityFile ${file('client_key')}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${file('known_hosts')}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const binDir = file('bin');
  mkdirSync(binDir);
  writeFileSync(join(binDir, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${file('ssh_config')} "$@"\n`);
  chmodSync(join(binDir, 'ssh'), 0o755);

  const child = spawn(sshd, ['-f', file('sshd_config'), '-D', '-e'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    process.removeListener('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`sshd did not start on 127.0.0.1:${port}: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, binDir, path: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, knownHosts: file('known_hosts'), log: () => log, stop };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
