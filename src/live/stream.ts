// Server-sent events for the presenter's chart: fresh counts after every change (at most a few times a
// second, however many votes arrive), a heartbeat comment so proxies keep the stream open, and an end
// on shutdown. Only counts are sent, never who voted.
import type { Request, Response } from 'express';
import type { LiveBus } from './bus';

const HEARTBEAT_MS = 15_000;
const THROTTLE_MS = 250;

export function sendEventStream(_req: Request, res: Response, options: { bus: LiveBus; editionId: number; load: () => Promise<unknown> }): void {
  res.status(200);
  res.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
    Connection: 'keep-alive',
  });
  res.flushHeaders();
  res.write('retry: 3000\n\n');

  let ended = false;
  let timer: NodeJS.Timeout | null = null;
  let pending = false;
  let running = false;

  const push = async () => {
    if (ended) return;
    running = true;
    try {
      const data = await options.load();
      if (!ended) res.write(`event: counts\ndata: ${JSON.stringify(data)}\n\n`);
    } catch {
      /* the database hiccupped; the next change or reconnect sends fresh counts */
    } finally {
      running = false;
    }
  };

  // Coalesce bursts: one query per THROTTLE_MS per stream.
  const schedule = () => {
    if (ended) return;
    if (timer || running) {
      pending = true;
      return;
    }
    timer = setTimeout(async () => {
      timer = null;
      pending = false;
      await push();
      if (pending) schedule();
    }, THROTTLE_MS);
  };

  const heartbeat = setInterval(() => {
    if (!ended) res.write(': heartbeat\n\n');
  }, HEARTBEAT_MS);

  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    if (timer) clearTimeout(timer);
    unsubscribe();
    res.end();
  };

  const unsubscribe = options.bus.subscribe(options.editionId, schedule, end);
  res.on('close', end);
  void push();
}
