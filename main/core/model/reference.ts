/**
 * Docker image references: `name[:tag][@digest]`, parsed and normalized the way Docker does
 * (a TypeScript port of the grammar and normalization of github.com/distribution/reference,
 * `ParseNormalizedNamed` + `TagNameOnly` + `FamiliarString`).
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain "/"] path
 *   domain           := host [":" port]          host := domain-name | "[" IPv6 "]"
 *   domain-name      := label ("." label)*       label := /[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?/
 *   path             := path-component ("/" path-component)*
 *   path-component   := alphanumeric (separator alphanumeric)*     alphanumeric := /[a-z0-9]+/
 *   separator        := "." | "_" | "__" | one or more "-"
 *   tag              := /[\w][\w.-]{0,127}/
 *
 * Rather than one large regular expression, the input is split at its delimiters and each
 * part is checked on its own, which keeps every check linear and lets each error say which
 * part is wrong.
 */
import type { ImageReference } from '../../api/types/reference';
import { describeCharacter, digestProblem } from './digest';
import { TagkeeperError } from '../../api/errors';

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';
const LOCALHOST = 'localhost';
/** Upstream's RepositoryNameTotalLengthMax, applied (as upstream now does) to the path. */
const MAX_PATH_LENGTH = 255;
const MAX_TAG_LENGTH = 128;

const REFERENCE_HINT = 'write it as name[:tag][@sha256:<64 hex>], e.g. redis:7 or ghcr.io/org/app:1.2';

/** Every character that may appear anywhere in a reference ('+' only inside digest algorithms). */
const ALLOWED_CHARACTER = /[A-Za-z0-9._\-/:@[\]+]/;
const IMAGE_ID = /^[a-f0-9]{64}$/;
const TAG = /^\w[\w.-]*$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_LABEL = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;

/** Thrown inside the parser with just the reason; parseReference adds the input and hint. */
class Invalid extends Error {}

/**
 * Parses and normalizes an image reference.
 * Throws TagkeeperError('invalid-reference', `"<input>" is not a valid image reference: <why>`).
 */
export function parseReference(input: string): ImageReference {
  const trimmed = typeof input === 'string' ? input.trim() : '';
  try {
    if (typeof input !== 'string') throw new Invalid('it is not a string');
    return parseTrimmed(trimmed);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    throw new TagkeeperError('invalid-reference', `"${forMessage(trimmed)}" is not a valid image reference: ${error.message}`, {
      hint: REFERENCE_HINT,
    });
  }
}

/** The reference the engine is asked to pull: `repository@digest`. */
export function byDigest(ref: ImageReference | { repository: string }, digest: string): string {
  const problem = digestProblem(digest);
  if (problem !== null) {
    throw new TagkeeperError('invalid-digest', `${digest} is not a valid digest: ${problem}`, {
      hint: 'a digest looks like sha256: followed by 64 lower-case hex characters',
    });
  }
  return `${ref.repository}@${digest}`;
}

/** The tag-or-digest a registry request should use for this reference: digest if pinned, else tag. */
export function registryReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? DEFAULT_TAG;
}

function parseTrimmed(input: string): ImageReference {
  if (input === '') throw new Invalid('the reference is empty');
  if (input.includes('://')) {
    throw new Invalid('it looks like a URL: leave out the scheme (ghcr.io/org/app, not https://ghcr.io/org/app)');
  }
  checkCharacters(input);
  if (IMAGE_ID.test(input)) {
    throw new Invalid('a 64-character hexadecimal string is an image ID, not a repository name');
  }

  // '@' cannot occur in a name or a tag, so the first one starts the digest.
  const at = input.indexOf('@');
  const nameAndTag = at < 0 ? input : input.slice(0, at);
  const digest = at < 0 ? null : input.slice(at + 1);
  if (digest !== null) checkDigest(digest);

  // ':' after the last '/' starts the tag (earlier ones belong to the domain's port or IPv6).
  const tagColon = nameAndTag.indexOf(':', nameAndTag.lastIndexOf('/') + 1);
  const name = tagColon < 0 ? nameAndTag : nameAndTag.slice(0, tagColon);
  const givenTag = tagColon < 0 ? null : nameAndTag.slice(tagColon + 1);
  if (name === '') throw new Invalid('the repository name is missing');
  if (!nameAndTag.includes('/') && nameAndTag.startsWith('[')) {
    throw new Invalid("an [IPv6] registry host must be followed by '/' and a repository path");
  }
  if (givenTag !== null) checkTag(givenTag);

  const { domain, path, domainBecauseUppercase } = splitDomain(name);
  checkDomain(domain, domainBecauseUppercase);
  checkPath(path);

  const tag = givenTag ?? (digest === null ? DEFAULT_TAG : null);
  const repository = `${domain}/${path}`;
  const suffix = (tag === null ? '' : `:${tag}`) + (digest === null ? '' : `@${digest}`);
  return {
    input,
    domain,
    path,
    tag,
    digest,
    repository,
    canonical: repository + suffix,
    familiar: familiarName(domain, path) + suffix,
  };
}

function checkCharacters(input: string): void {
  for (let i = 0; i < input.length; i++) {
    const char = input.charAt(i);
    if (!ALLOWED_CHARACTER.test(char)) {
      throw new Invalid(`invalid character ${describeCharacter(char)} at position ${i + 1}`);
    }
  }
}

function checkDigest(digest: string): void {
  if (digest === '') throw new Invalid("the digest after '@' is empty");
  if (digest.includes('@')) throw new Invalid("it has more than one '@'");
  const problem = digestProblem(digest);
  if (problem !== null) throw new Invalid(problem);
}

function checkTag(tag: string): void {
  if (tag === '') throw new Invalid("the tag after ':' is empty");
  if (tag.length > MAX_TAG_LENGTH) {
    throw new Invalid(`tag is longer than ${MAX_TAG_LENGTH} characters (${tag.length})`);
  }
  if (!/^\w/.test(tag)) throw new Invalid(`tag '${tag}' must start with a letter, a digit or '_'`);
  if (!TAG.test(tag)) {
    const bad = [...tag].find((char) => !/[\w.-]/.test(char)) ?? '';
    throw new Invalid(`tag '${tag}' may only contain letters, digits, '_', '.' and '-' (found ${describeCharacter(bad)})`);
  }
}

/**
 * Docker's rule for telling a registry host from the first path component (splitDockerDomain):
 * the first component is a domain when it is 'localhost', or contains '.' or ':', or has an
 * upper-case letter (paths never do). Docker Hub names get the 'library/' prefix when they
 * have a single component, and 'index.docker.io' becomes 'docker.io'.
 */
function splitDomain(name: string): { domain: string; path: string; domainBecauseUppercase: boolean } {
  const slash = name.indexOf('/');
  let domain = DEFAULT_DOMAIN;
  let path = name;
  let domainBecauseUppercase = false;
  if (slash >= 0) {
    const first = name.slice(0, slash);
    const rest = name.slice(slash + 1);
    if (first === LEGACY_DEFAULT_DOMAIN) {
      path = rest;
    } else if (first === LOCALHOST || /[.:]/.test(first) || first.toLowerCase() !== first) {
      domainBecauseUppercase = !(first === LOCALHOST || /[.:]/.test(first));
      domain = first;
      path = rest;
    }
  }
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_PREFIX + path;
  return { domain, path, domainBecauseUppercase };
}

function checkDomain(domain: string, becauseUppercase: boolean): void {
  const problem = domainProblem(domain);
  if (problem === null) return;
  // "MyUser/app": Docker reads the upper-case first component as a host; if it is not a
  // valid one, the real mistake is the upper case.
  if (becauseUppercase) throw new Invalid('repository name must be lowercase');
  throw new Invalid(problem);
}

function domainProblem(domain: string): string | null {
  const what = `registry host '${domain}'`;
  let host = domain;
  let port: string | null = null;
  if (domain.startsWith('[')) {
    const close = domain.indexOf(']');
    if (close < 0) return `${what} has '[' without a closing ']'`;
    host = domain.slice(0, close + 1);
    const after = domain.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return `${what} must have ':' between ']' and the port`;
      port = after.slice(1);
    }
    if (!IPV6_HOST.test(host)) return `${what} is not a valid [IPv6] address (hex digits and ':' only)`;
  } else {
    const colon = domain.indexOf(':');
    if (colon >= 0) {
      host = domain.slice(0, colon);
      port = domain.slice(colon + 1);
    }
    if (host === '') return `${what} has no host name`;
    for (const label of host.split('.')) {
      if (label === '') return `${what} has an empty label (a leading, trailing or doubled '.')`;
      if (!DOMAIN_LABEL.test(label)) {
        return `${what} has an invalid label '${label}' (letters, digits and inner '-' only)`;
      }
    }
  }
  if (port !== null && !PORT.test(port)) return `${what} has an invalid port '${port}' (digits only)`;
  return null;
}

function checkPath(path: string): void {
  if (path.toLowerCase() !== path) throw new Invalid('repository name must be lowercase');
  for (const component of path.split('/')) {
    if (component === '') {
      throw new Invalid(`repository path '${forMessage(path)}' has an empty component (a leading, trailing or doubled '/')`);
    }
    if (PATH_COMPONENT.test(component)) continue;
    const shown = forMessage(component);
    const stray = /[^a-z0-9._-]/.exec(component);
    if (stray) throw new Invalid(`unexpected ${describeCharacter(stray[0])} in repository path component '${shown}'`);
    if (!/^[a-z0-9]/.test(component) || !/[a-z0-9]$/.test(component)) {
      throw new Invalid(`repository path component '${shown}' must start and end with a lower-case letter or digit`);
    }
    throw new Invalid(
      `repository path component '${shown}' has an invalid separator (use one '.', one or two '_', or one or more '-')`,
    );
  }
  if (path.length > MAX_PATH_LENGTH) {
    throw new Invalid(`repository name is longer than ${MAX_PATH_LENGTH} characters (${path.length})`);
  }
}

/** Docker's familiar name: no 'docker.io/', and no 'library/' for one-component official images. */
function familiarName(domain: string, path: string): string {
  if (domain !== DEFAULT_DOMAIN) return `${domain}/${path}`;
  if (path.startsWith(OFFICIAL_PREFIX) && !path.slice(OFFICIAL_PREFIX.length).includes('/')) {
    return path.slice(OFFICIAL_PREFIX.length);
  }
  return path;
}

/** Long inputs are shortened in messages so one bad value cannot flood a terminal or a log. */
function forMessage(value: string): string {
  return value.length > 160 ? `${value.slice(0, 80)}…${value.slice(-20)} (${value.length} characters)` : value;
}
