/**
 * The early calls: scripts/build-renderer.js puts this script inline in index.html's head, where
 * the page runs it as it is parsed, before app.js has even arrived. See client/early-calls.ts.
 */
import { startEarlyCalls } from './client/early-calls';

startEarlyCalls(window);
