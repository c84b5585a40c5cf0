// Preloaded into the app by `npm run bench` (NODE_OPTIONS=-r …/loop-probe.js): measures the event
// loop's delay with monitorEventLoopDelay. On SIGUSR2 it writes what it saw since the last signal to
// BENCH_LOOP_FILE and starts again, so the bench gets one reading per scenario. Not part of the app.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let reading = 0;
  process.on('SIGUSR2', () => {
    const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
    reading += 1;
    const out = { reading, maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), meanMs: ms(histogram.mean), samples: histogram.count };
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(out));
    fs.renameSync(`${file}.tmp`, file);
    histogram.reset();
  });
}
