/**
 * Engine event JSON (GET /events) → EngineEvent.
 */
import type { EngineEvent } from '../core/ports/engine-port';

const TYPES = ['container', 'image', 'volume'] as const;

/** Attributes the engine adds next to a container's labels; they are not labels. */
const ENGINE_ATTRIBUTES: Readonly<Record<EngineEvent['type'], readonly string[]>> = {
  container: ['name', 'image', 'exitCode', 'signal', 'execID', 'execDuration'],
  image: ['name'],
  volume: ['driver', 'container', 'destination', 'propagation', 'read/write'],
};

/** The fields of an engine event this adapter reads. */
export interface RawEngineEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> | null };
  time?: number;
  timeNano?: number;
}

/**
 * The event, or null for a type Tagkeeper does not follow. `time` is in milliseconds since
 * the epoch; `labels` are the actor's attributes without the engine's own keys (name,
 * image, exitCode …), which for containers leaves the container's labels.
 */
export function mapEvent(raw: RawEngineEvent): EngineEvent | null {
  const type = TYPES.find((t) => t === raw.Type);
  if (!type || !raw.Action) return null;
  const attributes = raw.Actor?.Attributes ?? {};
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!ENGINE_ATTRIBUTES[type].includes(key)) labels[key] = value;
  }
  const time = raw.timeNano !== undefined ? Math.floor(raw.timeNano / 1_000_000) : (raw.time ?? 0) * 1000;
  return { type, action: raw.Action, id: raw.Actor?.ID ?? '', labels, time };
}
