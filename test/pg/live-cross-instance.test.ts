// C2 with several app instances on one PostgreSQL database: a vote cast on one instance reaches the
// presenter's chart streamed from another (LISTEN/NOTIFY). Two real app processes (compiled dist/).
import http from 'node:http';
import knexFactory, { type Knex } from 'knex';
import { createPgDatabase } from '../helpers/context';
import { startApp, type RunningApp } from '../helpers/server';
import { lockCurrentResult } from '../http/ceremony-fixtures';

const adminUrl = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let pg: Awaited<ReturnType<typeof createPgDatabase>>;
let a: RunningApp;
let b: RunningApp;
let db: Knex;

beforeAll(async () => {
  pg = await createPgDatabase(adminUrl);
  a = await startApp({ DATABASE_URL: pg.url });
  b = await startApp({ DATABASE_URL: pg.url });
  db = knexFactory({ client: 'pg', connection: pg.url, pool: { min: 0, max: 2 } });
}, 90_000);

afterAll(async () => {
  await db?.destroy();
  await a?.stop();
  await b?.stop();
  await pg?.drop();
});

/** A signed-in browser-less client: keeps the session cookie and the CSRF token. */
async function signIn(baseUrl: string, email: string) {
  let cookie = '';
  const keep = (res: Response) => {
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const pair = c.split(';')[0];
      const name = pair.split('=')[0];
      cookie = [...cookie.split('; ').filter((x) => x && !x.startsWith(`${name}=`)), pair].join('; ');
    }
  };
  const csrf = async () => {
    const res = await fetch(`${baseUrl}/accessibility`, { headers: { cookie } });
    keep(res);
    return /<meta name="csrf-token" content="([^"]+)"/.exec(await res.text())![1];
  };
  const post = async (path: string, form: Record<string, string | number>) => {
    const body = new URLSearchParams({ _csrf: await csrf(), ...Object.fromEntries(Object.entries(form).map(([k, v]) => [k, String(v)])) });
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
    keep(res);
    return res;
  };
  const res = await post('/auth/dev', { email });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
  return { post, cookie: () => cookie };
}

function followStream(baseUrl: string, path: string, cookie: string) {
  const events: Array<{ total: number; open: boolean; options: Array<{ nominationId: number; votes: number }> }> = [];
  let raw = '';
  const url = new URL(baseUrl + path);
  const req = http.get({ host: url.hostname, port: url.port, path: url.pathname, headers: { cookie, accept: 'text/event-stream' } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      raw += chunk;
      const blocks = raw.split('\n\n');
      raw = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = /^data: (.*)$/m.exec(block);
        if (block.includes('event: counts') && data) events.push(JSON.parse(data[1]));
      }
    });
  });
  req.on('error', () => undefined);
  return {
    events,
    async waitFor(test: (e: (typeof events)[number]) => boolean, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        if (events.some(test)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no matching event in ${ms} ms; got ${JSON.stringify(events)}`);
    },
    close: () => req.destroy(),
  };
}

test('when an employee votes on instance B, then the presenter chart streamed from instance A updates', async () => {
  // The instances run on the real clock (a started server), so the fixture is dated by it too.
  const fixture = await lockCurrentResult(db, new Date());
  const admin = await signIn(a.url, 'admin@example.org');
  const opened = await admin.post(`/ceremony/${fixture.year}/live/open`, {});
  expect(opened.status).toBe(303);

  const stream = followStream(a.url, `/ceremony/${fixture.year}/live/stream`, admin.cookie());
  try {
    await stream.waitFor((e) => e.open && e.total === 0);

    const anna = await signIn(b.url, 'anna@example.org');
    const poll = await db('live_polls').first();
    const voted = await anna.post('/live/vote', { poll: poll.id, nomination: fixture.finalistIds[2] });
    expect(voted.status).toBe(303);
    await stream.waitFor((e) => e.total === 1 && e.options.some((o) => o.nominationId === fixture.finalistIds[2] && o.votes === 1));

    // A second voter on B and the presenter closing on B: both reach A.
    const bo = await signIn(b.url, 'bo@example.org');
    await bo.post('/live/vote', { poll: poll.id, nomination: fixture.finalistIds[0] });
    await stream.waitFor((e) => e.total === 2);
    await (await signIn(b.url, 'cecilia@example.org')).post(`/ceremony/${fixture.year}/live/close`, {});
    await stream.waitFor((e) => !e.open && e.total === 2);
  } finally {
    stream.close();
  }
}, 60_000);

test('when the presenter moves the show on instance B, then the projector following instance A shows the new slide', async () => {
  const year = Number((await db('editions').whereNull('archived_at').orderBy('year', 'desc').first()).year);
  const anna = await signIn(a.url, 'anna@example.org');
  const slides: Array<{ key: string; html: string }> = [];
  let raw = '';
  const url = new URL(`${a.url}/ceremony/${year}/screen/stream`);
  const req = http.get({ host: url.hostname, port: url.port, path: url.pathname, headers: { cookie: anna.cookie(), accept: 'text/event-stream' } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      raw += chunk;
      const blocks = raw.split('\n\n');
      raw = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = /^data: (.*)$/m.exec(block);
        if (block.includes('event: slide') && data) slides.push(JSON.parse(data[1]));
      }
    });
  });
  req.on('error', () => undefined);
  const waitFor = async (key: string) => {
    const deadline = Date.now() + 10_000;
    while (!slides.some((s) => s.key === key)) {
      if (Date.now() > deadline) throw new Error(`no slide ${key}; got ${slides.map((s) => s.key).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await waitFor('title');
    const chair = await signIn(b.url, 'cecilia@example.org');
    expect((await chair.post(`/ceremony/${year}/show`, { action: 'goto', slide: 'drumroll' })).status).toBe(303);
    await waitFor('drumroll');
    // The reveal comes after the colleagues' vote: it is refused while that is open.
    await db('editions').where({ year }).update({ voting_override: 'closed' });
    expect((await chair.post(`/ceremony/${year}/reveal`, { confirm: 'yes' })).status).toBe(303);
    await waitFor('winner');
  } finally {
    req.destroy();
  }
}, 60_000);
