/**
 * One Compose service of the normalized model in a few words per setting, for the app
 * page's read-only view of the definition: ports, mounts, networks and start order. Pure.
 */
import type { ComposeDependency, ComposeMount, ComposePort, ComposeService } from '../../../main/api/types/compose';

/** `127.0.0.1:8080→80/tcp`, `8600/tcp` (the engine picks the host port), `[::1]:5353→53/udp`. */
export function portText(p: ComposePort): string {
  const host = p.hostIp === null ? '' : p.hostIp.includes(':') ? `[${p.hostIp}]:` : `${p.hostIp}:`;
  if (p.published === null) return `${host}${p.target}/${p.protocol}`;
  return `${host}${p.published}→${p.target}/${p.protocol}`;
}

/** `volume data → /data (ro)`, `bind /srv/shop/conf → /etc/conf`, `tmpfs → /scratch`, `anonymous volume → /cache`. */
export function mountText(m: ComposeMount): string {
  const ro = m.readOnly ? ' (ro)' : '';
  switch (m.type) {
    case 'volume':
      return `${m.source === null ? 'anonymous volume' : `volume ${m.source}`} → ${m.target}${m.subpath ? ` (subpath ${m.subpath})` : ''}${ro}`;
    case 'bind':
      return `bind ${m.source} → ${m.target}${ro}`;
    case 'tmpfs':
      return `tmpfs → ${m.target}${ro}`;
  }
}

/** `front (aliases www, shop)`, `default`; or the network mode (`mode host`, `mode service:vpn`). */
export function networkTexts(s: Pick<ComposeService, 'networkMode' | 'networks'>): string[] {
  if (s.networkMode !== null) return [`mode ${s.networkMode}`];
  return Object.entries(s.networks).map(([key, n]) => (n.aliases.length > 0 ? `${key} (aliases ${n.aliases.join(', ')})` : key));
}

const CONDITION_WORDS: Record<ComposeDependency['condition'], string> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed successfully',
};

/** `db (healthy)`, `vpn (started, optional, restarts with it)`. */
export function dependencyTexts(s: Pick<ComposeService, 'dependsOn'>): string[] {
  return Object.entries(s.dependsOn).map(([name, d]) => {
    const words = [CONDITION_WORDS[d.condition], ...(d.required ? [] : ['optional']), ...(d.restart ? ['restarts with it'] : [])];
    return `${name} (${words.join(', ')})`;
  });
}

/** The mounts of a service: its `volumes` and its `tmpfs` entries. */
export function mountTexts(s: Pick<ComposeService, 'mounts' | 'tmpfs'>): string[] {
  return [...s.mounts.map(mountText), ...Object.entries(s.tmpfs).map(([target, options]) => `tmpfs → ${target}${options ? ` (${options})` : ''}`)];
}
