/**
 * Published ports, short and long syntax, parsed as Compose does (short syntax with
 * Docker's own parser, github.com/docker/go-connections nat.ParsePortSpec):
 *
 *   - "80"                      container port 80, host port chosen by the engine
 *   - "8080:80"  "8080:80/udp"  host port 8080
 *   - "127.0.0.1:8080:80"  "[::1]:8080:80"  "127.0.0.1::80"
 *   - "8000-8002:9000-9002"     ranges of equal length, expanded to one port each
 *   - 80                        a number is the container port
 *   - {target: 80, published: "8080", host_ip: 127.0.0.1, protocol: udp, mode: host}
 *
 * A host port range for a single container port ("8000-8010:80", the engine picking one
 * of them) is refused: Tagkeeper wants to know which port a service publishes.
 * `mode` (host/ingress) only matters to a Swarm and is checked but not kept.
 */
import type { ComposePort } from '../../api/types/compose';
import { PORT_KEYS } from './compose-keys';
import type { Scope } from './compose-error';
import { isIP } from './ip-address';
import { asList, checkKeys, compareText, readInteger, readString, scalarText } from './read-values';
import type { YMap, YNode } from './yaml-tree';

const PORT_HINT = 'write [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. 8080:80, 127.0.0.1:8080:80 or 53:53/udp';
const PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;

export function readPorts(node: YNode, scope: Scope): ComposePort[] {
  const ports: ComposePort[] = [];
  asList(node, scope).items.forEach((item, index) => {
    const itemScope = scope.field(index);
    if (item.kind === 'map') ports.push(longPort(item, itemScope));
    else ports.push(...shortPort(scalarText(item, itemScope, false) as string, item, itemScope));
  });
  const unique = new Map(ports.map((port) => [JSON.stringify(port), port]));
  return [...unique.values()].sort(comparePorts);
}

function comparePorts(a: ComposePort, b: ComposePort): number {
  return a.target - b.target || compareText(a.protocol, b.protocol) || compareText(a.hostIp ?? '', b.hostIp ?? '') || (a.published ?? 0) - (b.published ?? 0);
}

function shortPort(spec: string, at: YNode, scope: Scope): ComposePort[] {
  const bad = (why: string): never => scope.fail(at, `${JSON.stringify(spec)} is not a valid port: ${why}`, PORT_HINT);
  const parts = spec.split(':');
  const containerPart = parts[parts.length - 1];
  const hostPart = parts.length >= 2 ? parts[parts.length - 2] : '';
  const rawIp = parts.length >= 3 ? parts.slice(0, parts.length - 2).join(':') : '';

  const hostIp = hostIpOf(rawIp, bad);
  const slash = containerPart.split('/');
  if (slash[0] === '') bad('no container port');
  const protocolText = slash.length > 1 && slash[1] !== '' ? slash[1].toLowerCase() : 'tcp';
  const protocol = PROTOCOLS.find((known) => known === protocolText) ?? bad(`unknown protocol "${slash[1]}" (tcp, udp or sctp)`);
  const [start, end] = portRange(slash[0]) ?? bad(`invalid container port "${slash[0]}"`);
  let hostStart: number | null = null;
  if (hostPart !== '') {
    const hostRange = portRange(hostPart) ?? bad(`invalid host port "${hostPart}"`);
    if (hostRange[1] - hostRange[0] !== end - start) {
      bad(start === end ? 'a host port range for one container port lets the engine pick the port; give one host port' : 'the host and container port ranges differ in length');
    }
    hostStart = hostRange[0];
  }
  if (start === 0 || hostStart === 0) bad('port 0 is not a port');
  const ports: ComposePort[] = [];
  for (let offset = 0; offset <= end - start; offset++) {
    ports.push({ target: start + offset, published: hostStart === null ? null : hostStart + offset, hostIp, protocol });
  }
  return ports;
}

/** `8080` or `8000-8010`: Docker's ParsePortRange (each a 16-bit number). */
function portRange(text: string): [number, number] | null {
  const parts = text.split('-');
  if (parts.length > 2 || !parts.every((part) => /^\d+$/.test(part) && Number(part) <= 65535)) return null;
  const start = Number(parts[0]);
  const end = Number(parts[parts.length - 1]);
  return end < start ? null : [start, end];
}

function hostIpOf(raw: string, bad: (why: string) => never): string | null {
  if (raw === '') return null;
  let ip = raw;
  if (raw.startsWith('[')) {
    if (!raw.endsWith(']')) bad(`invalid IP address ${raw}`);
    ip = raw.slice(1, -1);
  } else if (raw.includes(':')) {
    bad(`IPv6 address ${raw} must be written in brackets, e.g. [::1]:8080:80`);
  }
  if (!isIP(ip)) bad(`invalid IP address ${raw}`);
  return ip;
}

function longPort(map: YMap, scope: Scope): ComposePort {
  checkKeys(map, scope, PORT_KEYS);
  const get = (key: string) => map.entries.get(key)?.value;
  const targetNode = get('target') ?? scope.fail(map, 'target is missing', 'give the container port as target: 80');
  const target = readInteger(targetNode, scope.field('target'), 1);
  if (target > 65535) scope.field('target').fail(targetNode, `${target} is not a port (1-65535)`, 'give the container port as target: 80');

  let published: number | null = null;
  const publishedNode = get('published');
  if (publishedNode !== undefined) {
    const text = scalarText(publishedNode, scope.field('published'), true);
    if (text !== null && text !== '') {
      const range = portRange(text);
      if (range === null || range[0] === 0) throw scope.field('published').error(publishedNode, `"${text}" is not a host port`, 'give one host port, e.g. published: "8080"');
      if (range[0] !== range[1]) {
        scope.field('published').fail(publishedNode, `"${text}" is a range: the engine would pick the port`, 'give one host port, e.g. published: "8080"');
      }
      published = range[0];
    }
  }

  let hostIp: string | null = null;
  const hostIpNode = get('host_ip');
  if (hostIpNode !== undefined) {
    const text = readString(hostIpNode, scope.field('host_ip'));
    if (!isIP(text)) scope.field('host_ip').fail(hostIpNode, `"${text}" is not an IP address`, 'give an IPv4 or IPv6 address, e.g. 127.0.0.1');
    hostIp = text;
  }

  let protocol: ComposePort['protocol'] = 'tcp';
  const protocolNode = get('protocol');
  if (protocolNode !== undefined) {
    const text = readString(protocolNode, scope.field('protocol')).toLowerCase();
    protocol = PROTOCOLS.find((known) => known === text) ?? scope.field('protocol').fail(protocolNode, `"${text}" is not a protocol`, 'use tcp, udp or sctp');
  }

  const modeNode = get('mode');
  if (modeNode !== undefined) {
    const mode = readString(modeNode, scope.field('mode'));
    if (mode !== 'host' && mode !== 'ingress') scope.field('mode').fail(modeNode, `"${mode}" is not a port mode`, 'use host or ingress, or leave mode out');
  }
  return { target, published, hostIp, protocol };
}
