// Reads server-sent events from the app over a real socket (supertest buffers a response to its end,
// which an event stream never reaches).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent, TestContext } from './context';

export type SseEvent = { event: string; data: string };

/** The session cookie of a supertest agent, for a plain request. */
export function cookieOf(agent: Agent): string {
  return (agent as unknown as { jar: { getCookies(o: unknown): Array<{ name: string; value: string }> } }).jar
    .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
}

export type EventReader = {
  status: Promise<number>;
  events: SseEvent[];
  raw(): string;
  /** Resolves once `until` holds for the events so far (or rejects after the time given). */
  waitFor(until: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
};

/** Starts the app on a port of its own; call the returned stop() in a finally. */
export async function listen(ctx: TestContext): Promise<{ port: number; stop(): Promise<void> }> {
  const server = http.createServer(ctx.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    port: (server.address() as AddressInfo).port,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

export function readEvents(port: number, path: string, cookie: string): EventReader {
  const events: SseEvent[] = [];
  let raw = '';
  let buffer = '';
  const waiters = new Set<() => void>();
  let resolveStatus: (n: number) => void = () => undefined;
  const status = new Promise<number>((r) => (resolveStatus = r));
  const req = http.get({ host: '127.0.0.1', port, path, headers: { cookie, accept: 'text/event-stream' } }, (res) => {
    resolveStatus(res.statusCode ?? 0);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      raw += chunk;
      buffer += chunk;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) events.push({ event, data });
      }
      for (const w of waiters) w();
    });
  });
  req.on('error', () => resolveStatus(0));
  return {
    status,
    events,
    raw: () => raw,
    waitFor(until, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (until(events)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(events);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`events did not arrive in time; got ${events.map((e) => e.event).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => req.destroy(),
  };
}
