/**
 * Damaging bundle files on purpose: where each tar entry's data lies (ustar headers parsed by
 * hand, so the test does not trust the code under test), flipping one byte of an entry, and
 * appending a crafted entry.
 */
import * as tarStream from 'tar-stream';
import { Readable } from 'node:stream';

export interface TarEntryPlace {
  name: string;
  /** Offset of the entry's data in the file. */
  offset: number;
  size: number;
}

export function tarEntries(tar: Buffer): TarEntryPlace[] {
  const entries: TarEntryPlace[] = [];
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from: number, length: number) => header.subarray(from, from + length).toString('utf8').replace(/\0.*$/s, '');
    const prefix = text(345, 155);
    const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const size = parseInt(text(124, 12).trim() || '0', 8);
    entries.push({ name, offset: at + 512, size });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** A copy of `tar` with one byte of entry `name` changed (at `within` bytes into its data). */
export function flipByte(tar: Buffer, name: string | ((n: string) => boolean), within = 0): Buffer {
  return changeByte(tar, name, within, (byte) => byte ^ 0x01);
}

/**
 * The same for a byte of base64 text: it becomes another base64 letter ('A', or 'B' where it
 * was 'A'), so the text still decodes, to other bytes (a flipped bit could leave the alphabet).
 */
export function changeBase64Letter(tar: Buffer, name: string | ((n: string) => boolean), within = 0): Buffer {
  const A = 'A'.charCodeAt(0);
  return changeByte(tar, name, within, (byte) => (byte === A ? A + 1 : A));
}

function changeByte(tar: Buffer, name: string | ((n: string) => boolean), within: number, change: (byte: number) => number): Buffer {
  const entry = tarEntries(tar).find((e) => (typeof name === 'string' ? e.name === name : name(e.name)));
  if (!entry) throw new Error(`no tar entry ${String(name)}`);
  const copy = Buffer.from(tar);
  const at = entry.offset + Math.min(within, entry.size - 1);
  copy[at] = change(copy[at]);
  return copy;
}

/** `tar` (its end-of-archive blocks dropped) with extra entries appended. */
export async function withExtraEntries(tar: Buffer, extra: (pack: tarStream.Pack) => void): Promise<Buffer> {
  const entries = tarEntries(tar);
  const last = entries[entries.length - 1];
  const body = tar.subarray(0, last.offset + Math.ceil(last.size / 512) * 512);
  const pack = tarStream.pack();
  extra(pack);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from(pack)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat([body, ...chunks]);
}
