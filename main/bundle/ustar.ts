/**
 * The 512-byte ustar header, both ways, for the two tars Tagkeeper frames itself: the bundle
 * it reads on import (only regular files are accepted; every other type is named so the
 * refusal can say what the entry was) and the `docker load` archive it streams to the engine.
 * Both move as much data as the bundle, in buffers reused from chunk to chunk, which a
 * general tar library (handing out views of its input) cannot do safely.
 */

export const BLOCK = 512;

export type EntryType =
  | 'file'
  | 'link'
  | 'symlink'
  | 'character-device'
  | 'block-device'
  | 'directory'
  | 'fifo'
  | 'contiguous-file'
  | 'pax-header'
  | 'pax-global-header'
  | 'gnu-long-path'
  | 'gnu-long-link-path'
  | 'unknown';

export interface EntryHeader {
  name: string;
  type: EntryType;
  size: number;
  linkname: string;
}

const TYPES: Record<string, EntryType> = {
  '0': 'file',
  '\0': 'file',
  '1': 'link',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
  '7': 'contiguous-file',
  x: 'pax-header',
  g: 'pax-global-header',
  L: 'gnu-long-path',
  K: 'gnu-long-link-path',
};

/** Largest size the 12-byte octal field holds; larger sizes use the base-256 form (GNU tar, Go's archive/tar). */
const MAX_OCTAL_SIZE = 0o77777777777;

/** Thrown for a block that is not a valid header; the message says why. */
export class HeaderError extends Error {}

/** The header in `block` (BLOCK bytes), or null for an all-zero block (the end of the archive). */
export function decodeHeader(block: Buffer): EntryHeader | null {
  if (block.every((byte) => byte === 0)) return null;
  const stored = parseOctal(block, 148, 8, 'checksum');
  let sum = 8 * 0x20; // the checksum field counts as spaces
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += block[i];
  if (stored !== sum) throw new HeaderError('header checksum mismatch');
  const magic = block.toString('latin1', 257, 265);
  const posix = magic === 'ustar\u000000';
  if (!posix && magic !== 'ustar  \u0000') throw new HeaderError('not a ustar header');
  const name = text(block, 0, 100);
  const prefix = posix ? text(block, 345, 155) : '';
  return {
    name: prefix ? `${prefix}/${name}` : name,
    type: TYPES[String.fromCharCode(block[156])] ?? 'unknown',
    size: parseSize(block),
    linkname: text(block, 157, 100),
  };
}

/** The header of a regular file: mode 0644, owner 0:0, mtime 0 (the engine ignores them). */
export function encodeFileHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw new RangeError(`tar entry name ${name} is longer than 100 bytes`);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100, 8, 'ascii');
  header.write('0000000\0', 108, 8, 'ascii');
  header.write('0000000\0', 116, 8, 'ascii');
  if (size <= MAX_OCTAL_SIZE) {
    header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 12, 'ascii');
  } else {
    header[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i--) {
      header[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }
  header.write('00000000000\0', 136, 12, 'ascii');
  header.fill(' ', 148, 156);
  header.write('0', 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
}

/** Zero bytes that fill `size` up to a whole block. */
export const paddingOf = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

function text(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

function parseOctal(block: Buffer, start: number, length: number, field: string): number {
  const raw = block.toString('latin1', start, start + length).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (!/^[0-7]+$/.test(raw)) throw new HeaderError(`the ${field} field is not an octal number`);
  return parseInt(raw, 8);
}

function parseSize(block: Buffer): number {
  if ((block[124] & 0x80) === 0) return parseOctal(block, 124, 12, 'size');
  if (block[124] !== 0x80) throw new HeaderError('the size field is negative or too large');
  let size = 0n;
  for (let i = 125; i < 136; i++) size = (size << 8n) | BigInt(block[i]);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new HeaderError('the size field is too large');
  return Number(size);
}
