/** `app export NAME --compose`: the app's definition with every image pinned to its latched digest. */
import { TagkeeperError } from '../../api/errors';
import type { AppRecord } from '../../api/types/apps';
import type { ComposeExport } from '../../api/types/compose';
import { exportCompose } from '../compose/compose-export';
import type { CoreDeps } from '../ports/deps';

export function exportPinned(deps: Pick<CoreDeps, 'now'>, app: AppRecord): ComposeExport {
  const project = app.compose!.project;
  const pins = Object.fromEntries(
    app.services.map((s) => {
      // The index digest is what the tag pointed at (what `docker pull` prints); else the platform manifest.
      const digest = s.latched?.indexDigest ?? s.latched?.manifestDigest;
      if (!digest) {
        throw new TagkeeperError('invalid-input', `service ${s.name} of app ${app.name} runs an image with no registry digest, so it cannot be pinned`, {
          hint: `refresh the app (tagkeeper app refresh ${app.name}) so the service runs content from a registry, then export`,
        });
      }
      return [s.name, { reference: s.reference, digest }];
    }),
  );
  return { app: app.name, fileName: `${app.name}.compose.yaml`, text: exportCompose(project, pins, { exportedAt: deps.now() }), pins };
}
