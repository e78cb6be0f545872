/**
 * Bundle files in the desktop app: the preload's native dialogs give paths on this machine,
 * which is the box the core runs on, so nothing is copied: the core reads the chosen bundle
 * and writes the export straight to the chosen path.
 */
import type { TagkeeperClient } from '../../../main/api/client';
import { TagkeeperError } from '../../../main/api/errors';
import { baseName, bundleFileName } from '../lib/file-names';
import type { TagkeeperFilesBridge } from './bridge';
import type { BundleFiles } from './types';

export function desktopFiles(bridge: TagkeeperFilesBridge | undefined, client: TagkeeperClient, now: () => Date = () => new Date()): BundleFiles {
  const dialogs = (): TagkeeperFilesBridge => {
    if (bridge) return bridge;
    throw new TagkeeperError('internal', 'the desktop app offers no file dialogs', {
      hint: 'the preload and the renderer come from different builds: rebuild with npm run build',
    });
  };
  return {
    mode: 'dialog',
    async pickBundleForImport() {
      const path = await dialogs().openBundle();
      return path ? { file: path, name: baseName(path), bytes: null } : null;
    },
    async saveExport(request) {
      const path = await dialogs().saveBundle(bundleFileName(now()));
      if (!path) return null;
      const answer = await client.call('bundles:export', { ...request, file: path });
      return { answer, savedAs: answer.file };
    },
  };
}
