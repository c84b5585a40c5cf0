// Preloaded into the app by `npm run bench` (NODE_OPTIONS=-r …/loop-probe.js): measures the event
// loop's delay with monitorEventLoopDelay, the longest garbage-collection pauses (by kind) and the
// heap's high-water marks. On SIGUSR2 it writes what it saw since the last signal to BENCH_LOOP_FILE
// and starts again, so the bench gets one reading per scenario. Not part of the app.
import fs from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const file = process.env.BENCH_LOOP_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const kinds: Record<number, string> = {
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  let gc: Record<string, { count: number; maxMs: number; totalMs: number }> = {};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = kinds[((e as unknown as { detail?: { kind?: number } }).detail)?.kind ?? -1] ?? 'other';
      const g = (gc[kind] ??= { count: 0, maxMs: 0, totalMs: 0 });
      g.count += 1;
      g.maxMs = Math.max(g.maxMs, e.duration);
      g.totalMs += e.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const mb = (n: number) => Math.round(n / 1048576);
  let heap = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, rss: 0 };
  setInterval(() => {
    const m = process.memoryUsage();
    heap = {
      heapUsed: Math.max(heap.heapUsed, m.heapUsed),
      heapTotal: Math.max(heap.heapTotal, m.heapTotal),
      external: Math.max(heap.external, m.external),
      arrayBuffers: Math.max(heap.arrayBuffers, m.arrayBuffers),
      rss: Math.max(heap.rss, m.rss),
    };
  }, 50).unref();
  let reading = 0;
  process.on('SIGUSR2', () => {
    const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
    reading += 1;
    const round = (g: typeof gc) => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, { count: v.count, maxMs: Math.round(v.maxMs * 10) / 10, totalMs: Math.round(v.totalMs) }]));
    const out = {
      reading,
      maxMs: ms(histogram.max),
      p99Ms: ms(histogram.percentile(99)),
      meanMs: ms(histogram.mean),
      samples: histogram.count,
      gc: round(gc),
      memoryMb: Object.fromEntries(Object.entries(heap).map(([k, v]) => [k, mb(v)])),
    };
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(out));
    fs.renameSync(`${file}.tmp`, file);
    histogram.reset();
    gc = {};
    heap = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, rss: 0 };
  });
}
