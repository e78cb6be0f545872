/**
 * A Docker-style token server for the test registry (auth 'token'), on 127.0.0.1 in the test
 * process. It issues RS256 JWTs whose `x5c` header carries a self-signed certificate (made
 * with the openssl CLI) that the registry trusts through its `rootcertbundle`, so the real
 * registry verifies real Bearer tokens. Every hit is recorded for assertions.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface TokenRequest {
  /** `repository:app:pull` …, space-joined when several; null when absent. */
  scope: string | null;
  service: string | null;
  /** User name of the Basic credentials sent (`oauth:CLIENT` for the OAuth2 POST), null when anonymous. */
  account: string | null;
  /** What the token server answered. */
  status: number;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  requests(): TokenRequest[];
  clear(): void;
  close(): Promise<void>;
}

export interface TokenServerOptions {
  /** Folder for the key and certificate. */
  dir: string;
  username?: string;
  password?: string;
  /** The refresh token the OAuth2 POST accepts (an identity token); none: OAuth is refused. */
  identityToken?: string;
  expiresIn: number;
}

const SERVICE = 'tagkeeper-test-registry';
const ISSUER = 'tagkeeper-test-issuer';

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const keyPath = join(options.dir, 'token-key.pem');
  const certPath = join(options.dir, 'token-cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '3650', '-subj', '/CN=tagkeeper test token issuer'],
    { stdio: 'ignore' },
  );
  const key = createPrivateKey(readFileSync(keyPath));
  const certDer = pemToDer(readFileSync(certPath, 'utf8'));
  const seen: TokenRequest[] = [];

  const server = createServer((req, res) => {
    if (req.method !== 'POST') return handle(req, res, null, { ...options, key, certDer, seen });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, new URLSearchParams(Buffer.concat(chunks).toString('utf8')), { ...options, key, certDer, seen }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service: SERVICE,
    issuer: ISSUER,
    certPath,
    requests: () => [...seen],
    clear: () => {
      seen.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface HandlerContext extends TokenServerOptions {
  key: KeyObject;
  certDer: Buffer;
  seen: TokenRequest[];
}

/** A GET with Basic credentials, or (form given) the OAuth2 POST that trades an identity token. */
function handle(req: IncomingMessage, res: ServerResponse, form: URLSearchParams | null, ctx: HandlerContext): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const params = form ?? url.searchParams;
  const scopes = params.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
  const record: TokenRequest = {
    scope: scopes.length ? scopes.join(' ') : null,
    service: params.get('service'),
    account: null,
    status: 200,
  };
  ctx.seen.push(record);
  const reply = (status: number, body: unknown): void => {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname !== '/token' || (req.method !== 'GET' && req.method !== 'POST')) return reply(404, { error: 'not found' });

  let authenticated = false;
  if (form) {
    // OAuth2 refresh-token grant: the identity token a `docker login` may keep instead of a password.
    record.account = `oauth:${form.get('client_id') ?? ''}`;
    authenticated = form.get('grant_type') === 'refresh_token' && ctx.identityToken !== undefined && form.get('refresh_token') === ctx.identityToken;
    if (!authenticated) return reply(401, { details: 'invalid refresh token' });
  }
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  if (basic && !form) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    record.account = colon >= 0 ? decoded.slice(0, colon) : decoded;
    authenticated = ctx.username === undefined || (record.account === ctx.username && decoded.slice(colon + 1) === ctx.password);
    if (!authenticated) return reply(401, { details: 'incorrect username or password' });
  }
  // Open token server: anyone gets what they ask. Closed one: anonymous gets no access.
  const grant = ctx.username === undefined || authenticated;
  const access = grant ? scopes.flatMap(parseScope) : [];
  const now = Math.floor(Date.now() / 1000);
  const token = jwt(
    { typ: 'JWT', alg: 'RS256', x5c: [ctx.certDer.toString('base64')] },
    {
      iss: ISSUER,
      sub: record.account ?? '',
      aud: params.get('service') ?? SERVICE,
      exp: now + ctx.expiresIn,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(12).toString('hex'),
      access,
    },
    ctx.key,
  );
  reply(200, { token, access_token: token, expires_in: ctx.expiresIn, issued_at: new Date(now * 1000).toISOString() });
}

/** `repository:app/x:pull,push` → one access entry. */
function parseScope(scope: string): { type: string; name: string; actions: string[] }[] {
  return scope
    .split(' ')
    .filter(Boolean)
    .map((one) => {
      const first = one.indexOf(':');
      const last = one.lastIndexOf(':');
      return { type: one.slice(0, first), name: one.slice(first + 1, last), actions: one.slice(last + 1).split(',').filter(Boolean) };
    });
}

function jwt(header: object, claims: object, key: KeyObject): string {
  const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${b64(header)}.${b64(claims)}`;
  const signature = sign('sha256', Buffer.from(input), key).toString('base64url');
  return `${input}.${signature}`;
}

function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}
