// Preloaded into a CLI run by the benchmarks (NODE_OPTIONS=--require): at exit, prints the
// process's peak resident memory on stderr as `bench-peak-rss-kb N` (the benchmark reads it).
// VmHWM of /proc/self/status, not getrusage's maxrss: that one keeps the value of the process
// that forked this one (the benchmark, with its images in memory) across exec.
'use strict';
const { readFileSync, writeSync } = require('node:fs');

process.on('exit', () => {
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  writeSync(2, `bench-peak-rss-kb ${hwm ? hwm[1] : process.resourceUsage().maxRSS}\n`);
});
