/** @jsxRuntime automatic */
/** Create an app: from an image reference (one service). */
import { ImageCreateForm } from './ImageCreateForm';

export function CreateScreen({ parseDelayMs }: { parseDelayMs?: number }) {
  return (
    <section className="screen create-screen" aria-label="Create app">
      <h1>Create an app</h1>
      <p className="muted intro">The tag is resolved to a digest now; the app runs exactly that content until you refresh it.</p>
      <ImageCreateForm parseDelayMs={parseDelayMs} />
    </section>
  );
}
