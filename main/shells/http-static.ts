/**
 * The interface's files (dist/renderer) for the HTTP shell, read once when serve starts and
 * answered from memory. A page asks for app.js and, a moment later, its early script asks for
 * the first screen's data; a read from disk finishes on the event loop, behind the first
 * `apps:list` (~100 ms for 1,000 apps), so app.js came after the data. From memory it goes out
 * as soon as it is asked for. They are also the files of the version that is running: an
 * upgrade on disk does not hand the running API a newer interface.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';

export interface StaticFile {
  content: Buffer;
  contentType: string;
  /** A strong validator of the content (`"…"`), for If-None-Match. */
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Every regular file of a served type under `dir`, by URL path (`/app.js`); links are not
 * followed. None when `dir` is missing.
 */
export function loadStaticFiles(dir: string): ReadonlyMap<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (folder: string, urlPath: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path, `${urlPath}${entry.name}/`);
      const contentType = TYPES[extname(entry.name)];
      if (!entry.isFile() || !contentType) continue;
      const content = readFileSync(path);
      const etag = `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;
      files.set(`${urlPath}${entry.name}`, { content, contentType, etag });
    }
  };
  if (existsSync(dir)) walk(dir, '/');
  return files;
}

/** The file a GET of `path` answers with (`/` is index.html); only the paths loaded are ever served. */
export function staticFileAt(files: ReadonlyMap<string, StaticFile>, path: string): StaticFile | undefined {
  return files.get(path === '/' ? '/index.html' : path);
}
