/**
 * What the fault matrix (issue 13) does to the world while a Tagkeeper process is stopped at a
 * step (fault-process.ts): fills the disk of its data directory (a small tmpfs), or kills the
 * engine and starts it again on the same data.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { processState, sleep } from './fault-process';
import type { TestSite } from './site';

// A full disk.

/** A data directory on a tmpfs of `sizeMiB` (mode 0700, as a data directory must be); `unmount` it when done. */
export function smallDisk(sizeMiB: number): { dir: string; unmount(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tk-full-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  assert.equal(mount.status, 0, `mount -t tmpfs (the fault matrix runs as root): ${mount.stderr}`);
  return {
    dir,
    unmount() {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the file system of `dir` up to its last byte with one file; returns the function that removes it. */
export function fillDisk(dir: string): () => void {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  try {
    for (const size of [1024 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return () => rmSync(file, { force: true });
}

// ---------------------------------------------------------------------------------------------
// The engine killed.

/**
 * Kills the site's dockerd with SIGKILL, with what it ran (its containerd and shims, by the
 * engine's own restart; the containers' processes, by their PIDs), runs `whileDown`, then
 * starts dockerd again on the same data and socket. Containers with a restart policy come
 * back as after any daemon crash.
 */
export async function killEngine(site: TestSite, whileDown: () => Promise<unknown> = async () => undefined): Promise<void> {
  const running = await site.docker.listContainers();
  const pids = (await Promise.all(running.map((c) => site.docker.getContainer(c.Id).inspect()))).map((info) => info.State.Pid).filter((pid) => pid > 0);
  const dir = dirname(site.engine.socketPath);
  const dockerd = Number(readFileSync(join(dir, 'pid'), 'utf8').trim());
  assert.ok(dockerd > 0, 'the engine wrote its PID');
  process.kill(dockerd, 'SIGKILL');
  await site.engine.restart(async () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone with its shim
      }
    }
    await whileDown();
    // The killed containerd may linger as a zombie for a moment: dockerd would take it for a live one and wait for it.
    const containerdPidFile = join(dir, 'e', 'containerd', 'containerd.pid');
    const containerd = existsSync(containerdPidFile) ? Number(readFileSync(containerdPidFile, 'utf8').trim()) : 0;
    for (let i = 0; containerd > 0 && i < 100 && processState(containerd) !== null && processState(containerd) !== 'Z'; i++) await sleep(50);
    rmSync(containerdPidFile, { force: true });
  });
}

/** After an engine restart: waits (up to 20 s) until each of the app's containers that the engine brings back runs. */
export async function engineSettled(site: TestSite, app: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const containers = await site.docker.listContainers({ all: true, filters: { label: [`tagkeeper.app=${app}`] } });
    if (containers.length > 0 && containers.every((c) => c.State === 'running' || c.State === 'exited' || c.State === 'created')) {
      const restarting = await Promise.all(containers.map(async (c) => (await site.docker.getContainer(c.Id).inspect()).State.Restarting));
      if (!restarting.some(Boolean)) return;
    }
    await sleep(250);
  }
}
