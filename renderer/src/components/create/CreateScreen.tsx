/** @jsxRuntime automatic */
/**
 * Create an app, one of two ways: from an image reference (one service), or from a Compose
 * file (its services, networks and volumes). Both forms stay mounted, so switching between
 * them keeps what was typed in each.
 */
import { useState } from 'react';
import { ComposeCreateForm } from './ComposeCreateForm';
import { ImageCreateForm } from './ImageCreateForm';

type Way = 'images' | 'compose';

const WAYS: { way: Way; label: string; help: string }[] = [
  { way: 'images', label: 'Images', help: 'one service from an image reference' },
  { way: 'compose', label: 'Compose file', help: 'the services, networks and volumes of a Compose file' },
];

export function CreateScreen({ parseDelayMs }: { parseDelayMs?: number }) {
  const [way, setWay] = useState<Way>('images');
  return (
    <section className="screen create-screen" aria-label="Create app">
      <h1>Create an app</h1>
      <p className="muted intro">Each tag is resolved to a digest now; the app runs exactly that content until you refresh it.</p>
      <div className="create-ways" role="radiogroup" aria-label="Define the app from">
        {WAYS.map((w) => (
          <label key={w.way} className={`create-way ${way === w.way ? 'current' : ''}`}>
            <input type="radio" name="create-way" value={w.way} data-testid={`create-way-${w.way}`} checked={way === w.way} onChange={() => setWay(w.way)} />
            <strong>{w.label}</strong> <span className="muted">{w.help}</span>
          </label>
        ))}
      </div>
      <ImageCreateForm parseDelayMs={parseDelayMs} hidden={way !== 'images'} />
      <ComposeCreateForm hidden={way !== 'compose'} />
    </section>
  );
}
