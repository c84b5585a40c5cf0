import { createTestContext, visibleText, type TestContext } from '../helpers/context';
import { currentYear, lockCurrentResult, MOTIVATION } from './ceremony-fixtures';

let ctx: TestContext;
let year: number;
beforeAll(async () => {
  ctx = await createTestContext();
  year = await currentYear(ctx.db);
});
afterAll(async () => {
  await ctx.close();
});

const revealedAt = async () => (await ctx.db('editions').where({ year }).first()).revealed_at;

describe('before the jury has locked the result', () => {
  test('when an admin opens the presentation, then it says clearly that the result is not locked', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.get(`/ceremony/${year}`);
    expect(res.status).toBe(200);
    expect(visibleText(res.text)).toContain('Juryn har inte låst resultatet');
  });

  test('when the chair tries to reveal, then it is refused and nothing is published', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const res = await chair.post(`/ceremony/${year}/reveal`).type('form').send({ _csrf: await chair.csrf() });
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('Resultatet kan inte offentliggöras förrän juryn har låst det.');
    expect(await revealedAt()).toBeNull();
  });
});

describe('with a locked result, before the reveal', () => {
  let fixture: Awaited<ReturnType<typeof lockCurrentResult>>;
  beforeAll(async () => {
    fixture = await lockCurrentResult(ctx.db, ctx.clock.now());
  });

  test.each(['anna@example.org', 'david@example.org'])('when %s (employee or juror, not chair) opens the presentation, its JSON or its stream, then each is refused with 403', async (email) => {
    const agent = await ctx.signIn(email);
    const page = await agent.get(`/ceremony/${year}`);
    expect(page.status).toBe(403);
    expect(page.text).not.toContain(MOTIVATION);
    for (const title of fixture.titles) expect(page.text).not.toContain(title);
    const json = await agent.get(`/ceremony/${year}/live/counts`).set('Accept', 'application/json');
    expect(json.status).toBe(403);
    expect(JSON.stringify(json.body)).not.toMatch(/nominationId/);
    const stream = await agent.get(`/ceremony/${year}/live/stream`).set('Accept', 'text/event-stream');
    expect(stream.status).toBe(403);
  });

  test('when the chair opens the presentation, then the slides show the award, each finalist, the drumroll and the winner with the motivation', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const res = await chair.get(`/ceremony/${year}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    for (const title of fixture.titles) expect(res.text).toContain(title);
    expect(res.text).toContain('Vi belönar lärdomen – inte misstaget');
    expect(res.text).toContain('Och vinnaren är …');
    expect(res.text).toContain(MOTIVATION);
    expect(res.text).toContain('aria-live="polite"');
    // No external resource of any kind: every src and href is same-origin or a data: URI.
    const urls = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    expect(res.text).toMatch(/<img class="live-slide__qr" src="data:image\/svg\+xml;base64,/);
  });

  test("when colleagues have voted and voting has closed, then the people's choice slide names the entry with the most votes and its count", async () => {
    const users = await ctx.db('users').whereIn('email', ['anna@example.org', 'bo@example.org']).select('id');
    for (const u of users) {
      await ctx.db('votes').insert({ edition_id: fixture.editionId, nomination_id: fixture.finalistIds[2], voter_id: u.id, slot: 1, created_at: ctx.clock.now() });
    }
    const chair = await ctx.signIn('cecilia@example.org');
    // V3: while voting is open, no counts, so no people's choice slide.
    expect((await chair.get(`/ceremony/${year}`)).text).not.toContain('slide--peoples-choice');
    await ctx.db('editions').where({ id: fixture.editionId }).update({ voting_override: 'closed' });
    const res = await chair.get(`/ceremony/${year}`);
    const slide = /<section class="slide slide--peoples-choice[\s\S]*?<\/section>/.exec(res.text);
    expect(slide).not.toBeNull();
    const text = visibleText(slide![0]);
    expect(text).toContain('Kollegornas röst');
    expect(text).toContain(fixture.titles[2]);
    expect(text).toContain('2 röster');
  });

  test('when the chair asks for the winner slide by number before the reveal, then the drumroll slide is shown instead', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const first = await chair.get(`/ceremony/${year}`);
    const total = Number(/data-total="(\d+)"/.exec(first.text)![1]);
    const res = await chair.get(`/ceremony/${year}?slide=${total}`);
    expect(res.text).toContain(`data-current="${total - 1}"`);
    expect(res.text).toMatch(new RegExp(`id="slide-${total}"[^>]*hidden`));
  });

  test('without JavaScript, when the presenter follows "next", then each slide is its own page with links back and forth', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.get(`/ceremony/${year}?slide=3`);
    expect(res.text).toContain(`href="/ceremony/${year}?slide=2"`);
    expect(res.text).toContain(`href="/ceremony/${year}?slide=4"`);
    expect(res.text).not.toMatch(/id="slide-3"[^>]*hidden/);
  });

  test('when an employee tries to reveal, then it is refused and nothing is published', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.post(`/ceremony/${year}/reveal`).type('form').send({ _csrf: await anna.csrf() });
    expect(res.status).toBe(403);
    expect(await revealedAt()).toBeNull();
  });

  test('when the reveal is posted without a CSRF token, then it is refused', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const res = await chair.post(`/ceremony/${year}/reveal`).type('form').send({});
    expect(res.status).toBe(403);
    expect(await revealedAt()).toBeNull();
  });

  test('when the archive is read before the reveal, then the current edition and its result are not there', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get('/archive');
    expect(res.text).not.toContain(`Årets misstag ${year}<`);
    expect((await anna.get(`/archive/${year}`)).status).toBe(404);
  });
});

describe('the reveal', () => {
  test('when the chair reveals twice (a double click), then the edition is revealed once, audited once, and the winner slide follows', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const token = await chair.csrf();
    const res = await chair.post(`/ceremony/${year}/reveal`).type('form').send({ _csrf: token });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^/ceremony/${year}\\?slide=\\d+$`));
    const again = await chair.post(`/ceremony/${year}/reveal`).set('Accept', 'application/json').type('form').send({ _csrf: token });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ revealed: true });
    expect(await revealedAt()).not.toBeNull();
    const audits = await ctx.db('audit_log').where({ action: 'ceremony.reveal' });
    expect(audits).toHaveLength(1);
    const page = await chair.get(res.headers.location);
    const total = /data-total="(\d+)"/.exec(page.text)![1];
    expect(page.text).toContain(`data-current="${total}"`);
    expect(page.text).toMatch(new RegExp(`id="slide-${total}" data-kind="winner"`));
    expect(page.text).toContain('class="slide__winner"');
  });

  test('after the reveal, when an employee opens the presentation, then they see it but cannot run it', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get(`/ceremony/${year}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(MOTIVATION);
    expect(res.text).not.toContain('/live/open');
    const open = await anna.post(`/ceremony/${year}/live/open`).type('form').send({ _csrf: await anna.csrf() });
    expect(open.status).toBe(403);
  });

  test("after the reveal, when an employee reads the archive, then the winner, the finalists and the colleagues' choice are there, without counts", async () => {
    const anna = await ctx.signIn('anna@example.org');
    const edition = await ctx.db('editions').where({ year }).first();
    const result = await ctx.db('results').where({ edition_id: edition.id }).first();
    const winner = await ctx.db('nominations').where({ id: result.winner_nomination_id }).first();
    const index = visibleText((await anna.get('/archive')).text);
    expect(index).toContain(`Årets misstag ${year}`);
    expect(index).toContain(winner.title);
    const page = await anna.get(`/archive/${year}`);
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain(MOTIVATION);
    // The colleagues' choice is named; no count stands beside a colleague's lesson (V3).
    expect(text).toContain('Kollegornas röst');
    expect(text).not.toMatch(/Röster/);
    expect(page.text).toContain(`href="/entries/${winner.id}"`);
  });

  test('when a year has no edition, then the presentation is 404', async () => {
    const admin = await ctx.signIn('admin@example.org');
    expect((await admin.get('/ceremony/1999')).status).toBe(404);
    expect((await admin.get('/ceremony/abc')).status).toBe(404);
  });
});
