/** Names of the files the page offers or shows. Pure. */

const day = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
};

/** `tagkeeper-2024-05-01.bundle`, by the local date: what the save dialog proposes. */
export function bundleFileName(date: Date): string {
  return `tagkeeper-${day(date)}.bundle`;
}

/** `tagkeeper-needs-2024-05-01.json`, by the local date. */
export function needsFileName(date: Date): string {
  return `tagkeeper-needs-${day(date)}.json`;
}

/** The last part of a path, with `/` or `\` separators (the desktop may run on Windows). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts.length > 0 ? parts[parts.length - 1] : path;
}
