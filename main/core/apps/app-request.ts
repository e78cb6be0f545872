/**
 * The request to create an app, validated before anything is written or started: every
 * problem is bad input with a message that says what to fix.
 */
import { RESTART_POLICIES, PULL_POLICIES, type PullPolicy, type ServiceSettings, type PortBinding, type RestartPolicy } from '../../api/types/apps';
import { TagkeeperError } from '../../api/errors';
import { parseReference } from '../model/reference';
import type { NewApp } from '../ports/store-port';

export interface ServiceRequest {
  name: string;
  image: string;
  cmd?: string[];
  env?: string[];
  /** `VOLUME:/path` or `VOLUME:/path:ro` */
  volumes?: string[];
  /** `HOSTPORT:CONTAINERPORT[/udp]` or `IP:HOSTPORT:CONTAINERPORT` */
  ports?: string[];
  network?: string;
  restartPolicy?: RestartPolicy;
}

export interface CreateAppRequest {
  name: string;
  services: ServiceRequest[];
  pullPolicy?: PullPolicy | null;
  checkOnStart?: boolean | null;
  /** Apply updates found for this app without asking; null or absent: the device default. */
  autoApply?: boolean | null;
}

const NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

const bad = (message: string, hint: string) => new TagkeeperError('invalid-input', message, { hint });

export function validateName(kind: 'app' | 'service' | 'volume', name: string): string {
  if (!NAME.test(name)) {
    throw bad(`"${name}" is not a valid ${kind} name`, 'use 1-63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  return name;
}

export function validateCreateRequest(request: CreateAppRequest): NewApp {
  validateName('app', request.name);
  if (request.services.length === 0) throw bad(`app "${request.name}" has no services`, 'give an image (--image REF) or services (--service NAME=REF)');
  if (request.pullPolicy != null && !PULL_POLICIES.includes(request.pullPolicy)) {
    throw bad(`pull policy "${request.pullPolicy}" is not one of ${PULL_POLICIES.join(', ')}`, 'use always, if-not-present or never');
  }
  const seen = new Set<string>();
  const services = request.services.map((s) => {
    validateName('service', s.name);
    if (seen.has(s.name)) throw bad(`service "${s.name}" is given twice`, 'give each service of an app its own name');
    seen.add(s.name);
    const ref = parseReference(s.image);
    return { name: s.name, reference: ref.input, canonical: ref.canonical, pinnedDigest: ref.digest, settings: serviceSettings(s) };
  });
  return { name: request.name, pullPolicy: request.pullPolicy ?? null, checkOnStart: request.checkOnStart ?? null, autoApply: request.autoApply ?? null, services };
}

function serviceSettings(s: ServiceRequest): ServiceSettings {
  if (s.restartPolicy !== undefined && !RESTART_POLICIES.includes(s.restartPolicy)) {
    throw bad(`restart policy "${s.restartPolicy}" is not one of ${RESTART_POLICIES.join(', ')}`, 'use no, always, unless-stopped or on-failure');
  }
  if (s.cmd !== undefined && s.cmd.length === 0) throw bad(`service "${s.name}" has an empty command`, 'leave --cmd out to use the image\'s command');
  return {
    cmd: s.cmd,
    env: (s.env ?? []).map(parseEnv),
    volumes: (s.volumes ?? []).map(parseVolume),
    ports: (s.ports ?? []).map(parsePort),
    network: s.network,
    restartPolicy: s.restartPolicy ?? 'unless-stopped',
  };
}

function parseEnv(entry: string): string {
  const eq = entry.indexOf('=');
  if (eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(entry.slice(0, eq))) {
    throw bad(`environment entry "${entry}" is not KEY=VALUE`, 'write it as NAME=value, e.g. LOG_LEVEL=debug');
  }
  return entry;
}

function parseVolume(entry: string): ServiceSettings['volumes'][number] {
  const [name, target, mode, ...rest] = entry.split(':');
  if (!name || !target || rest.length > 0 || !target.startsWith('/') || (mode !== undefined && mode !== 'ro' && mode !== 'rw')) {
    throw bad(`volume "${entry}" is not VOLUME:/path[:ro]`, 'name a volume of the app and an absolute path in the container, e.g. data:/var/lib/app');
  }
  validateName('volume', name);
  return mode === 'ro' ? { name, target, readOnly: true } : { name, target };
}

function parsePort(entry: string): PortBinding {
  const match = /^(?:(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:(\d{1,5}):)?(\d{1,5})(?:\/(tcp|udp))?$/.exec(entry);
  const port = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const [hostIp, hostPort, containerPort] = match ? [match[1], port(match[2]), port(match[3])] : [];
  if (!match || containerPort === undefined || containerPort < 1 || containerPort > 65535 || (hostPort !== undefined && (hostPort < 1 || hostPort > 65535))) {
    throw bad(`port "${entry}" is not [IP:]HOSTPORT:CONTAINERPORT[/udp]`, 'e.g. 8080:80 or 127.0.0.1:8080:80/tcp');
  }
  return { containerPort, protocol: (match[4] as 'tcp' | 'udp' | undefined) ?? 'tcp', hostPort, hostIp: hostIp?.replace(/^\[|\]$/g, '') };
}
