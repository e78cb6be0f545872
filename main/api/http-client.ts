/**
 * The TagkeeperClient over Tagkeeper's HTTP API (`serve`), with nothing but `fetch`: the
 * browser renderer and the CLI (handing its request to a running instance) both use it.
 */
import type { TagkeeperClient } from './client';
import type { OperationName, RequestOf, ResponseOf } from './contract';
import { unwrap, type Envelope } from './envelope';
import { TagkeeperError } from './errors';

export const API_PREFIX = '/api/op/';
export const EVENTS_PATH = '/api/events';

export function httpClient(baseUrl: string, token: string, fetchImpl: typeof fetch = fetch): TagkeeperClient {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async call<K extends OperationName>(operation: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
      let response: Response;
      try {
        response = await fetchImpl(`${base}${API_PREFIX}${operation}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(request),
        });
      } catch (error) {
        throw new TagkeeperError('engine-unreachable', `the Tagkeeper instance at ${base} did not answer (${(error as Error).message})`, {
          hint: 'is `tagkeeper serve` still running?',
        });
      }
      if (response.status === 401) {
        throw new TagkeeperError('invalid-input', `the Tagkeeper instance at ${base} refused the token`, { hint: 'open the URL that `tagkeeper serve` printed, with its #token' });
      }
      if (!response.ok) throw new TagkeeperError('internal', `the Tagkeeper instance at ${base} answered HTTP ${response.status} to ${operation}`);
      return unwrap((await response.json()) as Envelope<ResponseOf<K>>);
    },
  };
}
