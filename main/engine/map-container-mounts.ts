/**
 * HostConfig.Mounts and HostConfig.Binds → the mounts of a ContainerConfig, sorted by target
 * as Compose sorts them. createContainer writes a bind as a Bind (`src:dst:opts`) only when it
 * must create a missing host path or carry an SELinux label, so a Bind reads back with
 * `createHostPath: true` (the engine creates a missing source of every Bind) and a bind Mount
 * with `createHostPath: false`.
 */
import type { ComposeMount } from '../api/types/compose';
import { compareText } from '../core/compose/read-values';

/** One entry of HostConfig.Mounts, as the engine reports it. */
export interface RawMount {
  Type?: string;
  Source?: string;
  Target?: string;
  ReadOnly?: boolean;
  VolumeOptions?: { NoCopy?: boolean; Subpath?: string } | null;
  BindOptions?: { Propagation?: string } | null;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number } | null;
}

const PROPAGATIONS = ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'] as const;
type Propagation = (typeof PROPAGATIONS)[number];

export function mountsOf(mounts: RawMount[], binds: string[]): ComposeMount[] {
  const result = [...mounts.map(fromMount), ...binds.map(fromBind)].filter((m): m is ComposeMount => m !== null);
  return result.sort((a, b) => compareText(a.target, b.target));
}

function fromMount(m: RawMount): ComposeMount | null {
  const target = m.Target ?? '';
  const readOnly = m.ReadOnly === true;
  if (m.Type === 'volume') {
    return { type: 'volume', source: m.Source || null, target, readOnly, noCopy: m.VolumeOptions?.NoCopy === true, subpath: m.VolumeOptions?.Subpath || null };
  }
  if (m.Type === 'bind') {
    return { type: 'bind', source: m.Source ?? '', target, readOnly, createHostPath: false, propagation: propagation(m.BindOptions?.Propagation), selinux: null };
  }
  if (m.Type === 'tmpfs') {
    const size = m.TmpfsOptions?.SizeBytes;
    const mode = m.TmpfsOptions?.Mode;
    return { type: 'tmpfs', target, readOnly, sizeBytes: size ? size : null, mode: typeof mode === 'number' && mode > 0 ? mode : null };
  }
  return null; // npipe, cluster: nothing a spec makes
}

/** `src:dst[:opts]`: an absolute source is a host path, anything else a named volume. */
function fromBind(bind: string): ComposeMount | null {
  const [source, target, opts = ''] = bind.split(':');
  if (!source || !target) return null;
  const flags = opts.split(',').filter(Boolean);
  const readOnly = flags.includes('ro');
  if (!source.startsWith('/')) return { type: 'volume', source, target, readOnly, noCopy: flags.includes('nocopy'), subpath: null };
  const selinux = flags.find((f): f is 'z' | 'Z' => f === 'z' || f === 'Z') ?? null;
  return { type: 'bind', source, target, readOnly, createHostPath: true, propagation: propagation(flags.find((f) => propagation(f) !== null)), selinux };
}

function propagation(value: string | undefined): Propagation | null {
  return PROPAGATIONS.find((p) => p === value) ?? null;
}
