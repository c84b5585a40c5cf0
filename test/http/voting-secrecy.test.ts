// Hidden counts and the secret ballot (SPEC V3, V4): while voting is open no page or response that a
// voter, a juror or an admin can reach shows how many votes an entry has; after voting closes the jury
// and admins see them; after the reveal everyone sees the colleagues' choice, never the counts. Archiving erases the voter links.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';

let ctx: TestContext;
let editionId: number;
let year: number;
let entryA: number;
let entryB: number;
const A_VOTES = 1237;
const B_VOTES = 611;
const DAY = 24 * 60 * 60 * 1000;
/** Names without digits, so a name on a page (e.g. the colleague picker) is no false alarm. */
const letters = (i: number): string => (i < 26 ? '' : letters(Math.floor(i / 26) - 1)) + String.fromCharCode(65 + (i % 26));

/** The count in any spelling a page could use: 1237, 1 237 (Swedish), 1,237 (English). */
const looksLike = (n: number) => {
  const s = String(n);
  const grouped = s.length > 3 ? `${s.slice(0, -3)}[\\s\\u00a0\\u202f,.]?${s.slice(-3)}` : s;
  return new RegExp(`(?<![\\w])${grouped}(?![\\w])`);
};

beforeAll(async () => {
  ctx = await createTestContext();
  const edition = await ctx.db('editions').whereNull('archived_at').first('id', 'year');
  editionId = Number(edition.id);
  year = Number(edition.year);
  const published = await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).orderBy('id').select('id');
  entryA = Number(published[2].id);
  entryB = Number(published[5].id);
  // A crowd of colleagues who voted: distinctive counts that a leak would show.
  const now = ctx.clock.now();
  // Their ids start far above every count, so an id on a page (e.g. the colleague picker) is no false alarm.
  const users = Array.from({ length: A_VOTES + B_VOTES }, (_, i) => ({
    id: 500_000 + i,
    tenant_id: 'crowd',
    object_id: `crowd-${i}`,
    email: `crowd${i}@example.org`,
    name: `Kollega ${letters(i)}`,
    is_admin: false,
    created_at: now,
  }));
  await ctx.db.batchInsert('users', users, 500);
  const ids = (await ctx.db('users').where({ tenant_id: 'crowd' }).orderBy('id').select('id')).map((r) => Number(r.id));
  const votes = ids.map((voterId, i) => ({ edition_id: editionId, nomination_id: i < A_VOTES ? entryA : entryB, voter_id: voterId, slot: 1, created_at: now }));
  await ctx.db.batchInsert('votes', votes, 500);
}, 120_000);
afterAll(async () => {
  await ctx.close();
});

// Not followed: sign-in and language links, files, and the pages of the crowd's 1,848 user accounts.
const SKIP = /^\/(auth|lang|static|attachments)\b|\/logout|\.(png|jpe?g|webp|pdf|svg|ico)$|^\/admin\/users(\/5\d{5}|\?)/;

/** Every same-site page the agent can reach by following links from the start pages (bounded). */
async function crawl(agent: Agent, start: string[], limit = 160): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const queue = [...start];
  while (queue.length && seen.size < limit) {
    const path = queue.shift()!;
    if (seen.has(path) || SKIP.test(path)) continue;
    const res = await agent.get(path);
    const body = res.headers['content-type']?.includes('json') ? JSON.stringify(res.body) : res.text ?? '';
    seen.set(path, `${res.status} ${body}`);
    if (!String(res.headers['content-type'] ?? '').includes('html')) continue;
    for (const m of body.matchAll(/href="(\/[^"#]*)/g)) {
      const next = m[1].replace(/&amp;/g, '&');
      if (!seen.has(next) && !SKIP.test(next)) queue.push(next);
    }
  }
  return seen;
}

const startPages = () => ['/', '/entries', `/entries/${entryA}`, `/entries/${entryB}`, '/votes', '/jury', '/admin', '/admin/editions', `/admin/editions/${editionId}`, '/me', '/archive', '/nominations/mine', '/admin/stats', '/admin/exports'];

describe('while voting is open (V3)', () => {
  test.each(['anna@example.org', 'cecilia@example.org', 'david@example.org', 'admin@example.org'])(
    'when %s walks every page they can reach, then no vote count appears anywhere, page source included',
    async (email) => {
      const agent = await ctx.signIn(email);
      const pages = await crawl(agent, startPages());
      expect(pages.size).toBeGreaterThan(8);
      // The exports are forms (POST): every one of them, for this year.
      const token = await agent.csrf();
      for (const path of ['/admin/exports/entries.csv', '/admin/exports/votes.csv', '/admin/exports/scores.csv', '/admin/exports/finalists']) {
        const res = await agent.post(path).type('form').send({ _csrf: token, year: String(year) });
        pages.set(`POST ${path}`, `${res.status} ${res.text}`);
      }
      if (process.env.SHOW_CRAWL) console.log(email, [...pages.keys()].join(" "));
      const leaks: string[] = [];
      for (const [path, body] of pages) {
        for (const n of [A_VOTES, B_VOTES]) if (looksLike(n).test(body)) leaks.push(`${path} shows ${n}`);
        if (!email.startsWith('admin') && looksLike(A_VOTES + B_VOTES).test(body)) leaks.push(`${path} shows the total`);
      }
      expect(leaks).toEqual([]);
      // The pages that matter were really reached.
      for (const p of ['/', '/entries', `/entries/${entryA}`, '/votes']) expect(pages.get(p)).toMatch(/^200 /);
    },
    120_000,
  );

  test('when a voter votes with fetch, then the JSON answers carry only their own votes', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const token = await bo.csrf();
    const vote = await bo.post('/votes').set('x-csrf-token', token).set('Accept', 'application/json').type('form').send({ entry: entryA });
    expect(vote.status).toBe(200);
    const unvote = await bo.post('/votes/withdraw').set('x-csrf-token', token).set('Accept', 'application/json').type('form').send({ entry: entryA });
    expect(unvote.status).toBe(200);
    for (const body of [vote.body, unvote.body]) {
      const json = JSON.stringify(body);
      expect(json).not.toMatch(looksLike(A_VOTES));
      expect(json).not.toMatch(looksLike(A_VOTES + 1));
      expect(Object.keys(body.voting)).toEqual(['open', 'budget', 'used', 'votes']);
    }
  });

  test('when the admin opens edition setup during voting, then they see the total participation but no count per entry', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const text = visibleText((await admin.get(`/admin/editions/${editionId}`)).text);
    expect(text).toMatch(/Lagda röster hittills: 1[\s\u00a0\u202f]848, från 1[\s\u00a0\u202f]848 medarbetare\./);
    expect(text).toContain('visas här först när röstningen har stängt');
  });

  test('when the admin looks at the voting pages and the audit log, then nothing shows who voted for what', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const paths = ['/entries', `/entries/${entryA}`, `/entries/${entryB}`, '/votes', '/admin/editions', `/admin/editions/${editionId}`, '/admin/audit'];
    for (const path of paths) {
      const body = (await admin.get(path)).text;
      expect(`${path}: ${body.includes('Kollega ')}`).toBe(`${path}: false`);
    }
    const voteAudit = await ctx.db('audit_log').where('action', 'like', '%vote%').count({ n: '*' });
    expect(Number(voteAudit[0].n)).toBe(0);
  });
});

describe('after voting closes (V3)', () => {
  const closeVoting = () => ctx.clock.set(new Date(ctx.clock.now().getTime() + 21 * DAY + 60_000));
  let opened: Date;
  beforeAll(() => {
    opened = ctx.clock.now();
    closeVoting();
  });
  afterAll(() => ctx.clock.set(opened));

  test('when voting has closed, then the admin sees the counts and the people’s choice in edition setup', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.get(`/admin/editions/${editionId}`);
    const text = visibleText(res.text);
    expect(text).toMatch(/Kollegornas röst: ”.+”\. Antal röster: 1[\s\u00a0\u202f]237\./);
    expect(text).toMatch(looksLike(B_VOTES));
  });

  test('when voting has closed, then a juror sees the count on the entry page but an employee does not', async () => {
    const juror = await ctx.signIn('david@example.org');
    const jurorPage = visibleText((await juror.get(`/entries/${entryA}`)).text);
    expect(jurorPage).toMatch(/1[\s\u00a0\u202f]237 röster från kollegor/);
    expect(jurorPage).toContain('Kollegornas röst');
    const anna = await ctx.signIn('anna@example.org');
    const pages = await crawl(anna, startPages(), 60);
    for (const [path, body] of pages) {
      expect(`${path}: ${looksLike(A_VOTES).test(body)}`).toBe(`${path}: false`);
    }
  });

  test("when the ceremony has revealed the results, then everyone sees the colleagues' choice and only the jury and admins see counts", async () => {
    await ctx.db('editions').where({ id: editionId }).update({ revealed_at: new Date(ctx.clock.now().getTime() - 60_000) });
    try {
      const anna = await ctx.signIn('anna@example.org');
      const annaA = visibleText((await anna.get(`/entries/${entryA}`)).text);
      expect(annaA).toContain('Kollegornas röst');
      expect(annaA).not.toMatch(/röster från kollegor/);
      expect(visibleText((await anna.get(`/entries/${entryB}`)).text)).not.toContain('611');
      const admin = await ctx.signIn('admin@example.org');
      expect(visibleText((await admin.get(`/entries/${entryB}`)).text)).toContain('611 röster från kollegor');
    } finally {
      await ctx.db('editions').where({ id: editionId }).update({ revealed_at: null });
    }
  });
});

describe('secret ballot at archive (V4)', () => {
  test('when the edition is archived, then no vote row is left and the counts remain', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.post(`/admin/editions/${editionId}/archive`).type('form').send({ _csrf: await admin.csrf(), confirm: 'yes' });
    expect(res.status).toBe(303);
    const [{ n: rows }] = await ctx.db('votes').where({ edition_id: editionId }).count({ n: '*' });
    expect(Number(rows)).toBe(0);
    const tally = await ctx.db('vote_tallies').where({ edition_id: editionId, nomination_id: entryA }).first();
    expect(Number(tally.votes)).toBe(A_VOTES);
  });
});
