/** @jsxRuntime automatic */
/** While an app is being created: the pulls of its images, one line each. */
import { useStore } from 'zustand';
import { formatBytes, percent } from '../../lib/format';
import { useStores } from '../StoresContext';

export function CreatePulls({ app }: { app: string }) {
  const { operations } = useStores();
  const pulls = useStore(operations, (s) => s.pulls);
  const mine = Object.values(pulls).filter((p) => p.app === app);
  if (mine.length === 0) return null;
  return (
    <ul className="create-pulls">
      {mine.map(({ service, progress }) => (
        <li key={service}>
          pulling {progress.reference}: <progress max={100} value={percent(progress.bytesDone, progress.bytesTotal)} />{' '}
          {formatBytes(progress.bytesDone)} / {formatBytes(progress.bytesTotal)}, {progress.layersDone}/{progress.layersTotal} layers
        </li>
      ))}
    </ul>
  );
}
