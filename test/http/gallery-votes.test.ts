// A kinder gallery (SPEC V2, issue 16): a compact vote status instead of the four-paragraph box, voted
// entries marked, one "Flytta min röst" page (a dialog with JavaScript) instead of a list on every card,
// the entry's content before the vote controls, a look per entry, and colleagues' words marked lang="sv".
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';

let ctx: TestContext;
let editionId: number;
let bo: number;

beforeAll(async () => {
  ctx = await createTestContext();
  editionId = Number((await ctx.db('editions').whereNull('archived_at').first('id')).id);
  bo = Number((await ctx.db('users').where({ email: 'bo@example.org' }).first('id')).id);
});
afterAll(async () => {
  await ctx.close();
});
beforeEach(async () => {
  await ctx.db('votes').where({ edition_id: editionId }).del();
});

async function post(agent: Agent, path: string, fields: Record<string, string | number> = {}) {
  const token = await agent.csrf();
  return agent.post(path).type('form').send({ _csrf: token, ...fields });
}

/** Entries bo may vote for: published, this edition, not his own or naming him. */
async function votable(): Promise<Array<{ id: number; title: string }>> {
  const rows = await ctx
    .db('nominations')
    .where({ edition_id: editionId, status: 'published' })
    .whereNot({ submitter_id: bo })
    .whereNotIn('id', ctx.db('nominees').where({ user_id: bo }).select('nomination_id'))
    .orderBy('id')
    .select('id', 'title');
  return rows.map((r) => ({ id: Number(r.id), title: String(r.title) }));
}

describe('the gallery while voting is open', () => {
  test('when bo opens the gallery, then a compact status says how many votes he has used and links to his votes, without the long box', async () => {
    const agent = await ctx.signIn('bo@example.org');
    const res = await agent.get('/entries');
    const status = /<section class="vote-status" data-voting-panel[\s\S]*?<\/section>/.exec(res.text)?.[0] ?? '';
    expect(visibleText(status)).toBe('Dina röster Du har använt 0 av 3 röster. Mina röster');
    expect(visibleText(res.text)).not.toContain('Din röst är hemlig');
  });

  test('when bo has voted, then that card is marked as his vote and the status counts it', async () => {
    const agent = await ctx.signIn('bo@example.org');
    const [a] = await votable();
    expect((await post(agent, '/votes', { entry: String(a.id), returnTo: '/entries' })).status).toBe(303);
    const res = await agent.get('/entries');
    expect(res.text).toMatch(new RegExp(`<div class="vote vote--voted" data-vote-for="${a.id}">`));
    expect(visibleText(res.text)).toContain('Du har använt 1 av 3 röster.');
  });

  test('when bo has used all three votes, then other cards offer one "Flytta en röst hit" link instead of a list of his votes', async () => {
    const agent = await ctx.signIn('bo@example.org');
    const [a, b, c, d] = await votable();
    for (const e of [a, b, c]) expect((await post(agent, '/votes', { entry: String(e.id) })).status).toBe(303);
    const res = await agent.get('/entries');
    expect(res.text).not.toContain('<select id="move-from-');
    expect(res.text).toContain(`href="/votes/move?to=${d.id}&amp;returnTo=%2Fentries" data-move-dialog`);

    // The move page (the dialog without JavaScript) lists his three votes and moves the one he picks.
    const page = await agent.get(`/votes/move?to=${d.id}&returnTo=%2Fentries`);
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain('Flytta min röst');
    expect(text).toContain(`Vilken av dina röster vill du flytta till ”${d.title}”?`);
    for (const e of [a, b, c]) expect(page.text).toContain(`name="from" value="${e.id}"`);
    const moved = await post(agent, '/votes/move', { from: b.id, to: d.id, returnTo: '/entries' });
    expect(moved.status).toBe(303);
    expect(moved.headers.location).toBe('/entries');
    const votes = (await ctx.db('votes').where({ voter_id: bo }).select('nomination_id')).map((r) => Number(r.nomination_id)).sort((x, y) => x - y);
    expect(votes).toEqual([a.id, c.id, d.id].sort((x, y) => x - y));
  });

  test('when the move page is asked for the wrong thing, then it answers clearly and changes nothing', async () => {
    const agent = await ctx.signIn('bo@example.org');
    const [a, b] = await votable();
    // No votes yet: nothing to move.
    expect((await agent.get(`/votes/move?to=${a.id}`)).status).toBe(409);
    await post(agent, '/votes', { entry: String(a.id) });
    expect((await agent.get(`/votes/move?to=${a.id}`)).status).toBe(409);
    const own = await ctx.db('nominations').where({ edition_id: editionId, submitter_id: bo, status: 'published' }).first('id');
    if (own) expect((await agent.get(`/votes/move?to=${own.id}`)).status).toBe(403);
    for (const bad of ['abc', '-1', '99999999', '1e3', '']) {
      const res = await agent.get(`/votes/move?to=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(404);
      expect(visibleText(res.text)).toContain('Det går bara att rösta på publicerade bidrag i årets omgång. Inget har ändrats.');
    }
    // An open redirect is not offered through returnTo.
    const page = await agent.get(`/votes/move?to=${b.id}&returnTo=${encodeURIComponent('https://evil.example')}`);
    expect(page.text).not.toContain('evil.example');
    expect(Number((await ctx.db('votes').where({ voter_id: bo }).count({ n: '*' }))[0].n)).toBe(1);
  });
});

describe('cards and the entry page', () => {
  test('when an entry has no photo, then its card gets a band from its department; with the English interface its words are marked Swedish', async () => {
    const agent = await ctx.signIn('bo@example.org');
    const res = await agent.get('/entries');
    expect(res.text).toMatch(/<div class="entry-card__band entry-card__band--\d" aria-hidden="true"><\/div>/);
    await agent.chooseLocale('en');
    const en = await agent.get('/entries');
    const [a] = await votable();
    expect(en.text).toContain(`<a href="/entries/${a.id}" lang="sv">`);
    expect(en.text).toMatch(/<p class="entry-card__lesson" lang="sv">/);
    await agent.chooseLocale('sv');
    // On a Swedish page the Swedish words need no mark of their own.
    expect((await agent.get('/entries')).text).not.toMatch(/<(a|p)[^>]* lang="sv"/);
  });

  test('when bo opens an entry, then the lesson and the story come before the vote button', async () => {
    const agent = await ctx.signIn('bo@example.org');
    const [a] = await votable();
    const html = (await agent.get(`/entries/${a.id}`)).text;
    const vote = html.indexOf(`data-vote-for="${a.id}"`);
    expect(vote).toBeGreaterThan(html.indexOf('id="lesson-heading"'));
    expect(vote).toBeGreaterThan(html.indexOf('id="story-heading"'));
  });
});
