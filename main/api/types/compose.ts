/**
 * The normalized Compose model: what a Compose file means once it has been parsed,
 * interpolated, validated and put into one canonical form. Plain JSON-serializable data.
 *
 * Rules that make two equal definitions deep-equal (and hash equal):
 * - every field is always present; `null` means "not set: the image's or the engine's own
 *   default applies" (a default that Compose itself fills in is written out instead, e.g.
 *   protocol `tcp`, condition `service_started`, restart `no`);
 * - lists whose order has no meaning are sorted (ports, mounts, capabilities, aliases,
 *   devices, security options …) and records are written with sorted keys; lists whose
 *   order matters (command, entrypoint, health check test, the IPs of one extra host) keep it;
 * - services are sorted by name; the image is the canonical reference
 *   (`redis` → `docker.io/library/redis:latest`), so spelling does not matter;
 * - durations are integer **nanoseconds** (fields ending in `Ns`, as the engine's
 *   Healthcheck takes them), sizes are integer **bytes**, CPU limits are `nanoCpus`
 *   (1 CPU = 1e9, as the engine's NanoCpus).
 *
 * The same shape is meant to be produced from what the engine reports about a running
 * container, so "does this container match its service?" is one comparison.
 */
import type { PullPolicy } from './apps';
import type { RestartPolicy } from './apps';

/** A Compose file that plain `docker compose up` runs with exactly the latched content. */
export interface ComposeExport {
  app: string;
  /** A file name to save it as (`shop.compose.yaml`). */
  fileName: string;
  /** The YAML, every image written as `reference@sha256:<digest>`. */
  text: string;
  /** Per service: the reference and digest it is pinned to. */
  pins: Record<string, { reference: string; digest: string }>;
}

/** What moving a Compose app to a new definition changes (`app update --compose`, `--dry-run` prints it). */
export interface ComposeChanges {
  app: string;
  /** Definition hashes before and after. */
  from: string;
  to: string;
  /** Every service of either definition, by name. */
  services: ComposeServiceChange[];
  networks: { added: string[]; removed: string[] };
  /** Volumes the new definition no longer names are kept (they hold data): only `added` ones are made. */
  volumes: { added: string[]; removed: string[] };
}

export interface ComposeServiceChange {
  name: string;
  /** changed: its container is made anew; unchanged: its container keeps running as it is. */
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  /** Why it changes: the settings that differ (`image`, `environment`, `ports` …), or what runs now (`container missing`). */
  reasons: string[];
}

export interface ComposeProject {
  /** Normalized project name: lower-case letters, digits, '_' and '-'. */
  name: string;
  /** Enabled services, sorted by name. */
  services: ComposeService[];
  /** By the key used in the file (`default`, `front` …), sorted. */
  networks: Record<string, ComposeNetwork>;
  volumes: Record<string, ComposeVolume>;
  secrets: Record<string, ComposeFileObject>;
  configs: Record<string, ComposeFileObject>;
}

export interface ComposeService {
  name: string;
  /** Canonical image reference (`docker.io/library/redis:7`, `…@sha256:…` when pinned). */
  image: string;
  /** null: the app's or the device's pull policy applies. */
  pullPolicy: PullPolicy | null;
  /** Exec form; a string in the file is split as Compose splits it. null: the image's. */
  command: string[] | null;
  entrypoint: string[] | null;
  /** `environment` and `env_file` resolved; variables without a value are left out. */
  environment: Record<string, string>;
  labels: Record<string, string>;
  /** Sorted by target, protocol, host IP, published port; ranges expanded. */
  ports: ComposePort[];
  /** From `volumes`, sorted by target. */
  mounts: ComposeMount[];
  /** From `tmpfs`: container path → mount options ('' for none). */
  tmpfs: Record<string, string>;
  /** File secrets and configs mounted read-only, sorted by target. */
  secrets: ComposeFileMount[];
  configs: ComposeFileMount[];
  /** null: the service joins `networks` (the project's networks). */
  networkMode: ComposeNetworkMode | null;
  /** By network key; empty when `networkMode` is set. */
  networks: Record<string, ComposeServiceNetwork>;
  /** By service name, including the implicit dependency of `network_mode: service:NAME`. */
  dependsOn: Record<string, ComposeDependency>;
  /** null: the image's health check. */
  healthcheck: ComposeHealthcheck | null;
  restart: ComposeRestart;
  user: string | null;
  workingDir: string | null;
  hostname: string | null;
  /** Host name → IP addresses (in the order given). */
  extraHosts: Record<string, string[]>;
  /** null: the engine's logging driver and options. */
  logging: ComposeLogging | null;
  privileged: boolean;
  readOnly: boolean;
  /** null: the engine's default. */
  init: boolean | null;
  /** `CAP_`-prefixed, upper case (`ALL` stays `ALL`), sorted, unique. */
  capAdd: string[];
  capDrop: string[];
  /** Sorted by target. */
  devices: ComposeDevice[];
  /** Sorted. */
  securityOpt: string[];
  sysctls: Record<string, string>;
  ulimits: Record<string, ComposeUlimit>;
  stopSignal: string | null;
  stopGracePeriodNs: number | null;
  shmSizeBytes: number | null;
  /** `mem_limit` or `deploy.resources.limits.memory`. */
  memoryLimitBytes: number | null;
  /** `cpus` or `deploy.resources.limits.cpus`, times 1e9. */
  nanoCpus: number | null;
}

export interface ComposePort {
  /** Port inside the container. */
  target: number;
  /** Host port; null: the engine picks one. */
  published: number | null;
  /** null: all addresses. */
  hostIp: string | null;
  protocol: 'tcp' | 'udp' | 'sctp';
}

export type ComposeMount = ComposeVolumeMount | ComposeBindMount | ComposeTmpfsMount;

export interface ComposeVolumeMount {
  type: 'volume';
  /** Key of a top-level volume; null for an anonymous volume. */
  source: string | null;
  target: string;
  readOnly: boolean;
  noCopy: boolean;
  subpath: string | null;
}

export interface ComposeBindMount {
  type: 'bind';
  /** Absolute host path (relative paths are resolved against the project folder, `~` against HOME). */
  source: string;
  target: string;
  readOnly: boolean;
  /** Short syntax creates a missing host path (as Compose does); long syntax only with `bind.create_host_path`. */
  createHostPath: boolean;
  propagation: 'rprivate' | 'private' | 'rshared' | 'shared' | 'rslave' | 'slave' | null;
  selinux: 'z' | 'Z' | null;
}

export interface ComposeTmpfsMount {
  type: 'tmpfs';
  target: string;
  readOnly: boolean;
  sizeBytes: number | null;
  /** File mode, e.g. 0o1777 (written as 1023). */
  mode: number | null;
}

export interface ComposeFileMount {
  /** Key of the top-level secret or config. */
  source: string;
  /** Absolute path in the container. */
  target: string;
}

export type ComposeNetworkMode = 'host' | 'none' | 'bridge' | `service:${string}`;

export interface ComposeServiceNetwork {
  /** Sorted, unique. */
  aliases: string[];
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface ComposeDependency {
  condition: DependencyCondition;
  /** false: start even when the dependency is not there. */
  required: boolean;
  /** Restart this service when the dependency is restarted. */
  restart: boolean;
}

export interface ComposeHealthcheck {
  /** As the engine's Healthcheck.Test (`["CMD-SHELL", "…"]`, `["CMD", …]`, `["NONE"]` when disabled); null: the image's test. */
  test: string[] | null;
  intervalNs: number | null;
  timeoutNs: number | null;
  startPeriodNs: number | null;
  startIntervalNs: number | null;
  retries: number | null;
}

export interface ComposeRestart {
  policy: RestartPolicy;
  /** For `on-failure:N`; 0 otherwise (no limit). */
  maxRetries: number;
}

export interface ComposeLogging {
  /** null: the engine's driver (with these options). */
  driver: string | null;
  options: Record<string, string>;
}

export interface ComposeDevice {
  source: string;
  target: string;
  /** Some of `rwm`, in that order. */
  permissions: string;
}

export interface ComposeUlimit {
  soft: number;
  hard: number;
}

export interface ComposeNetwork {
  /** The engine's network name: `{project}_{key}` unless `name:` is given; an external network keeps its name. */
  name: string;
  external: boolean;
  /** 'bridge' unless given; null for an external network (it exists already). */
  driver: string | null;
  driverOpts: Record<string, string>;
  internal: boolean;
  labels: Record<string, string>;
}

export interface ComposeVolume {
  /** The engine's volume name: `{project}_{key}` unless `name:` is given; an external volume keeps its name. */
  name: string;
  external: boolean;
  /** 'local' unless given; null for an external volume. */
  driver: string | null;
  driverOpts: Record<string, string>;
  labels: Record<string, string>;
}

/** A file-based secret or config. */
export interface ComposeFileObject {
  /** `{project}_{key}` unless `name:` is given. */
  name: string;
  /** Absolute path of the file on the host. */
  file: string;
}
