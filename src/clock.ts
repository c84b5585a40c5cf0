// The one place that reads the wall clock. Everything else takes `now` as an input (AppDeps.now, a
// service's argument), so tests can stand at any moment of the year and the suite passes on any day.
// Durations (timeouts, cache ages) use the monotonic clock instead: they measure time passing, not
// the date.
import { performance } from 'node:perf_hooks';

export type Clock = () => Date;

/** The real time, for the entry points (server, CLIs) that make the clock. */
export const systemClock: Clock = () => new Date();

/** Milliseconds on the monotonic clock, for durations only; never a date. */
export const monotonicMs = (): number => performance.now();
