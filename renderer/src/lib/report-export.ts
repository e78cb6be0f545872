/**
 * Saving the device's report (`device:report`) as a JSON file from the page (and any other
 * file the page offers, such as a downloaded bundle or a needs list): a Blob, an
 * object URL and a temporary `<a download>`. No script or navigation is involved, so the
 * strict CSP needs no exception; the URL is revoked once the browser has taken the file.
 */

/** `tagkeeper-report-2024-05-01.json`, by the local date. */
export function reportFileName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `tagkeeper-report-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}.json`;
}

/** Where the file goes: the page's document and URL by default; tests pass their own. */
export interface SaveTarget {
  document: Document;
  createObjectURL(blob: Blob): string;
  revokeObjectURL(url: string): void;
  /** Wait before revoking, so the browser has read the Blob. */
  revokeAfterMs: number;
}

export const browserTarget = (): SaveTarget => ({
  document,
  createObjectURL: (blob) => URL.createObjectURL(blob),
  revokeObjectURL: (url) => URL.revokeObjectURL(url),
  revokeAfterMs: 1000,
});

/** Offers `value` as a pretty-printed JSON file named `fileName`; returns the Blob offered. */
export function saveJson(value: unknown, fileName: string, target: SaveTarget = browserTarget()): Blob {
  return saveBlob(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' }), fileName, target);
}

/** Offers `blob` as a file named `fileName` (a JSON report, a downloaded bundle); returns it. */
export function saveBlob(blob: Blob, fileName: string, target: SaveTarget = browserTarget()): Blob {
  const url = target.createObjectURL(blob);
  const link = target.document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.className = 'offscreen';
  target.document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => target.revokeObjectURL(url), target.revokeAfterMs);
  }
  return blob;
}
