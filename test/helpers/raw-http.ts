// A raw HTTP client for tests that must see when the server answers relative to what was sent: a
// body is written piece by piece, and writing stops as soon as an answer arrives. A server that
// refuses before buffering answers while most of the body is still unsent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

export type RawAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string; sent: number; total: number };

/** A body: buffers as they are, numbers as that many filler bytes. */
export type Segment = Buffer | string | number;

const FILL = Buffer.alloc(256 * 1024, 0x41);

export async function listen(app: express.Express): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Signs in on the demo sign-in page as a browser would; returns the session cookie and CSRF token. */
export async function rawSignIn(base: string, email: string): Promise<{ cookie: string; token: string }> {
  const tokenOf = async (cookie: string) => {
    const res = await fetch(`${base}/accessibility`, { headers: cookie ? { cookie } : {} });
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    const token = /<meta name="csrf-token" content="([^"]+)"/.exec(await res.text())?.[1];
    if (!token) throw new Error('no CSRF token');
    return { cookie: set.length ? set.join('; ') : cookie, token };
  };
  const before = await tokenOf('');
  const res = await fetch(`${base}/auth/dev`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: before.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: before.token, email }).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') || before.cookie;
  return tokenOf(cookie);
}

/** POSTs the segments, stopping as soon as the server answers; says how much had been sent by then. */
export function postUntilAnswered(url: string, headers: Record<string, string>, segments: Segment[]): Promise<RawAnswer> {
  const parts = segments.map((s) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s));
  const total = parts.reduce<number>((n, p) => n + (typeof p === 'number' ? p : p.length), 0);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    let wake: (() => void) | null = null;
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(total) } });
    req.on('response', (res) => {
      answered = true;
      wake?.();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, sent, total });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      wake?.();
      if (!answered) reject(err);
    });
    const write = (b: Buffer) =>
      new Promise<void>((done) => {
        sent += b.length;
        wake = done;
        if (req.write(b)) setImmediate(done);
        else req.once('drain', done);
      });
    void (async () => {
      for (const p of parts) {
        if (typeof p === 'number') {
          for (let left = p; left > 0 && !answered; left -= FILL.length) await write(left >= FILL.length ? FILL : FILL.subarray(0, left));
        } else if (!answered) await write(p);
        if (answered || req.destroyed) return;
      }
      req.end();
    })().catch(() => undefined);
  });
}

/** The pieces of a multipart/form-data body. */
export function multipart(boundary = `----amtest${Date.now()}`) {
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    field: (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    fileHead: (name: string, filename: string, type = 'application/octet-stream') => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    fileEnd: '\r\n',
    end: `--${boundary}--\r\n`,
  };
}
