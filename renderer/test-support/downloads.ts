/**
 * Catches what the page offers as a download (a Blob behind an `<a download>`, see
 * lib/report-export.ts): the Blobs given to URL.createObjectURL and the links clicked, which
 * are not followed. `restore` puts the real URL functions back.
 */
export interface CaughtDownloads {
  blobs: Blob[];
  links: { href: string; download: string }[];
  restore(): void;
}

export function catchDownloads(): CaughtDownloads {
  const blobs: Blob[] = [];
  const links: { href: string; download: string }[] = [];
  const realCreate = URL.createObjectURL;
  const realRevoke = URL.revokeObjectURL;
  URL.createObjectURL = (blob: Blob) => {
    blobs.push(blob);
    return `blob:http://127.0.0.1:3000/download-${blobs.length}`;
  };
  URL.revokeObjectURL = () => undefined;
  const onClick = (event: Event) => {
    // Only downloads: the screens' own links (`#/apps/web`) go where they lead.
    const link = (event.target as Element).closest?.('a[download]') as HTMLAnchorElement | null;
    if (!link) return;
    links.push({ href: link.href, download: link.download });
    event.preventDefault();
  };
  document.addEventListener('click', onClick, true);
  return {
    blobs,
    links,
    restore() {
      document.removeEventListener('click', onClick, true);
      URL.createObjectURL = realCreate;
      URL.revokeObjectURL = realRevoke;
    },
  };
}
