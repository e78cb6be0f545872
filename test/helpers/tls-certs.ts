/**
 * Certificates for a Docker Engine on TCP with TLS, made by openssl as Docker's "Protect the
 * Docker daemon socket" guide makes them: a CA, a server certificate for 127.0.0.1 and a
 * client certificate (extendedKeyUsage clientAuth), all signed by that CA. Also a second,
 * unrelated CA, to show that a certificate from another CA is refused.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsCertificates {
  dir: string;
  /** The docker CLI's file names, so `dir/client` works as DOCKER_CERT_PATH. */
  client: { dir: string; ca: string; cert: string; key: string };
  server: { ca: string; cert: string; key: string };
  /** A CA that signed nothing here: trusting it instead must fail verification. */
  otherCa: string;
}

export function makeCertificates(dir: string): TlsCertificates {
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  const run = (args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (result.error) throw new Error(`openssl could not run (Debian package openssl): ${result.error.message}`);
    if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  };
  const newCa = (name: string) => {
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', file(`${name}-key.pem`), '-out', file(`${name}.pem`)]);
  };
  const issue = (name: string, extensions: string) => {
    writeFileSync(file(`${name}.ext`), extensions);
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', file(`${name}-key.pem`), '-out', file(`${name}.csr`)]);
    run(['x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca-key.pem'), '-CAcreateserial', '-days', '2', '-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`)]);
  };
  newCa('ca');
  newCa('other-ca');
  issue('server', 'subjectAltName = IP:127.0.0.1,DNS:localhost\nextendedKeyUsage = serverAuth\n');
  issue('client', 'extendedKeyUsage = clientAuth\n');

  // A DOCKER_CERT_PATH folder: ca.pem, cert.pem, key.pem.
  const clientDir = join(dir, 'client');
  mkdirSync(clientDir);
  const copy = (from: string, to: string) => copyFileSync(file(from), join(clientDir, to));
  copy('ca.pem', 'ca.pem');
  copy('client.pem', 'cert.pem');
  copy('client-key.pem', 'key.pem');
  return {
    dir,
    client: { dir: clientDir, ca: join(clientDir, 'ca.pem'), cert: join(clientDir, 'cert.pem'), key: join(clientDir, 'key.pem') },
    server: { ca: file('ca.pem'), cert: file('server.pem'), key: file('server-key.pem') },
    otherCa: file('other-ca.pem'),
  };
}
