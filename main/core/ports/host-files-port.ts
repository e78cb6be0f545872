/**
 * Reading files of the box Tagkeeper runs on (a Compose file, its env files): the core has no
 * file system of its own. A missing file throws an Error whose `code` is 'ENOENT'.
 */
export interface HostFilesPort {
  readText(path: string): string;
}
