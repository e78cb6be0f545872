/** What the core announces while it works. Events carry ids; clients fetch the data. */
import type { TransferProgress } from './bundles';

export type CoreEvent =
  | { type: 'pull-progress'; app: string; service: string; progress: PullProgress }
  | { type: 'app-changed'; app: string }
  | { type: 'operation-changed'; id: number; app: string }
  | { type: 'transfer-progress'; progress: TransferProgress }
  /** The engine's event stream broke (false) or is open again (true): clients check the engine (and refetch once it is back). */
  | { type: 'engine-changed'; reachable: boolean };

export type LayerStatus = 'waiting' | 'downloading' | 'verifying' | 'downloaded' | 'extracting' | 'complete' | 'exists';

export interface LayerProgress {
  /** Layer id as the engine prints it (short digest). */
  id: string;
  status: LayerStatus;
  /** Bytes downloaded so far (never counts extraction progress). */
  current: number;
  /** Compressed size of the layer; null while the engine has not said. */
  total: number | null;
}

export interface PullProgress {
  reference: string;
  /** In the order the engine first mentioned them. */
  layers: LayerProgress[];
  layersTotal: number;
  /** Layers pulled completely or already on disk. */
  layersDone: number;
  /** Bytes downloaded, over layers that need downloading (not `exists`). */
  bytesDone: number;
  /** Sum of the known layer sizes; a lower bound while some size is unknown. */
  bytesTotal: number;
  /** Clock time (ms) the tracker was created. */
  startedAt: number;
  /** Download speed over the last few seconds. */
  bytesPerSecond: number;
}
