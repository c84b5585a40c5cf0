// A constant-rate (open-loop) load generator, wrk2-style: request k is due at start + k / rate (or at
// Poisson arrival times, for people acting independently), whether or not earlier answers have come
// back, and its latency is counted from when it was due, not from when it could be sent (no
// coordinated omission). autocannon's `overallRate` is not this: each connection sends its quota as
// fast as it can at the top of every second and then waits, so 100 requests/s arrive as one burst of
// 100 each second, and the bench measured that burst instead of the steady rate (issue 20).
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export type PlannedRequest = { method?: string; path: string; headers?: Record<string, string>; body?: string };

export type OpenLoadOptions = {
  url: string;
  /** Requests per second. */
  rate: number;
  seconds: number;
  /**
   * 'even': one every 1/rate s. 'random': people acting independently — `rate × seconds` requests at
   * uniformly random times within the window (a Poisson process with that many arrivals; fixed seed).
   */
  arrivals?: 'even' | 'random';
  /** Shifts every due time, e.g. to interleave two generators. */
  offsetMs?: number;
  /** The k-th request, or null when there is nothing left to send. */
  request(k: number): PlannedRequest | null;
  onResponse?(statusCode: number): void;
  timeoutMs?: number;
};

export type OpenLoadResult = {
  sent: number;
  codes: Record<string, number>;
  errors: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** How late the generator itself sent requests (its own event loop): should stay near 0. */
  sendLagMaxMs: number;
  requestsPerSecond: number;
};

/** A small deterministic generator (mulberry32), so two runs send the same arrival pattern. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function openLoad(options: OpenLoadOptions): Promise<OpenLoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const interval = 1000 / options.rate;
  const next = random(0x5eed);
  const end = options.seconds * 1000;
  const codes: Record<string, number> = {};
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  let sendLagMaxMs = 0;
  let inFlight = 0;
  let finished = false;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const start = performance.now() + 50 + (options.offsetMs ?? 0);
  // Due times in ms after start.
  const total = Math.round(options.rate * options.seconds);
  const randomTimes = options.arrivals === 'random' ? Array.from({ length: total }, () => next() * end).sort((a, b) => a - b) : null;
  const dueTime = (i: number) => (i >= total ? end : randomTimes ? randomTimes[i] : i * interval);
  let k = 0;
  let dueAt = dueTime(0);

  const fire = (planned: PlannedRequest, due: number) => {
    sent += 1;
    inFlight += 1;
    const finish = (code: string | null) => {
      if (code === null) errors += 1;
      else codes[code] = (codes[code] ?? 0) + 1;
      latencies.push(performance.now() - due);
      inFlight -= 1;
      if (finished && inFlight === 0) resolveDone();
    };
    const body = planned.body === undefined ? undefined : Buffer.from(planned.body);
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: planned.method ?? 'GET',
        path: planned.path,
        headers: { ...planned.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: options.timeoutMs ?? 20_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          options.onResponse?.(res.statusCode ?? 0);
          finish(String(res.statusCode));
        });
        res.on('error', () => finish(null));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => finish(null));
    req.end(body);
  };

  const tick = () => {
    const now = performance.now();
    while (start + dueAt <= now && dueAt < end) {
      const planned = options.request(k);
      if (!planned) {
        dueAt = end;
        break;
      }
      sendLagMaxMs = Math.max(sendLagMaxMs, now - (start + dueAt));
      fire(planned, start + dueAt);
      k += 1;
      dueAt = dueTime(k);
    }
    if (dueAt < end) {
      setTimeout(tick, Math.max(0, start + dueAt - performance.now()));
    } else {
      finished = true;
      if (inFlight === 0) resolveDone();
    }
  };
  setTimeout(tick, Math.max(0, start - performance.now()));
  await done;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    sent,
    codes,
    errors,
    latency: {
      p50: round(percentile(latencies, 50)),
      p90: round(percentile(latencies, 90)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? 0),
      mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
    },
    sendLagMaxMs: round(sendLagMaxMs),
    requestsPerSecond: Math.round(sent / options.seconds),
  };
}
