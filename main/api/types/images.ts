/** Images on the box and what uses them, and what a prune removes. */
export interface ImageUse {
  app: string;
  service: string;
  reference: string;
  role: 'latched' | 'previous' | 'pending';
}

export interface ImageView {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  created: string;
  uses: ImageUse[];
  /** No app drive runs it, keeps it as its previous content, or has it staged as a pending update. */
  unused: boolean;
}

export interface PrunedImage {
  id: string;
  repoTags: string[];
  size: number;
}

export interface PrunePreview {
  dryRun: true;
  images: PrunedImage[];
  /** What the images take on disk (layers shared with kept images are not freed). */
  bytes: number;
}

export interface PruneOutcome {
  dryRun: false;
  removed: PrunedImage[];
  /** The size of the removed images. */
  bytes: number;
  /** Images the engine refused to remove, and why (the others were removed). */
  failed: { id: string; message: string }[];
}

export type PruneAnswer = PrunePreview | PruneOutcome;
