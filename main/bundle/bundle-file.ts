/**
 * Opening a bundle file for inspect and import: a path that is missing, unreadable or not a
 * regular file is the caller's mistake (invalid-input), said before anything is read.
 */
import { stat } from 'node:fs/promises';
import { TagkeeperError } from '../api/errors';
import { fileSource, type ByteSource } from './byte-source';

export async function openBundleFile(file: string): Promise<{ source: ByteSource; size: number }> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    return { source: await fileSource(file), size: info.size };
  } catch (error) {
    throw new TagkeeperError('invalid-input', `cannot read the bundle ${file}: ${(error as Error).message}`, {
      hint: 'give the path of a bundle made by tagkeeper bundle export',
      cause: error,
    });
  }
}
