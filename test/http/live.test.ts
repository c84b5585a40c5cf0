import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { lockCurrentResult } from './ceremony-fixtures';

let ctx: TestContext;
let fixture: Awaited<ReturnType<typeof lockCurrentResult>>;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const vote = async (agent: Agent, nomination: number, poll?: number) => {
  const p = poll ?? Number((await ctx.db('live_polls').orderBy('id', 'desc').first()).id);
  return agent.post('/live/vote').type('form').send({ _csrf: await agent.csrf(), poll: p, nomination });
};

/** Reads server-sent events from a running server until `until` says stop (or a timeout). */
function readEvents(port: number, path: string, cookie: string, until: (events: string[]) => boolean): Promise<{ status: number; headers: http.IncomingHttpHeaders; events: string[]; raw: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      let raw = '';
      const done = () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, events: raw.split('\n\n').filter((b) => b.includes('event: counts')), raw });
      };
      const timer = setTimeout(done, 5000);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        if (until(raw.split('\n\n').filter((b) => b.includes('event: counts')))) done();
      });
      res.on('end', done);
    });
    req.on('error', reject);
  });
}

test('when no live vote has been opened, then /live says so in plain words', async () => {
  const anna = await ctx.signIn('anna@example.org');
  const res = await anna.get('/live');
  expect(res.status).toBe(200);
  const text = visibleText(res.text);
  expect(text).toContain('Omröstningen har inte öppnat än.');
  expect(text).toContain('den ändras av sig själv');
  // A page of its own: no site header or menu (C7).
  expect(res.text).not.toMatch(/<header|<nav/);
});

test('when there are no finalists yet, then the presenter cannot open a vote', async () => {
  const admin = await ctx.signIn('admin@example.org');
  const year = (await ctx.db('editions').whereNull('archived_at').first()).year;
  const res = await admin.post(`/ceremony/${year}/live/open`).type('form').send({ _csrf: await admin.csrf() });
  expect(res.status).toBe(409);
  expect(await ctx.db('live_polls')).toHaveLength(0);
});

describe('a live vote', () => {
  beforeAll(async () => {
    fixture = await lockCurrentResult(ctx.db, ctx.clock.now());
  });

  test('when an employee tries to open the vote, then it is refused', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.post(`/ceremony/${fixture.year}/live/open`).type('form').send({ _csrf: await anna.csrf() });
    expect(res.status).toBe(403);
    expect(await ctx.db('live_polls')).toHaveLength(0);
  });

  test('when the presenter opens the vote twice (a double click), then one poll is open and it is audited', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const token = await admin.csrf();
    const first = await admin.post(`/ceremony/${fixture.year}/live/open`).type('form').send({ _csrf: token });
    expect(first.status).toBe(303);
    const second = await admin.post(`/ceremony/${fixture.year}/live/open`).set('Accept', 'application/json').type('form').send({ _csrf: token });
    expect(second.body).toMatchObject({ open: true, total: 0 });
    const polls = await ctx.db('live_polls');
    expect(polls).toHaveLength(1);
    expect(polls[0].closed_at).toBeNull();
    expect(await ctx.db('audit_log').where({ action: 'live.open' })).toHaveLength(1);
  });

  test('when an employee opens /live, then they see the finalists to choose from', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const text = visibleText((await anna.get('/live')).text);
    for (const title of fixture.titles) expect(text).toContain(title);
  });

  test('when an employee votes and then changes the vote, then there is still one vote, for the new choice', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await vote(anna, fixture.finalistIds[0]);
    expect(res.status).toBe(303);
    await vote(anna, fixture.finalistIds[2]);
    const rows = await ctx.db('live_votes');
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].nomination_id)).toBe(fixture.finalistIds[2]);
    const page = (await anna.get('/live')).text;
    const chosen = /<button[^>]*aria-pressed="true"[^>]*>([\s\S]*?)<\/button>/.exec(page);
    expect(visibleText(chosen![1])).toContain(fixture.titles[2]);
    expect(visibleText(chosen![1])).toContain('Din röst');
    expect(page.match(/aria-pressed="true"/g)).toHaveLength(1);
  });

  test('when the same person sends two votes at once, then the database keeps one', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const token = await bo.csrf();
    const poll = Number((await ctx.db('live_polls').first()).id);
    await Promise.all(
      [0, 1, 2].map((i) => bo.post('/live/vote').type('form').send({ _csrf: token, poll, nomination: fixture.finalistIds[i] })),
    );
    const bosId = (await ctx.db('users').where({ email: 'bo@example.org' }).first()).id;
    expect(await ctx.db('live_votes').where({ voter_id: bosId })).toHaveLength(1);
  });

  test('when someone votes for an entry that is not a finalist, or for a poll that does not exist, then it is refused and nothing changes', async () => {
    const eva = await ctx.signIn('eva@example.org');
    const other = await ctx.db('nominations').whereNotIn('id', fixture.finalistIds).first();
    const before = await ctx.db('live_votes').count({ n: '*' });
    expect((await vote(eva, Number(other.id))).status).toBe(400);
    expect((await vote(eva, fixture.finalistIds[0], 999999)).status).toBe(404);
    expect((await eva.post('/live/vote').type('form').send({ _csrf: await eva.csrf(), poll: 'x', nomination: 'y' })).status).toBe(400);
    expect(await ctx.db('live_votes').count({ n: '*' })).toEqual(before);
  });

  test('when a vote is sent without a CSRF token, then it is refused', async () => {
    const eva = await ctx.signIn('eva@example.org');
    const poll = Number((await ctx.db('live_polls').first()).id);
    const res = await eva.post('/live/vote').type('form').send({ poll, nomination: fixture.finalistIds[0] });
    expect(res.status).toBe(403);
  });

  test('when the presenter follows the stream, then it sends counts only — never who voted — and a new vote arrives without asking', async () => {
    const server = http.createServer(ctx.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const admin = await ctx.signIn('admin@example.org');
      // The signed-in session cookie from supertest's cookie jar, for a plain streaming request.
      const jarCookie = (admin as unknown as { jar: { getCookies(o: unknown): Array<{ name: string; value: string }> } }).jar
        .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
        .map((c) => `${c.name}=${c.value}`)
        .join('; ');
      const streaming = readEvents(port, `/ceremony/${fixture.year}/live/stream`, jarCookie, (events) => events.length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      const david = await ctx.signIn('david@example.org');
      await vote(david, fixture.finalistIds[1]);
      const { status, headers, events, raw } = await streaming;
      expect(status).toBe(200);
      expect(headers['content-type']).toContain('text/event-stream');
      expect(headers['x-accel-buffering']).toBe('no');
      expect(headers['cache-control']).toContain('no-transform');
      expect(events.length).toBeGreaterThanOrEqual(2);
      const last = JSON.parse(/data: (.*)/.exec(events[events.length - 1])![1]);
      expect(last.total).toBe(3);
      expect(last.options.find((o: { nominationId: number }) => o.nominationId === fixture.finalistIds[1]).votes).toBeGreaterThanOrEqual(1);
      for (const o of last.options) expect(Object.keys(o).sort()).toEqual(['employee', 'nominationId', 'room', 'votes']);
      expect(raw).not.toMatch(/voter|email|example\.org|Lindqvist|Holm/);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test('when the presenter closes the vote, then votes are refused, the counts stay and the voters are erased', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.post(`/ceremony/${fixture.year}/live/close`).set('Accept', 'application/json').type('form').send({ _csrf: await admin.csrf() });
    expect(res.body).toMatchObject({ open: false, total: 3 });
    const anna = await ctx.signIn('anna@example.org');
    const late = await vote(anna, fixture.finalistIds[0]);
    expect(late.status).toBe(409);
    const rows = await ctx.db('live_votes').where({ nomination_id: fixture.finalistIds[0] });
    expect(rows).toHaveLength(0);
    expect(visibleText((await anna.get('/live')).text)).toContain('Omröstningen är stängd');
    // Secret ballot (V4): after the close only the counts remain — no vote row with a voter or a time;
    // a tally is per finalist and kind of voter (employees apart from phones in the hall, C7).
    expect(await ctx.db('live_votes')).toHaveLength(0);
    const tallies = await ctx.db('live_vote_tallies');
    expect(tallies.reduce((sum, t) => sum + Number(t.votes), 0)).toBe(3);
    expect(tallies.every((t) => t.kind === 'employee')).toBe(true);
    expect(Object.keys(tallies[0]).sort()).toEqual(['kind', 'nomination_id', 'poll_id', 'votes']);
  });
});

test('when the app shuts down, then open live streams are ended so the server can stop', async () => {
  const server = http.createServer(ctx.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const admin = await ctx.signIn('admin@example.org');
    const cookie = (admin as unknown as { jar: { getCookies(o: unknown): Array<{ name: string; value: string }> } }).jar
      .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const ended = new Promise<boolean>((resolve) => {
      http.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: `/ceremony/${fixture.year}/live/stream`, headers: { cookie } }, (res) => {
        res.resume();
        res.on('data', () => ctx.app.emit('shutdown'));
        res.on('end', () => resolve(true));
      });
      setTimeout(() => resolve(false), 5000);
    });
    expect(await ended).toBe(true);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
