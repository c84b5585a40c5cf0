// Server-sent events for the ceremony's screens and the phones (C2, C6, C7). One feed per edition,
// variant (a language, a kind of screen) and app instance: on a change it loads its message once
// (bursts of votes are coalesced) and writes it to every screen connected to this instance, so five
// thousand open streams cost one query and one render, not five thousand. A message equal to the last
// one sent is not sent again (a vote does not resend the slide). A heartbeat comment keeps proxies from
// closing idle streams; shutdown ends them. A reconnecting screen gets the current message at once.
import type { Response } from 'express';
import type { LiveFollow } from './bus';
import { inTurnWithBudget, turnIsLong } from '../turns';

const HEARTBEAT_MS = 15_000;
const COALESCE_MS = 100;

type Feed = {
  clients: Set<Response>;
  /** The current message for a screen that joins, or null after a change until it is loaded again. */
  last: string | null;
  /** The last message broadcast, to skip sending the same one twice. */
  sent: string | null;
  /** Messages being broadcast, oldest first (see broadcast). */
  outbox: Buffer[];
  /** Screens that joined while the message was being loaded: they get it even if nothing changed. */
  newcomers: Set<Response>;
  timer: NodeJS.Timeout | null;
  running: boolean;
  pending: boolean;
  heartbeat: NodeJS.Timeout;
  unsubscribe: () => void;
};

/** Starts an event stream on the response; then join one or more feeds to it. */
export function openEventStream(res: Response): void {
  res.status(200);
  res.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
    Connection: 'keep-alive',
  });
  res.flushHeaders();
  res.write('retry: 2000\n\n');
}

export type LiveFeeds = {
  /** Adds an open event stream to the edition's feed of this variant. */
  join(res: Response, editionId: number, variant?: string): void;
  /** Starts the stream and joins it (a stream with this one feed). */
  attach(res: Response, editionId: number, variant?: string): void;
};

/** `event`: the SSE event name; `load` gives the message's data (JSON) for an edition and variant. */
export function createLiveFeeds(bus: LiveFollow, load: (editionId: number, variant: string) => Promise<unknown>, event = 'counts'): LiveFeeds {
  const feeds = new Map<string, Feed>();

  // Five thousand writes take about 100 ms of one thread: a broadcast goes out in slices within the
  // turn budget (src/turns.ts), and a feed's messages go out one after the other, so no screen gets
  // a newer message before an older one.
  const broadcast = (feed: Feed, message: string) => {
    feed.outbox.push(Buffer.from(message));
    if (feed.outbox.length === 1) sendNext(feed);
  };

  const sendNext = (feed: Feed) => {
    const data = feed.outbox[0];
    const clients = [...feed.clients];
    let i = 0;
    const step = () => {
      while (i < clients.length) {
        const res = clients[i++];
        if (feed.clients.has(res)) res.write(data);
        if (i < clients.length && turnIsLong()) return inTurnWithBudget(step);
      }
      feed.outbox.shift();
      if (feed.outbox.length) sendNext(feed);
    };
    step();
  };

  const refresh = async (key: string, editionId: number, variant: string, feed: Feed) => {
    feed.running = true;
    feed.pending = false;
    try {
      const message = `event: ${event}\ndata: ${JSON.stringify(await load(editionId, variant))}\n\n`;
      feed.last = message;
      if (message !== feed.sent) {
        feed.sent = message;
        broadcast(feed, message);
      } else {
        for (const res of feed.newcomers) if (feed.clients.has(res)) res.write(message);
      }
      feed.newcomers.clear();
    } catch {
      /* the database hiccupped: the next change or a reconnect brings a fresh message */
    } finally {
      feed.running = false;
    }
    if (feed.pending && feeds.get(key) === feed) schedule(key, editionId, variant, feed, COALESCE_MS);
  };

  const schedule = (key: string, editionId: number, variant: string, feed: Feed, delay: number) => {
    if (feed.timer || feed.running) {
      feed.pending = true;
      return;
    }
    feed.timer = setTimeout(() => {
      feed.timer = null;
      void refresh(key, editionId, variant, feed);
    }, delay);
  };

  const close = (key: string, feed: Feed) => {
    if (feeds.get(key) !== feed) return;
    feeds.delete(key);
    clearInterval(feed.heartbeat);
    if (feed.timer) clearTimeout(feed.timer);
    feed.unsubscribe();
    for (const res of feed.clients) res.end();
    feed.clients.clear();
  };

  const feedFor = (key: string, editionId: number, variant: string): Feed => {
    const existing = feeds.get(key);
    if (existing) return existing;
    const feed: Feed = {
      clients: new Set(),
      last: null,
      sent: null,
      newcomers: new Set(),
      outbox: [],
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
        schedule(key, editionId, variant, feed, COALESCE_MS);
      },
      () => close(key, feed),
    );
    feeds.set(key, feed);
    return feed;
  };

  const join = (res: Response, editionId: number, variant = '') => {
    const key = `${editionId}|${variant}`;
    const feed = feedFor(key, editionId, variant);
    feed.clients.add(res);
    if (feed.last) res.write(feed.last);
    else {
      feed.newcomers.add(res);
      schedule(key, editionId, variant, feed, 0);
    }
    res.on('close', () => {
      feed.clients.delete(res);
      feed.newcomers.delete(res);
      if (feed.clients.size === 0) close(key, feed);
    });
  };

  return {
    join,
    attach(res, editionId, variant) {
      openEventStream(res);
      join(res, editionId, variant);
    },
  };
}
