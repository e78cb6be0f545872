/**
 * The offline bundle adapter: `bundleFormat()` gives the core's BundlePort (the file format),
 * `workFolder(dir, owners)` its WorkFilesPort (the instance's uploads, exports and import scratch).
 */
export { bundleFormat } from './bundle-format';
export { workFolder, WorkFolder, type ScratchOwners } from './work-folder';
