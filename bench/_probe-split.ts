import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, createReadStream, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import http from 'node:http';
import Docker from 'dockerode';
import { startEngine } from '../test/helpers/engine';
import { buildImage, pushImage } from '../test/helpers/image-builder';
import { createApp } from '../test/helpers/lifecycle';
import { startSite } from '../test/helpers/site';
import { median } from './measure';
const run = promisify(execFile);

function load(socketPath: string, file: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method: 'POST', path: '/images/load?quiet=1', headers: { 'content-type': 'application/x-tar', 'content-length': statSync(file).size } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(performance.now() - t0));
    });
    req.on('error', reject);
    createReadStream(file, { highWaterMark: 1 << 20 }).pipe(req);
  });
}
async function main() {
  const [connected, engine] = await Promise.all([startSite(), startEngine({ name: 'probe' })]);
  const docker = new Docker({ socketPath: engine.socketPath });
  const work = mkdtempSync(join(tmpdir(), 'tk-probe-'));
  try {
    const ids: string[] = [];
    const refs: Record<string, string> = {};
    for (let i = 0; i < 3; i++) {
      const image = await buildImage({ marker: `bundle-bench-${i}`, filler: 33e6 });
      await pushImage(connected.registry.url, `bench/svc${i}`, 'v2', image);
      refs[`svc${i}`] = `${connected.registry.host}/bench/svc${i}:v2`;
      ids.push(image.configDigest);
    }
    await createApp(connected, 'x', refs);
    const env = { PATH: process.env.PATH, DOCKER_HOST: connected.engine.dockerHost };
    const all = join(work, 'all.tar');
    await run('docker', ['save', '-o', all, ...ids], { env });
    const singles = ids.map((_, i) => join(work, `s${i}.tar`));
    for (let i = 0; i < 3; i++) await run('docker', ['save', '-o', singles[i], ids[i]], { env });
    const empty = async () => { for (const im of await docker.listImages({ all: true })) await docker.getImage(im.Id).remove({ force: true }); await run('sync'); };
    const r: Record<string, number[]> = { one: [], concurrent: [], staggered: [], sequential: [] };
    for (let round = 0; round < 6; round++) {
      await empty(); r.one.push(await load(engine.socketPath, all));
      await empty(); { const t = performance.now(); await Promise.all(singles.map((f) => load(engine.socketPath, f))); r.concurrent.push(performance.now() - t); }
      await empty(); { const t = performance.now(); await Promise.all(singles.map((f, i) => new Promise((res) => setTimeout(res, 130 * i)).then(() => load(engine.socketPath, f)))); r.staggered.push(performance.now() - t); }
      await empty(); { const t = performance.now(); for (const f of singles) await load(engine.socketPath, f); r.sequential.push(performance.now() - t); }
    }
    for (const [k, v] of Object.entries(r)) console.log(k.padEnd(11), median(v).toFixed(0), v.map((x) => x.toFixed(0)).join(' '));
  } finally {
    await Promise.allSettled([connected.stop(), engine.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
