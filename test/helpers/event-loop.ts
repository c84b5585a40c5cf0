// How long the event loop was held while some work ran (SPEC §6 "Bounded work": no single request may
// hold it for more than about 50 ms). perf_hooks samples the loop every few milliseconds; the longest
// delay seen is what every other request would have waited.
//
// On a machine shared with other processes the operating system can also pause this process, and the
// loop's delay then grows without any code holding it. So a second monitor counts, for each pause, the
// CPU time the process spent in it: code that holds the loop uses the CPU the whole time, a process
// that is not scheduled does not. A stall is the smaller of the two.
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The ceiling the hardening tests hold every hostile request to (the SPEC's 50 ms, with room for a busy test machine). */
export const MAX_LOOP_DELAY_MS = 100;

const TICK_MS = 5;

/** Runs the work and reports the longest the event loop was delayed (`maxMs`) and held by busy code (`busyMs`), in milliseconds. */
export async function loopDelayDuring<T>(work: () => Promise<T>): Promise<{ result: T; maxMs: number; busyMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: TICK_MS });
  let busyMs = 0;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const lateMs = now - last - TICK_MS;
    busyMs = Math.max(busyMs, Math.min(lateMs, (cpu.user + cpu.system) / 1000));
    last = now;
    lastCpu = process.cpuUsage();
  }, TICK_MS);
  histogram.enable();
  try {
    const result = await work();
    return { result, maxMs: histogram.max / 1e6, busyMs };
  } finally {
    histogram.disable();
    clearInterval(ticker);
  }
}

/**
 * Runs the work and returns a problem when it held the loop past MAX_LOOP_DELAY_MS: delayed it that
 * long while using the CPU that long, on two runs (work that really holds the loop does it every time).
 */
export async function loopStall<T>(label: string, work: () => Promise<T>): Promise<{ result: T; problem: string | null }> {
  const held = (r: { maxMs: number; busyMs: number }) => Math.min(r.maxMs, r.busyMs);
  const first = await loopDelayDuring(work);
  if (held(first) <= MAX_LOOP_DELAY_MS) return { result: first.result, problem: null };
  const again = await loopDelayDuring(work);
  if (held(again) <= MAX_LOOP_DELAY_MS) return { result: again.result, problem: null };
  return { result: again.result, problem: `${label}: held the event loop ${Math.round(Math.min(held(first), held(again)))} ms` };
}
