// No single request holds the event loop (SPEC §6 "Bounded work"). Every form field of every POST route
// (read from the app's route table and the forms its pages show) gets a 1 MB value and a value built
// to break patterns (`a@a.a.a.…@` for the e-mail check, runs of spaces, line breaks, dashes, combining
// marks, one endless word), as large as the body parsers let through; every GET page gets the same in
// its query string; then the hostile work that used to take seconds: a PDF whose streams each inflate
// to 19 MB and a share card whose title and lesson are one long word. The loop delay is measured with
// perf_hooks around each request (test/helpers/event-loop.ts) and must stay under 100 ms. Last, with
// hostile requests in flight, /healthz keeps answering within 300 ms and each hostile request is
// answered within 3 s.
import zlib from 'node:zlib';
import { createTestContext, visibleText, type TestContext } from '../helpers/context';
import { fillPath, formFieldsOf, routeKey, type RouteEntry } from '../hardening/route-table';
import { actorFor, hardenedRoutes, signInActors, type Actors } from '../hardening/actors';
import { loopStall } from '../helpers/event-loop';
import { listen, rawSignIn } from '../helpers/raw-http';
import { lockCurrentResult } from './ceremony-fixtures';
import { loadCardFonts } from '../../src/cards/render';

jest.setTimeout(600_000);

const ONE_MB = 'A'.repeat(1024 * 1024);
/** About 200 KB once form-encoded: under the 300 KB form limit, so it reaches the route's own code. */
const BREAKER = [
  `a@${'a.'.repeat(20_000)}@`,
  `${' '.repeat(20_000)}x`,
  '\r\n'.repeat(5_000),
  `${'-'.repeat(20_000)}!`,
  'e\u0301'.repeat(5_000),
  '<'.repeat(5_000),
  'x'.repeat(30_000),
].join('');
/** The same in a size that fits in a URL. */
const QUERY_BREAKER = `a@${'a.'.repeat(1_500)}@${' '.repeat(500)}x${'%'.repeat(200)}${'_'.repeat(200)}`;

/** A PDF of `count` streams that each inflate to 19 MB: under the old per-stream limit of 20 MB, so the old check inflated every one. */
const bombs: Record<number, Buffer> = {};
function pdfBomb(count: number): Buffer {
  return (bombs[count] ??= buildPdfBomb(count));
}
function buildPdfBomb(count: number): Buffer {
  const stream = zlib.deflateSync(Buffer.alloc(19 * 1024 * 1024, 0x20), { level: 9 });
  const parts = [Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1')];
  for (let i = 0; i < count; i++) parts.push(Buffer.from(`${i + 2} 0 obj << /Filter /FlateDecode /Length ${stream.length} >>\nstream\n`, 'latin1'), stream, Buffer.from('\nendstream\nendobj\n', 'latin1'));
  parts.push(Buffer.from('trailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'));
  return Buffer.concat(parts);
}

describe('bounded work: no request holds the event loop', () => {
  let ctx: TestContext;
  let routes: RouteEntry[];
  let agents: Actors['agents'];
  let tokens: Actors['tokens'];
  let values: Record<string, string | number>;
  let departmentId: number;

  const agentFor = actorFor;

  beforeAll(async () => {
    ctx = await createTestContext();
    routes = hardenedRoutes(ctx);
    ({ agents, tokens } = await signInActors(ctx));
    const current = await ctx.db('editions').whereNull('archived_at').first();
    const entry = await ctx.db('nominations').where({ edition_id: current.id, status: 'published' }).orderBy('id').first();
    departmentId = Number((await ctx.db('departments').where({ edition_id: current.id }).first()).id);
    values = { id: entry.id, year: current.year, locale: 'sv', token: 'z'.repeat(32), userId: entry.submitter_id, file: 'square.png', action: 'publish' };
    await lockCurrentResult(ctx.db, ctx.clock.now());
    pdfBomb(40);
    loadCardFonts(); // as the server does before it listens
    // Warm up what is loaded once per process (templates, fonts, parsers), so only the request's own work is measured.
    await agents['anna@example.org'].get('/nominate');
    await agents['anna@example.org'].post('/nominate').field('_csrf', tokens['anna@example.org']).field('action', 'draft').field('title', 'Uppvärmning');
  });

  afterAll(async () => {
    await ctx.close();
  });

  test('when a colleague e-mail is the 40 KB a@a.a.a.…@ string, then it is refused as too long without holding the loop', async () => {
    const anna = agents['anna@example.org'];
    const { result: res, problem } = await loopStall('nomination with a hostile colleague e-mail', () =>
      anna.post('/nominate').type('form').send({ _csrf: tokens['anna@example.org'], action: 'draft', title: 'E-post', c0_name: 'Kollega', c0_email: `a@${'a.'.repeat(20_000)}@` }),
    );
    expect(problem).toBeNull();
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('e-postadress');
  });

  test('when a PDF whose streams each inflate to 19 MB is uploaded, then it is refused as uncheckable without holding the loop', async () => {
    const anna = agents['anna@example.org'];
    const bomb = pdfBomb(40);
    const { result: res, problem } = await loopStall('upload of a PDF bomb', () =>
      anna
        .post('/nominate')
        .field('_csrf', tokens['anna@example.org'])
        .field('action', 'draft')
        .field('title', 'Bomb')
        .field('department_id', String(departmentId))
        .attach('attachments', bomb, 'rapport.pdf'),
    );
    expect(problem).toBeNull();
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('Vi kan inte granska PDF-filen rapport.pdf');
  });

  test('when a share card is drawn for a title and lesson that are one long word each, then the layout does not hold the loop', async () => {
    const admin = agents['admin@example.org'];
    const winnerId = Number((await ctx.db('results').first()).winner_nomination_id);
    await ctx.db('nominations').where({ id: winnerId }).update({ title: 'Ö'.repeat(200), lesson: 'x'.repeat(10_000) });
    for (const format of ['square', 'wide']) {
      const { result: res, problem } = await loopStall(`card ${format}`, () => admin.get(`/admin/cards/${winnerId}/${format}.png?inline=1`));
      expect(problem).toBeNull();
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
    }
  });

  test('when hostile requests are in flight, then /healthz answers within 300 ms and each hostile request within 3 s', async () => {
    const server = await listen(ctx.app);
    try {
      const anna = await rawSignIn(server.base, 'anna@example.org');
      const admin = await rawSignIn(server.base, 'admin@example.org');
      const winner = await ctx.db('results').first();
      const form = (fieldsOf: Record<string, string>) => new URLSearchParams(fieldsOf).toString();
      const hostile: Array<[string, () => Promise<Response>]> = [
        ['PDF bomb upload', () => {
          const body = new FormData();
          body.append('_csrf', anna.token);
          body.append('action', 'draft');
          body.append('title', 'Bomb');
          body.append('attachments', new Blob([new Uint8Array(pdfBomb(40))], { type: 'application/pdf' }), 'rapport.pdf');
          return fetch(`${server.base}/nominate`, { method: 'POST', body, headers: { cookie: anna.cookie }, redirect: 'manual' });
        }],
        ['pattern-breakers in every nomination field', () =>
          fetch(`${server.base}/nominate`, {
            method: 'POST',
            redirect: 'manual',
            headers: { cookie: anna.cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: form({ _csrf: anna.token, action: 'draft', c0_email: BREAKER.slice(0, 40_002), c0_name: BREAKER.slice(0, 20_000), title: BREAKER.slice(40_000, 80_000) }),
          })],
        ['8 MB upload without a token', () => {
          const body = new FormData();
          body.append('attachments', new Blob([new Uint8Array(8 * 1024 * 1024)]), 'stor.pdf');
          return fetch(`${server.base}/nominate`, { method: 'POST', body, headers: { cookie: anna.cookie }, redirect: 'manual' });
        }],
        ['a share card of long words', () => fetch(`${server.base}/admin/cards/${winner.winner_nomination_id}/square.png?inline=1`, { headers: { cookie: admin.cookie } })],
      ];
      // Up to three runs before it counts: a machine shared with other processes can pause this one
      // for a while; a request that holds the server does it every time.
      const run = async () => {
        let running = true;
        const healthTimes: number[] = [];
        const probe = (async () => {
          while (running) {
            const started = performance.now();
            const res = await fetch(`${server.base}/healthz`);
            await res.text();
            healthTimes.push(performance.now() - started);
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        })();
        const answers = await Promise.all(
          hostile.map(async ([label, send]) => {
            const started = performance.now();
            const res = await send();
            await res.arrayBuffer().catch(() => undefined);
            return { label, status: res.status, ms: performance.now() - started };
          }),
        );
        running = false;
        await probe;
        return { answers, slowestHealth: Math.max(...healthTimes) };
      };
      const ok = (r: Awaited<ReturnType<typeof run>>) => r.slowestHealth < 300 && r.answers.every((a) => a.ms <= 3000);
      let result = await run();
      for (let attempt = 2; attempt <= 3 && !ok(result); attempt++) result = await run();
      expect(result.answers.map((a) => [a.label, a.status >= 200 && a.status < 500])).toEqual(hostile.map(([label]) => [label, true]));
      expect(result.answers.filter((a) => a.ms > 3000).map((a) => `${a.label}: ${Math.round(a.ms)} ms`)).toEqual([]);
      expect(result.slowestHealth).toBeLessThan(300);
    } finally {
      await server.close();
    }
  });

  test('when every form field of every route gets a 1 MB value or a pattern-breaker, then no request holds the event loop over 100 ms and none fails with 5xx', async () => {
    const fields = await formFieldsOf(routes, values, async (path) => {
      const res = await agents[agentFor(path)].get(path).redirects(0);
      return { type: String(res.headers['content-type'] ?? ''), text: res.text };
    });
    const problems: string[] = [];
    let sent = 0;
    for (const r of routes.filter((x) => x.method === 'POST')) {
      const path = fillPath(r, values);
      const who = agentFor(path);
      const names = new Set([...(fields.get(routeKey(r)) ?? []), 'title', 'email', 'q']);
      for (const name of names) {
        for (const [label, value] of [['1 MB', ONE_MB], ['pattern-breaker', BREAKER]] as const) {
          const { result: res, problem } = await loopStall(`POST ${path} ${name}=<${label}>`, () =>
            agents[who].post(path).type('form').send({ _csrf: tokens[who], [name]: value }).redirects(0),
          );
          sent++;
          if (problem) problems.push(problem);
          if (res.status >= 500) problems.push(`POST ${path} ${name}=<${label}>: answered ${res.status}`);
        }
      }
    }
    for (const r of routes.filter((x) => x.method === 'GET' && !x.path.includes('stream'))) {
      const path = `${fillPath(r, values)}?${['q', 'sort', 'page', 'next', 'status', 'year', 'department'].map((k) => `${k}=${encodeURIComponent(QUERY_BREAKER)}`).join('&')}`;
      const { result: res, problem } = await loopStall(`GET ${r.path}?<pattern-breaker>`, () => agents[agentFor(path)].get(path).redirects(0));
      sent++;
      if (problem) problems.push(problem);
      if (res.status >= 500) problems.push(`GET ${r.path}?<pattern-breaker>: answered ${res.status}`);
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(300);
  });
});
