/**
 * The TagkeeperClient over Tagkeeper's HTTP API (`serve`), with nothing but `fetch`: the CLI
 * (handing its request to a running instance) and the browser renderer (which adds the event
 * stream and bundle files on top, renderer/src/client/http-client.ts) both use this one `call`.
 * What differs between them is how failures are worded for their reader: the options.
 */
import type { TagkeeperClient } from './client';
import type { OperationName, RequestOf, ResponseOf } from './contract';
import { unwrap, type Envelope } from './envelope';
import { TagkeeperError } from './errors';
import { OPERATION_PATH } from './routes';

export interface HttpClientOptions {
  fetch?: typeof fetch;
  /** How messages name the instance; default `the Tagkeeper instance at <baseUrl>` (`this Tagkeeper instance` for a page's own, baseUrl ''). */
  where?: string;
  /** How the refusal names the token; default `the token`. */
  tokenName?: string;
  /** What to check when the instance does not answer; default: whether `tagkeeper serve` still runs. */
  unreachableHint?: string;
  /** What to do when the token is refused; default: open the URL serve printed. */
  unauthorizedHint?: string;
  /** What to do about an HTTP status no client expects (the instance is another version); default: nothing said. */
  statusHint?: string;
}

/** The connection a client's extras (events, file transfers) build on, and its errors, worded as the options say. */
export interface HttpConnection {
  /** The instance's origin without a trailing slash; '' for the page's own. */
  readonly base: string;
  /** The token as an Authorization header. */
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: typeof fetch;
  /** The instance, as messages name it. */
  readonly where: string;
  /** `instance-unreachable`: no answer, or the answer broke off. */
  unreachable(message: string): TagkeeperError;
  /** `unauthorized`: the instance refused the token. */
  unauthorized(): TagkeeperError;
  /** `instance-error`: an HTTP status the client does not expect. */
  unexpectedStatus(message: string, hint?: string): TagkeeperError;
}

export interface HttpClient extends TagkeeperClient {
  readonly connection: HttpConnection;
}

export function httpClient(baseUrl: string, token: string, options: HttpClientOptions = {}): HttpClient {
  const base = baseUrl.replace(/\/+$/, '');
  const where = options.where ?? (base === '' ? 'this Tagkeeper instance' : `the Tagkeeper instance at ${base}`);
  const connection: HttpConnection = {
    base,
    headers: { authorization: `Bearer ${token}` },
    // Never a method call: the browser's fetch refuses to run with another object as `this`.
    fetch: (input, init) => (options.fetch ?? fetch)(input, init),
    where,
    unreachable: (message) => new TagkeeperError('instance-unreachable', message, { hint: options.unreachableHint ?? 'is `tagkeeper serve` still running?' }),
    unauthorized: () => new TagkeeperError('unauthorized', `${where} refused ${options.tokenName ?? 'the token'}`, {
      hint: options.unauthorizedHint ?? 'open the URL that `tagkeeper serve` printed, with its #token',
    }),
    unexpectedStatus: (message, hint = options.statusHint) => new TagkeeperError('instance-error', message, { hint }),
  };

  async function call<K extends OperationName>(operation: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
    let response: Response;
    try {
      response = await connection.fetch(`${base}${OPERATION_PATH}${operation}`, {
        method: 'POST',
        headers: { ...connection.headers, 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
    } catch (error) {
      throw connection.unreachable(`${where} did not answer ${operation} (${(error as Error).message})`);
    }
    if (response.status === 401) throw connection.unauthorized();
    if (!response.ok) throw connection.unexpectedStatus(`${where} answered HTTP ${response.status} to ${operation}`);
    return unwrap((await response.json()) as Envelope<ResponseOf<K>>);
  }

  return { call, connection };
}
