import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpShell } from '../../main/shells/http';
import { loadStaticFiles, staticFileAt } from '../../main/shells/http-static';
import type { Instance } from '../../main/shells/open-instance';

function rendererDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tk-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'app.js.map'), '{}');
  writeFileSync(join(dir, 'notes.txt'), 'not a served type');
  mkdirSync(join(dir, 'fonts'));
  writeFileSync(join(dir, 'fonts', 'icon.svg'), '<svg/>');
  return dir;
}

describe("the HTTP shell's interface files", () => {
  test('every file of a served type, by URL path, with its type; / is index.html; nothing else is served', () => {
    const dir = rendererDir();
    try {
      const files = loadStaticFiles(dir);
      assert.deepEqual([...files.keys()].sort(), ['/app.js', '/app.js.map', '/fonts/icon.svg', '/index.html']);
      assert.equal(staticFileAt(files, '/')?.content.toString(), '<!doctype html><title>t</title>');
      assert.equal(staticFileAt(files, '/')?.contentType, 'text/html; charset=utf-8');
      assert.equal(staticFileAt(files, '/app.js')?.contentType, 'text/javascript; charset=utf-8');
      assert.equal(staticFileAt(files, '/fonts/icon.svg')?.contentType, 'image/svg+xml');
      for (const path of ['/notes.txt', '/../index.html', '/fonts/../app.js', '/fonts', '/APP.JS']) assert.equal(staticFileAt(files, path), undefined, path);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('read once: a file changed or removed on disk afterwards is still served as it was', () => {
    const dir = rendererDir();
    try {
      const files = loadStaticFiles(dir);
      writeFileSync(join(dir, 'app.js'), 'console.log(2)');
      rmSync(join(dir, 'index.html'));
      assert.equal(staticFileAt(files, '/app.js')?.content.toString(), 'console.log(1)');
      assert.ok(staticFileAt(files, '/'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the ETag follows the content: equal for equal bytes, different otherwise', () => {
    const dir = rendererDir();
    try {
      writeFileSync(join(dir, 'copy.js'), 'console.log(1)');
      const files = loadStaticFiles(dir);
      const etag = staticFileAt(files, '/app.js')!.etag;
      assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);
      assert.equal(staticFileAt(files, '/copy.js')!.etag, etag);
      assert.notEqual(staticFileAt(files, '/index.html')!.etag, etag);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing folder serves nothing; links (to a folder or a file outside) are not followed', () => {
    assert.equal(loadStaticFiles(join(tmpdir(), 'tk-static-none-', String(process.pid))).size, 0);
    const dir = rendererDir();
    const outside = mkdtempSync(join(tmpdir(), 'tk-static-outside-'));
    try {
      writeFileSync(join(outside, 'secret.js'), 'secret');
      symlinkSync(outside, join(dir, 'linked'));
      symlinkSync(join(outside, 'secret.js'), join(dir, 'secret.js'));
      const files = loadStaticFiles(dir);
      assert.equal(staticFileAt(files, '/linked/secret.js'), undefined);
      assert.equal(staticFileAt(files, '/secret.js'), undefined);
      assert.ok(staticFileAt(files, '/app.js'), 'the regular files beside them are served');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('the HTTP shell serves them from memory', () => {
  const instance = { handlers: {}, events: new EventEmitter() } as unknown as Instance;

  test('a built interface: its page and scripts, as they were at the start; missingInterface is null', async () => {
    const dir = rendererDir();
    const shell = await startHttpShell({ instance, port: 0, token: 'test-token-0123456789', staticDir: dir });
    try {
      assert.equal(shell.missingInterface, null);
      writeFileSync(join(dir, 'app.js'), 'console.log(2)');
      const page = await fetch(`http://127.0.0.1:${shell.port}/`);
      assert.equal(page.status, 200);
      assert.equal(await page.text(), '<!doctype html><title>t</title>');
      const script = await fetch(`http://127.0.0.1:${shell.port}/app.js`);
      assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(await script.text(), 'console.log(1)');
      assert.equal((await fetch(`http://127.0.0.1:${shell.port}/notes.txt`)).status, 404);
    } finally {
      await shell.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an interface not built: missingInterface names the folder, and a page gets 404', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-static-empty-'));
    const shell = await startHttpShell({ instance, port: 0, token: 'test-token-0123456789', staticDir: dir });
    try {
      assert.equal(shell.missingInterface, dir);
      assert.equal((await fetch(`http://127.0.0.1:${shell.port}/`)).status, 404);
    } finally {
      await shell.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
