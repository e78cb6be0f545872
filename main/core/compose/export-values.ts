/**
 * The normalized values of a service written back in Compose's own formats, each in the
 * form that Compose v2 (compose-go) and docker-compose 1.29.2 read alike where one exists:
 *
 * - durations as Compose duration strings of whole units, largest first (`1m30s`,
 *   `1h2m3s500ms`, `0s`): Go's ParseDuration, compose-go and 1.29.2's timeparse all read them;
 * - sizes in the largest binary unit that divides them exactly (`512m`, `1g`, `64k`), else in
 *   bytes: go-units' RAMInBytes and docker-py's parse_bytes both read k, m and g as 1024ⁿ
 *   (docker-py knows no t or p, so larger sizes are written in g);
 * - CPUs as a decimal number of cores (`0.5`, `2`);
 * - ports in the long syntax `{target, published, protocol}`; a port bound to one host
 *   address in the short syntax `IP:PUBLISHED:TARGET/PROTOCOL` (`[::1]:53:53/udp`), since
 *   1.29.2's long syntax has no `host_ip` and both read the short one alike;
 * - mounts: see mountEntry.
 */
import type { ComposeBindMount, ComposeDevice, ComposeHealthcheck, ComposeMount, ComposePort } from '../../api/types/compose';
import { FlowList, type YamlMap, type YamlValue } from './export-yaml';

const DURATION_UNITS: [string, number][] = [
  ['h', 3600e9],
  ['m', 60e9],
  ['s', 1e9],
  ['ms', 1e6],
  ['us', 1e3],
  ['ns', 1],
];

/** Nanoseconds → `1m30s`; integer arithmetic only, so the text is exact up to 2^53 ns. */
export function formatDuration(nanoseconds: number): string {
  let rest = nanoseconds;
  let text = '';
  for (const [unit, size] of DURATION_UNITS) {
    const remainder = rest % size;
    const count = (rest - remainder) / size;
    if (count > 0) text += `${count}${unit}`;
    rest = remainder;
  }
  return text === '' ? '0s' : text;
}

const SIZE_UNITS: [string, number][] = [
  ['g', 1024 ** 3],
  ['m', 1024 ** 2],
  ['k', 1024],
];

/** Bytes → `512m`, `1g`, `64k`, or the number of bytes. */
export function formatSize(bytes: number): string | number {
  for (const [unit, size] of SIZE_UNITS) {
    if (bytes > 0 && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return bytes;
}

/** Nano CPUs → cores, from the integer so no float noise is printed (1500000000 → 1.5). */
export function formatCpus(nanoCpus: number): number {
  const fraction = nanoCpus % 1e9;
  const whole = (nanoCpus - fraction) / 1e9;
  const digits = String(fraction).padStart(9, '0').replace(/0+$/, '');
  return Number(digits === '' ? `${whole}` : `${whole}.${digits}`);
}

export function portEntry(port: ComposePort): YamlValue {
  if (port.hostIp === null) {
    const entry: YamlMap = { target: port.target };
    if (port.published !== null) entry.published = port.published;
    entry.protocol = port.protocol;
    return entry;
  }
  const ip = port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  return `${ip}:${port.published ?? ''}:${port.target}/${port.protocol}`;
}

/**
 * Named and anonymous volumes and tmpfs mounts in the long syntax. Bind mounts:
 * - one that creates a missing host folder (`createHostPath`, as every short-syntax bind
 *   does) in the short syntax `SOURCE:TARGET[:ro,z,rshared]`: both tools create the folder
 *   for it, and 1.29.2's long syntax cannot say so (it has no `bind.create_host_path`, and
 *   recent Compose v2 creates the folder for a long-syntax bind without a `bind:` section,
 *   1.29.2 never does);
 * - one that must not create it, or whose paths hold a `:`, in the long syntax with
 *   `bind.create_host_path` written out (Compose Specification form; 1.29.2 refuses the key).
 * Spec-only, written when set (1.29.2 refuses them): `volume.subpath`, `tmpfs.mode`.
 */
export function mountEntry(mount: ComposeMount): YamlValue {
  if (mount.type === 'bind') return bindEntry(mount);
  const entry: YamlMap = { type: mount.type };
  if (mount.type === 'volume' && mount.source !== null) entry.source = mount.source;
  entry.target = mount.target;
  if (mount.readOnly) entry.read_only = true;
  const options: YamlMap = {};
  if (mount.type === 'volume') {
    if (mount.noCopy) options.nocopy = true;
    if (mount.subpath !== null) options.subpath = mount.subpath;
  } else {
    if (mount.sizeBytes !== null) options.size = mount.sizeBytes;
    // A decimal number (1023 for 01777): compose-go decodes tmpfs.mode into a plain integer, not as octal text.
    if (mount.mode !== null) options.mode = mount.mode;
  }
  if (Object.keys(options).length > 0) entry[mount.type] = options;
  return entry;
}

function bindEntry(mount: ComposeBindMount): YamlValue {
  if (mount.createHostPath && !mount.source.includes(':') && !mount.target.includes(':')) {
    const options = [mount.readOnly ? 'ro' : null, mount.selinux, mount.propagation].filter((option) => option !== null);
    return [mount.source, mount.target, ...(options.length > 0 ? [options.join(',')] : [])].join(':');
  }
  const entry: YamlMap = { type: 'bind', source: mount.source, target: mount.target };
  if (mount.readOnly) entry.read_only = true;
  const bind: YamlMap = { create_host_path: mount.createHostPath };
  if (mount.propagation !== null) bind.propagation = mount.propagation;
  if (mount.selinux !== null) bind.selinux = mount.selinux;
  entry.bind = bind;
  return entry;
}

/** `SOURCE:TARGET:PERMISSIONS`: 1.29.2 reads devices only as strings. */
export function deviceEntry(device: ComposeDevice): string {
  return `${device.source}:${device.target}:${device.permissions}`;
}

/**
 * `disable: true` for a disabled check (`["NONE"]` and nothing else); otherwise the test as
 * a list (exec form, `CMD` or `CMD-SHELL`) and each duration that is set.
 * `start_interval` is Compose Specification only (1.29.2 refuses it); written when set.
 */
export function healthcheckEntry(check: ComposeHealthcheck): YamlMap {
  const durations: [string, number | null][] = [
    ['interval', check.intervalNs],
    ['timeout', check.timeoutNs],
    ['start_period', check.startPeriodNs],
    ['start_interval', check.startIntervalNs],
  ];
  const onlyTest = check.retries === null && durations.every(([, value]) => value === null);
  if (onlyTest && check.test?.length === 1 && check.test[0] === 'NONE') return { disable: true };
  const entry: YamlMap = {};
  if (check.test !== null) entry.test = new FlowList(check.test);
  for (const [key, value] of durations) if (value !== null) entry[key] = formatDuration(value);
  if (check.retries !== null) entry.retries = check.retries;
  return entry;
}
