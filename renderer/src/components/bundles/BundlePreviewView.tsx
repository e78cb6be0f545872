/** @jsxRuntime automatic */
/**
 * What a bundle would do to this box, before importing it (`bundles:inspect`): who made it,
 * its signature as the core checked it (verified by a trusted key, a key this device does not
 * trust, or not matching: altered) and whether the import will be refused for it, per service
 * old → new digests (a downgrade marked; a digest rejected here before named: the import will
 * not propose it again), the tag each image carries and what it weighs, and the images no app
 * here uses.
 */
import type { BundlePreview } from '../../../../main/api/types/bundles';
import type { ChosenBundle } from '../../client/types';
import { formatBytes, formatTime, shortDigest } from '../../lib/format';
import { Digest } from '../Digest';
import { DigestChange } from '../DigestChange';

type PreviewImage = BundlePreview['images'][number];
type Change = BundlePreview['drives'][number]['change'];

const CHANGE_TEXT: Record<Change, string> = {
  update: 'update: waits for approval',
  latched: 'already runs it',
  rejected: 'rejected before: not proposed again',
};
const CHANGE_TONE: Record<Change, string> = { update: 'pending-pending', latched: 'done', rejected: 'rejected' };

const weight = (image: PreviewImage | undefined) =>
  image ? `${formatBytes(image.bytes)} · ${image.includedLayers === image.layers ? `${image.layers} layers` : `${image.includedLayers} of ${image.layers} layers (delta)`}` : '—';

/**
 * Whether the core will refuse the import for its signature, and why, in words; null when it
 * will not. `acceptUnsigned`: the import is asked to accept a bundle without a trusted signature.
 */
export function signatureRefusal(preview: Pick<BundlePreview, 'signature' | 'signatureRequired'>, acceptUnsigned = false): string | null {
  if (preview.signature?.status === 'invalid') return 'its signature does not match its index, so it was altered after it was signed and the import will be refused';
  if (!preview.signatureRequired || preview.signature?.status === 'trusted' || acceptUnsigned) return null;
  if (preview.signature) {
    return 'it is signed by a key this device does not trust, so the import will be refused: trust the key in Settings if you know it is the exporter\'s, or accept it unsigned below';
  }
  return 'it is unsigned and this device accepts only signed bundles, so the import will be refused: trust the exporter\'s key in Settings and ask for a signed bundle, or accept it unsigned below';
}

/** Whether ticking "Accept it unsigned" lets the import go ahead (the device requires a trusted signature this bundle does not have). */
export const canAcceptUnsigned = (preview: Pick<BundlePreview, 'signature' | 'signatureRequired'>): boolean =>
  preview.signatureRequired && preview.signature?.status !== 'trusted' && preview.signature?.status !== 'invalid';

/** The tag an image carries, and when it moves (loading applies none). */
const tagText = (repoTag: string | null, update: boolean) => (repoTag ? `tag ${repoTag}${update ? ': moves when the update is approved' : ''}` : 'no tag');

/** Around the key id: what the core found of the signature. */
const SIGNATURE_TEXT = {
  trusted: ['verified with the trusted key ', ''],
  untrusted: ['signed by an untrusted key ', ' (not checked: counts as unsigned)'],
  invalid: ['signed with the trusted key ', ', but the signature does NOT match the index: the bundle was altered'],
} as const;

export function BundlePreviewView({ preview, chosen, acceptUnsigned = false }: { preview: BundlePreview; chosen: ChosenBundle; acceptUnsigned?: boolean }) {
  const byDigest = new Map(preview.images.map((i) => [i.manifestDigest, i]));
  const used = new Set(preview.drives.map((d) => d.to.manifestDigest));
  const unmatched = preview.images.filter((i) => !used.has(i.manifestDigest));
  const refusal = signatureRefusal(preview, acceptUnsigned);
  const tagProblems = preview.images.filter((i) => i.tagProblem !== null);
  const trust = preview.signature === null ? 'unsigned' : preview.signature.status;
  const rejected = preview.drives.filter((d) => d.change === 'rejected');

  return (
    <div className="bundle-preview" data-testid="bundle-preview">
      <dl className="facts">
        <dt>File</dt>
        <dd data-testid="bundle-preview-file">
          {chosen.name}
          {chosen.bytes !== null ? <span className="muted"> ({formatBytes(chosen.bytes)})</span> : null}
        </dd>
        <dt>Made</dt>
        <dd data-testid="bundle-preview-made">
          {formatTime(preview.createdAt)} by {preview.creator.user}@{preview.creator.host} <span className="muted">({preview.creator.tool})</span>
        </dd>
        <dt>Signature</dt>
        <dd data-testid="bundle-signature" data-trust={trust}>
          {preview.signature === null ? 'unsigned' : (
            <>
              {SIGNATURE_TEXT[preview.signature.status][0]}
              <Digest digest={preview.signature.keyId} label="key id" testId="bundle-signature-key" />
              {SIGNATURE_TEXT[preview.signature.status][1]}
            </>
          )}
        </dd>
      </dl>
      {refusal ? (
        <p className="warning" data-testid="bundle-signature-warning" role="alert">
          This bundle will not import: {refusal}.
        </p>
      ) : null}
      {tagProblems.map((i) => (
        <p key={i.manifestDigest} className="warning" data-testid={`bundle-tag-problem-${shortDigest(i.manifestDigest)}`} role="alert">
          This bundle will not import: {i.tagProblem}.
        </p>
      ))}
      {rejected.length > 0 ? (
        <p className="warning" data-testid="bundle-rejected-warning" role="alert">
          {rejected.map((d) => `${d.app}/${d.service}`).join(', ')}: {rejected.length === 1 ? 'its digest in this bundle was' : 'their digests in this bundle were'} rejected
          on this box before. Importing will not propose {rejected.length === 1 ? 'it' : 'them'} again; {rejected.length === 1 ? 'it keeps' : 'they keep'} running
          what {rejected.length === 1 ? 'it runs' : 'they run'}.
        </p>
      ) : null}
      <h3>What it changes here</h3>
      {preview.drives.length === 0 ? (
        <p className="muted" data-testid="bundle-no-drives">
          No app on this box runs an image of this bundle: importing it verifies it and changes nothing.
        </p>
      ) : (
        <table className="bundle-drives stacking">
          <thead>
            <tr>
              <th>App / service</th>
              <th>Reference</th>
              <th>Old → new digest</th>
              <th>Change</th>
              <th>In the bundle</th>
            </tr>
          </thead>
          <tbody>
            {preview.drives.map((d) => {
              const id = `${d.app}-${d.service}`;
              return (
                <tr key={id} data-testid={`bundle-drive-${id}`} data-change={d.change} data-downgrade={d.downgrade ? 'yes' : 'no'}>
                  <td data-label="App / service">
                    <strong>{d.app}</strong>/{d.service}
                  </td>
                  <td data-label="Reference">
                    <code className="reference">{d.reference}</code>
                    <div className="muted" data-testid={`bundle-drive-tag-${id}`}>
                      {tagText(byDigest.get(d.to.manifestDigest ?? '')?.repoTag ?? null, d.change === 'update')}
                    </div>
                  </td>
                  <td data-label="Old → new">
                    <DigestChange from={d.from} to={d.to} fromTestId={`bundle-drive-from-${id}`} toTestId={`bundle-drive-to-${id}`} />
                  </td>
                  <td data-label="Change">
                    <span className={`tag ${d.downgrade ? 'outcome-failed' : CHANGE_TONE[d.change]}`} data-testid={`bundle-drive-change-${id}`} title={d.downgrade ?? undefined}>
                      {d.downgrade ? 'downgrade' : CHANGE_TEXT[d.change]}
                    </span>
                    {d.downgrade ? <div className="muted" data-testid={`bundle-drive-downgrade-${id}`}>{d.downgrade}</div> : null}
                  </td>
                  <td className="muted" data-label="In the bundle" data-testid={`bundle-drive-size-${id}`}>
                    {weight(byDigest.get(d.to.manifestDigest ?? ''))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {unmatched.length > 0 ? (
        <>
          <h3>Images no app here uses</h3>
          <p className="muted">They are verified on import but not loaded.</p>
          <ul className="bundle-unmatched" data-testid="bundle-unmatched">
            {unmatched.map((i) => (
              <li key={i.manifestDigest} data-testid={`bundle-image-${shortDigest(i.manifestDigest)}`}>
                <code className="reference">{i.reference}</code> <Digest digest={i.manifestDigest} label="manifest digest" />{' '}
                <span className="muted" data-testid={`bundle-image-tag-${shortDigest(i.manifestDigest)}`}>{i.repoTag ? `tag ${i.repoTag} · ` : 'no tag · '}</span>
                <span className="muted">
                  {i.platform} · {weight(i)}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
