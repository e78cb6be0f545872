/**
 * Plain GETs to the engine over node:http: `/_ping`, `/version` and the image reads. dockerode
 * loads gRPC and protobuf when it is required (~200 ms of a CLI run), so commands that only
 * read (`check`, `bundle import`) never load it. The image load (load-image.ts) goes to the
 * same place, through the same connection (engine-connection.ts).
 */
import type { EngineConnection } from './engine-connection';

export interface ProbeAnswer {
  status: number;
  body: string;
}

export function probe(connection: EngineConnection, path: string, signal: AbortSignal): Promise<ProbeAnswer> {
  return new Promise((resolve, reject) => {
    const req = connection.request({ path, method: 'GET', headers: { host: 'docker' }, signal });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
