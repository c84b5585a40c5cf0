// Server-sent events for the live chart (C2). One feed per edition and app instance: on a change it
// loads the counts once (bursts of votes are coalesced) and writes the same message to every screen
// connected to this instance, so a thousand open streams cost one query, not a thousand. A heartbeat
// comment keeps proxies from closing idle streams; shutdown ends them. Only counts are ever sent.
import type { Response } from 'express';
import type { LiveBus } from './bus';

const HEARTBEAT_MS = 15_000;
const COALESCE_MS = 100;

type Feed = {
  clients: Set<Response>;
  last: string | null;
  timer: NodeJS.Timeout | null;
  running: boolean;
  pending: boolean;
  heartbeat: NodeJS.Timeout;
  unsubscribe: () => void;
};

export type LiveFeeds = { attach(res: Response, editionId: number): void };

export function createLiveFeeds(bus: LiveBus, load: (editionId: number) => Promise<unknown>): LiveFeeds {
  const feeds = new Map<number, Feed>();

  const broadcast = (feed: Feed, message: string) => {
    for (const res of feed.clients) res.write(message);
  };

  const refresh = async (editionId: number, feed: Feed) => {
    feed.running = true;
    feed.pending = false;
    try {
      const message = `event: counts\ndata: ${JSON.stringify(await load(editionId))}\n\n`;
      feed.last = message;
      broadcast(feed, message);
    } catch {
      /* the database hiccupped: the next change or a reconnect brings fresh counts */
    } finally {
      feed.running = false;
    }
    if (feed.pending && feeds.get(editionId) === feed) schedule(editionId, feed, COALESCE_MS);
  };

  const schedule = (editionId: number, feed: Feed, delay: number) => {
    if (feed.timer || feed.running) {
      feed.pending = true;
      return;
    }
    feed.timer = setTimeout(() => {
      feed.timer = null;
      void refresh(editionId, feed);
    }, delay);
  };

  const close = (editionId: number, feed: Feed) => {
    if (feeds.get(editionId) !== feed) return;
    feeds.delete(editionId);
    clearInterval(feed.heartbeat);
    if (feed.timer) clearTimeout(feed.timer);
    feed.unsubscribe();
    for (const res of feed.clients) res.end();
    feed.clients.clear();
  };

  const feedFor = (editionId: number): Feed => {
    const existing = feeds.get(editionId);
    if (existing) return existing;
    const feed: Feed = {
      clients: new Set(),
      last: null,
      timer: null,
      running: false,
      pending: false,
      heartbeat: setInterval(() => broadcast(feed, ': heartbeat\n\n'), HEARTBEAT_MS).unref(),
      unsubscribe: () => undefined,
    };
    feed.unsubscribe = bus.subscribe(
      editionId,
      () => {
        feed.last = null;
        schedule(editionId, feed, COALESCE_MS);
      },
      () => close(editionId, feed),
    );
    feeds.set(editionId, feed);
    return feed;
  };

  return {
    attach(res, editionId) {
      res.status(200);
      res.set({
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      });
      res.flushHeaders();
      res.write('retry: 3000\n\n');
      const feed = feedFor(editionId);
      feed.clients.add(res);
      if (feed.last) res.write(feed.last);
      else schedule(editionId, feed, 0);
      res.on('close', () => {
        feed.clients.delete(res);
        if (feed.clients.size === 0) close(editionId, feed);
      });
    },
  };
}
