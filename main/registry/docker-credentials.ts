/**
 * DockerCredentialsPort: the logins the docker CLI on this box would use. For a registry, a
 * `credHelpers` entry wins, then `credsStore`, then the `auths` entry (the CLI ignores `auths`
 * once a helper is configured). The config file is read again whenever it changes; a helper's
 * answer is kept for a short while (one check asks it once, a long-running instance again
 * later). A helper that is missing, fails or hangs is reported once per answer kept, in one
 * line naming the helper and the registry, and gives no credentials: the request goes on
 * anonymously.
 */
import { serverAddress, type DockerCredentialsPort, type DockerLoginEntry, type FoundLogin } from '../core/ports/credentials-port';
import { DEFAULT_HELPER_TIMEOUT_MS, helperGet, helperList, helperProgram, type HelperGet } from './credential-helper';
import { DockerConfigFile, dockerConfigPath, hostOfKey, keyFor, type DockerConfig } from './docker-config';

export interface DockerCredentialsOptions {
  /** The config file; default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json` (read at each use). */
  configPath?: () => string;
  helperTimeoutMs?: number;
  /** How long a helper's answer is kept. Default 30 s. */
  keepMs?: number;
  now?: () => number;
  /** Where the one-line reports of failing helpers and unreadable configs go. */
  warn: (line: string) => void;
}

const DEFAULT_KEEP_MS = 30_000;

export class DockerCredentials implements DockerCredentialsPort {
  private readonly file: DockerConfigFile;
  private readonly path: () => string;
  private readonly answers = new Map<string, { until: number; answer: Promise<HelperGet> }>();
  private readonly warnedConfigs = new Set<string>();

  constructor(private readonly options: DockerCredentialsOptions) {
    this.path = options.configPath ?? (() => dockerConfigPath());
    this.file = new DockerConfigFile(this.path);
  }

  configPath(): string {
    return this.path();
  }

  async find(domain: string): Promise<FoundLogin | null> {
    const config = this.config();
    const helper = helperFor(config, domain);
    if (helper) {
      const answer = await this.ask(helper, domain);
      if (answer.kind !== 'found') return null;
      return answer.identityToken
        ? { username: '<token>', password: '', identityToken: answer.secret, source: `helper: ${helper}` }
        : { username: answer.username, password: answer.secret, source: `helper: ${helper}` };
    }
    const key = keyFor(Object.keys(config.auths), domain);
    const entry = key === undefined ? null : config.auths[key];
    return entry ? { ...entry, source: 'docker config.json' } : null;
  }

  async list(): Promise<DockerLoginEntry[]> {
    const config = this.config();
    const entries = new Map<string, DockerLoginEntry>();
    if (config.credsStore) {
      const listed = await helperList(config.credsStore, this.options.helperTimeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS);
      const source = `helper: ${config.credsStore}` as const;
      if (listed.kind === 'listed') {
        for (const [server, username] of Object.entries(listed.entries)) entries.set(hostOfKey(server), { host: hostOfKey(server), username, source, problem: null });
      } else {
        const problem = `credential helper ${helperProgram(config.credsStore)} (credsStore) ${listed.reason}`;
        entries.set('*', { host: '*', username: null, source, problem });
      }
    } else {
      for (const [key, entry] of Object.entries(config.auths)) {
        if (entry) entries.set(hostOfKey(key), { host: hostOfKey(key), username: entry.username, source: 'docker config.json', problem: null });
      }
    }
    await Promise.all(
      Object.entries(config.credHelpers).map(async ([key, helper]) => {
        const host = hostOfKey(key);
        const answer = await this.ask(helper, host, { quiet: true });
        const username = answer.kind === 'found' ? (answer.identityToken ? '<token>' : answer.username) : null;
        const problem = answer.kind === 'failed' ? helperProblem(helper, host, answer.reason) : answer.kind === 'none' ? `${helperProgram(helper)} holds no credentials for ${host}` : null;
        entries.set(host, { host, username, source: `helper: ${helper}`, problem });
      }),
    );
    return [...entries.values()].sort((a, b) => a.host.localeCompare(b.host));
  }

  private config(): DockerConfig {
    const config = this.file.read();
    if (config.problem && !this.warnedConfigs.has(config.problem)) {
      this.warnedConfigs.add(config.problem);
      this.options.warn(config.problem);
    }
    return config;
  }

  /** The helper's answer for `domain`, asked once and kept for keepMs (shared while in flight). */
  private ask(helper: string, domain: string, options: { quiet?: boolean } = {}): Promise<HelperGet> {
    const now = (this.options.now ?? Date.now)();
    const key = `${helper}\0${domain}`;
    const kept = this.answers.get(key);
    if (kept && kept.until > now) return kept.answer;
    const answer = helperGet(helper, serverAddress(domain), this.options.helperTimeoutMs ?? DEFAULT_HELPER_TIMEOUT_MS);
    this.answers.set(key, { until: now + (this.options.keepMs ?? DEFAULT_KEEP_MS), answer });
    if (!options.quiet) {
      void answer.then((a) => {
        if (a.kind === 'failed') this.options.warn(`${helperProblem(helper, domain, a.reason)}; going on without credentials`);
      });
    }
    return answer;
  }
}

/** The helper configured for `domain`: its `credHelpers` entry, else `credsStore`. */
function helperFor(config: DockerConfig, domain: string): string | null {
  const key = keyFor(Object.keys(config.credHelpers), domain);
  return key === undefined ? config.credsStore : config.credHelpers[key];
}

function helperProblem(helper: string, domain: string, reason: string): string {
  return `credential helper ${helperProgram(helper)} ${reason} for registry ${domain}`;
}
