/**
 * Plain GETs to the engine over node:http: `/_ping`, `/version` and the image reads. dockerode
 * loads gRPC and protobuf when it is required (~200 ms of a CLI run), so commands that only
 * read (`check`, `bundle import`) never load it. The image load (load-image.ts) goes to the
 * same place.
 */
import { request } from 'node:http';
import type Docker from 'dockerode';

export interface ProbeAnswer {
  status: number;
  body: string;
}

/** Where node:http requests to the engine go: its unix socket, or host and port. */
export function requestTarget(connection: Docker.DockerOptions): { socketPath: string } | { host: string; port: number } {
  return connection.socketPath ? { socketPath: connection.socketPath } : { host: connection.host as string, port: Number(connection.port ?? 2375) };
}

export function probe(connection: Docker.DockerOptions, path: string, signal: AbortSignal): Promise<ProbeAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ ...requestTarget(connection), path, method: 'GET', headers: { host: 'docker' }, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
