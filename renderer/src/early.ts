/**
 * early.js: loaded (not deferred) from index.html's head, before app.js. See
 * client/early-calls.ts.
 */
import { startEarlyCalls } from './client/early-calls';

startEarlyCalls(window);
