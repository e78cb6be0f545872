// Preloaded into a CLI run by the benchmarks (NODE_OPTIONS=--require): at exit, prints the
// process's peak resident memory on stderr as `bench-peak-rss-kb N` (the benchmark reads it).
'use strict';
const { writeSync } = require('node:fs');

process.on('exit', () => {
  writeSync(2, `bench-peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
