/**
 * Where `tagkeeper serve` puts its token: to a terminal (`npm start` on one prints a URL that
 * opens the UI), to the --print-url-to file (made new with mode 0600, removed when serve
 * stops), and never into piped stdout or stderr (logs, journals), which get the URL without
 * it and where to find it. A --print-url-to path that exists already (a file, a link) is
 * refused before anything starts. No engine is needed for any of it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/cli';
import { startServe, type ServedProcess } from '../helpers/serve';

const NO_ENGINE = 'unix:///tmp/tagkeeper-no-such.sock';
const WAIT_MS = 30_000;
let dir: string;
let served: ServedProcess;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tk-token-'));
  served = await startServe({ dockerHost: NO_ENGINE, dataDir: join(dir, 'piped') });
});
after(async () => {
  await served?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = (dataDir: string): NodeJS.ProcessEnv => {
  const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...rest } = process.env;
  return { ...rest, DOCKER_HOST: NO_ENGINE, TAGKEEPER_DATA_DIR: dataDir };
};

interface Ran {
  match: RegExpExecArray;
  output: string;
  code: number | null;
  /** What serve.json said while serve ran. */
  running: { url: string; token: string; pid: number };
}

/** Runs `command` until its output matches `line`, then SIGTERMs the serve process (its PID from serve.json) and waits for the exit. */
async function runUntil(command: string, args: string[], dataDir: string, line: RegExp): Promise<Ran> {
  const child = spawn(command, args, { cwd: ROOT, env: env(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let output = '';
  const onData = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  try {
    const match = await new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${line} within ${WAIT_MS / 1000} s; output: ${output}`)), WAIT_MS);
      const look = () => {
        const m = line.exec(output);
        if (!m) return;
        clearTimeout(timer);
        resolve(m);
      };
      child.stdout.on('data', look);
      child.stderr.on('data', look);
      void exited.then((code) => reject(new Error(`exited (${code}) before printing ${line}: ${output}`)));
    });
    const running = JSON.parse(readFileSync(join(dataDir, 'serve.json'), 'utf8')) as Ran['running'];
    process.kill(running.pid, 'SIGTERM');
    return { match, output, code: await exited, running };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

test('piped stdout and stderr carry no token: the line says where it is, and the --print-url-to file (0600) holds the URL', () => {
  assert.ok(
    served.stdout().includes(`Tagkeeper is serving on ${served.baseUrl}/ — the token is not printed, as stdout is not a terminal: the URL with its token is in ${served.urlFile}\n`),
    served.stdout(),
  );
  assert.ok(!served.stdout().includes(served.token), 'no token on stdout');
  assert.ok(!served.stderr().includes(served.token), 'no token on stderr');
  assert.equal(statSync(served.urlFile).mode & 0o777, 0o600);
  assert.equal(readFileSync(served.urlFile, 'utf8'), `${served.baseUrl}/#token=${served.token}\n`);
});

test('without --print-url-to, piped stdout names serve.json for the token', async () => {
  const dataDir = join(dir, 'plain');
  const { match, output, code, running } = await runUntil(process.execPath, [join(ROOT, 'bin', 'tagkeeper.js'), 'serve'], dataDir, /^Tagkeeper is serving on (http:\/\/127\.0\.0\.1:\d+\/) .*$/m);
  assert.equal(code, 0);
  assert.equal(
    match[0],
    `Tagkeeper is serving on ${match[1]} — the token is not printed, as stdout is not a terminal: it is in ${join(dataDir, 'serve.json')}, readable by you only (open ${match[1]}#token=TOKEN), or start serve with --print-url-to FILE`,
  );
  assert.ok(!output.includes(running.token), 'no token in the output');
});

test('on a terminal, npm start prints the URL with its token, and that token is the one serve checks', async () => {
  const dataDir = join(dir, 'terminal');
  // script(1) gives the command a pseudo-terminal: what a person running npm start sees.
  const { match, output, code, running } = await runUntil('script', ['-q', '-e', '-c', 'node scripts/start.js', '/dev/null'], dataDir, /Tagkeeper is serving on (http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)/);
  assert.match(output, /starting the headless mode \(tagkeeper serve\); open the URL below/);
  assert.equal(code, 0, output);
  assert.equal(match[1], running.url);
  assert.equal(match[2], running.token);
});

test('a --print-url-to path that exists already (a file, or a link to one) is refused, before serve starts, and left as it was', async () => {
  const dataDir = join(dir, 'refused');
  const planted = join(dir, 'planted');
  writeFileSync(planted, 'someone else\'s\n');
  const link = join(dir, 'link');
  symlinkSync(planted, link);
  for (const target of [planted, link]) {
    const result = await runCli(['serve', '--print-url-to', target], { DOCKER_HOST: NO_ENGINE, TAGKEEPER_DATA_DIR: dataDir });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(
      result.stderr,
      `tagkeeper: --print-url-to ${target}: something is there already; the file is made new, so that no other file or link receives the token (remove it, or name a path that does not exist yet)\n`,
    );
  }
  assert.equal(readFileSync(planted, 'utf8'), 'someone else\'s\n');
  assert.equal(lstatSync(link).isSymbolicLink(), true);
  assert.equal(existsSync(join(dataDir, 'serve.json')), false, 'serve did not start');
});

test('SIGTERM stops serve and removes the --print-url-to file', async () => {
  assert.equal(await served.stop(), 0);
  assert.equal(existsSync(served.urlFile), false);
});
