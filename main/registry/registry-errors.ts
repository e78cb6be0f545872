/** The registry client's errors: what the registry answered, to what, and what to do. */
import { isDigest } from '../core/model/digest';
import { TagkeeperError } from '../api/errors';
import { formatRateLimit } from '../api/format';
import type { RepositoryName } from '../core/ports/registry-port';
import { registryErrorSummary } from './http-body';
import { parseRateLimit } from './rate-limit';
import type { HttpResponse } from './transport';

const CREDENTIALS_WHERE = 'in Settings → Registries, or with docker login';

/** `127.0.0.1:5000/app:dev`, `docker.io/library/redis@sha256:…`. */
export function display(repo: RepositoryName, reference: string): string {
  return `${repo.domain}/${repo.path}${isDigest(reference) || reference.includes(':') ? '@' : ':'}${reference}`;
}

export function schema1(repo: RepositoryName, reference: string): TagkeeperError {
  return new TagkeeperError('manifest-invalid', `${display(repo, reference)} is a schema1 manifest, which is not supported`, {
    hint: 'rebuild and push the image with a current Docker or buildkit (schema2 or OCI)',
  });
}

export function unexpected(res: HttpResponse, domain: string, what: string, hint: string): TagkeeperError {
  const summary = registryErrorSummary(res.body.toString('utf8'));
  const tries = res.attempts > 1 ? ` after ${res.attempts} attempts` : '';
  return new TagkeeperError('registry-error', `registry ${domain} answered ${res.status} to ${what}${summary ? ` (${summary})` : ''}${tries}`, { hint });
}

/** A 429: plainly "the pull rate limit is used up" when the registry says none is left. */
export function rateLimited(res: HttpResponse, domain: string, what: string): TagkeeperError {
  const limit = parseRateLimit(res.headers);
  const hint = 'wait until the rate-limit window has passed, log in for a higher limit (docker login, or Settings → Registries), or pull through a registry mirror';
  if (limit?.remaining === 0) {
    return new TagkeeperError('registry-rate-limited', `registry ${domain} refused ${what}: its pull rate limit is used up (${formatRateLimit(limit)})`, { hint });
  }
  const tries = res.attempts > 1 ? ` after ${res.attempts} attempts` : '';
  return new TagkeeperError('registry-rate-limited', `registry ${domain} answered 429 (too many requests) to ${what}${tries}`, { hint });
}

export function credentialsRejected(domain: string, hadCredentials: boolean): TagkeeperError {
  return hadCredentials
    ? new TagkeeperError('registry-auth-failed', `registry ${domain} rejected the configured credentials`, {
        hint: `check the credentials for ${domain} ${CREDENTIALS_WHERE}`,
      })
    : new TagkeeperError('registry-auth-failed', `registry ${domain} requires credentials and none are configured`, {
        hint: `add credentials for ${domain} ${CREDENTIALS_WHERE}`,
      });
}

export function accessDenied(repo: RepositoryName, hadCredentials: boolean, res: HttpResponse): TagkeeperError {
  const summary = registryErrorSummary(res.body.toString('utf8'));
  const answer = `${res.status}${summary ? ` ${summary}` : ''}`;
  return hadCredentials
    ? new TagkeeperError('registry-auth-failed', `registry ${repo.domain} denied access to ${repo.path} with the configured credentials (${answer})`, {
        hint: `check that the credentials for ${repo.domain} may pull ${repo.path}; they are set ${CREDENTIALS_WHERE}`,
      })
    : new TagkeeperError('registry-auth-failed', `registry ${repo.domain} denied access to ${repo.path} without credentials (${answer})`, {
        hint: `the repository may not exist, or it needs credentials: add them for ${repo.domain} ${CREDENTIALS_WHERE}`,
      });
}
