/** This Tagkeeper's version: package.json's, found above the running file (main/cli/ from source, dist/main/cli/ built). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function tagkeeperVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tagkeeper' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
