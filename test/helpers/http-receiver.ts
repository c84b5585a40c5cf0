// A real HTTP server on 127.0.0.1 that records what is posted to it (webhook tests). `respond` decides
// each answer's status, so a test can make the first attempts fail.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { method: string; path: string; contentType: string; body: string; status: number };

export type Receiver = {
  url: string;
  received: Received[];
  /** Resolves when `count` requests have arrived (whatever the answer). */
  waitFor(count: number): Promise<Received[]>;
  close(): Promise<void>;
};

export async function startReceiver(respond: (n: number) => number = () => 202): Promise<Receiver> {
  const received: Received[] = [];
  const waiting: Array<{ count: number; resolve: (r: Received[]) => void }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = respond(received.length);
      received.push({ method: req.method ?? '', path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'busy');
      for (const w of waiting.filter((x) => received.length >= x.count)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(received.slice());
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/workflows/hook?sig=test`,
    received,
    waitFor: (count) => (received.length >= count ? Promise.resolve(received.slice()) : new Promise((resolve) => waiting.push({ count, resolve }))),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
