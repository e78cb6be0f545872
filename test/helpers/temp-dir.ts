/**
 * Folders a test file makes under the system's temporary folder, removed when the file's
 * process exits (the test runner runs each file in a process of its own), whether its tests
 * passed or not: repeated runs leave nothing behind in /tmp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A new folder `<tmp>/<prefix>XXXXXX`, removed when this process exits. */
export function tempDir(prefix: string): string {
  if (made.length === 0) process.once('exit', () => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
