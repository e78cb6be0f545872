/** @jsxRuntime automatic */
/** Every image on the box: id, tags, registry digests, size, and the services that use it; removing the unused ones. */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { ImageView } from '../../../../main/api/types/images';
import { formatBytes, formatCreated, shortDigest } from '../../lib/format';
import { Digest } from '../Digest';
import { ErrorText } from '../ErrorText';
import { useStores } from '../StoresContext';
import { PruneDialog } from './PruneDialog';

export function ImagesScreen() {
  const { images } = useStores();
  const list = useStore(images, (s) => s.images);
  const loaded = useStore(images, (s) => s.loaded);
  const loading = useStore(images, (s) => s.loading);
  const loadError = useStore(images, (s) => s.loadError);

  useEffect(() => {
    void images.getState().load();
  }, [images]);

  const unused = list.filter((i) => i.unused);
  const unusedBytes = unused.reduce((sum, i) => sum + i.size, 0);
  const [pruning, setPruning] = useState(false);
  const pruneReason = !loaded ? 'loading the images' : unused.length === 0 ? 'no image is unused' : null;

  return (
    <section className="screen images-screen" aria-label="Images">
      <div className="toolbar">
        <h1>Images</h1>
        <span className="muted" data-testid="images-summary">
          {list.length} images, {unused.length} unused ({formatBytes(unusedBytes)})
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => void images.getState().load()} disabled={loading} title={loading ? 'loading' : undefined}>
          {loading ? 'Loading…' : 'Reload'}
        </button>
        <button type="button" className="danger" data-testid="images-prune" aria-disabled={pruneReason ? true : undefined} title={pruneReason ?? 'see what would be removed, then confirm'}
          onClick={() => (pruneReason ? undefined : setPruning(true))}>
          Remove unused ({formatBytes(unusedBytes)})…
        </button>
      </div>
      {pruning ? <PruneDialog onClose={() => setPruning(false)} /> : null}
      <ErrorText error={loadError} testId="images-load-error" />
      {!loaded && !loadError ? <p className="muted">Loading images…</p> : null}
      {loaded && list.length === 0 ? <p className="muted">No images on this box.</p> : null}
      {list.length > 0 ? (
        <div className="table-scroll">
          <table className="images stacking">
            <thead>
              <tr>
                <th>Image id</th>
                <th>Tags</th>
                <th>Registry digests</th>
                <th>Size</th>
                <th>Created</th>
                <th>Used by</th>
              </tr>
            </thead>
            <tbody>
              {list.map((image) => (
                <ImageRow key={image.id} image={image} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function ImageRow({ image }: { image: ImageView }) {
  const short = shortDigest(image.id);
  return (
    <tr className={image.unused ? 'unused' : ''} data-testid={`image-row-${short}`}>
      <td data-label="Image id">
        <Digest digest={image.id} label="image id" testId={`image-id-${short}`} />
      </td>
      <td data-label="Tags" className="wrap">{image.repoTags.length > 0 ? image.repoTags.map((t) => <div key={t}><code>{t}</code></div>) : <span className="muted">untagged</span>}</td>
      <td data-label="Registry digests" className="wrap">
        {image.repoDigests.length > 0
          ? image.repoDigests.map((d) => (
              <div key={d} title={d}>
                <code>{d.slice(0, d.indexOf('@'))}</code>@<code>{shortDigest(d.slice(d.indexOf('@') + 1))}</code>
              </div>
            ))
          : <span className="muted">none (built or loaded locally)</span>}
      </td>
      <td data-label="Size" className="nowrap">{formatBytes(image.size)}</td>
      <td data-label="Created" className="nowrap" data-testid={`image-created-${short}`} title={image.created}>{formatCreated(image.created)}</td>
      <td data-label="Used by" className="wrap uses">
        {image.unused ? (
          <span className="tag unused" data-testid={`image-unused-${short}`}>unused</span>
        ) : (
          image.uses.map((u) => (
            <div key={`${u.app}/${u.service}/${u.role}`} data-testid={`image-use-${short}-${u.app}-${u.service}`}>
              {u.app}/{u.service} <span className={`tag role-${u.role}`}>{ROLE_WORDS[u.role]}</span> <code className="muted">{u.reference}</code>
            </div>
          ))
        )}
      </td>
    </tr>
  );
}

/** What the image is to the service, in words (the core's `latched` is what it runs). */
const ROLE_WORDS: Record<ImageView['uses'][number]['role'], string> = { latched: 'runs it', previous: 'previous', pending: 'pending update' };
