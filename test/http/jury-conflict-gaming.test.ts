// Jäv that cannot be gamed (SPEC J4, J5): a submitter cannot knock out a juror by naming them when they
// have declined to be named; declaring jäv (and withdrawing it) never shows a juror the others' figures
// before they have submitted their own; the chair's jäv list keeps an anonymous submitter anonymous.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';

const DAY = 24 * 60 * 60 * 1000;
let ctx: TestContext;
let editionId: number;
let criteria: number[];
const users: Record<string, number> = {};

beforeAll(async () => {
  ctx = await createTestContext();
  const edition = await ctx.db('editions').whereNull('archived_at').orderBy('year').first();
  editionId = Number(edition.id);
  criteria = (await ctx.db('criteria').where({ edition_id: editionId }).orderBy('sort_order').select('id')).map((c) => Number(c.id));
  for (const u of await ctx.db('users').select('id', 'email')) users[String(u.email).split('@')[0]] = Number(u.id);
  ctx.clock.advance(23 * DAY); // judging open
});
afterAll(async () => {
  await ctx.close();
});

/** A published entry of the current edition, made for the test. */
async function publishedEntry(title: string, fields: { submitter: string; showSubmitter?: boolean }): Promise<number> {
  const now = ctx.clock.now();
  const [row] = await ctx
    .db('nominations')
    .insert({
      edition_id: editionId,
      submitter_id: users[fields.submitter],
      status: 'published',
      title,
      what_happened: 'Det som hände.',
      lesson: 'Det vi lärde oss.',
      changes: '',
      show_submitter: fields.showSubmitter ?? true,
      includes_self: false,
      search_text: title.toLowerCase(),
      created_at: now,
      updated_at: now,
      submitted_at: now,
      published_at: now,
    })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

async function name(entryId: number, who: string, consent: string): Promise<void> {
  await ctx.db('nominees').insert({
    nomination_id: entryId,
    user_id: users[who],
    name: who,
    email: `${who}@example.org`,
    consent,
    consent_token: `gaming-${entryId}-${who}`,
    created_at: ctx.clock.now(),
  });
}

async function post(agent: Agent, url: string, body: Record<string, string>) {
  return agent.post(url).type('form').send({ _csrf: await agent.csrf(), ...body });
}
const scores = (value: number) => Object.fromEntries(criteria.map((id) => [`c${id}`, String(value)]));

describe('a colleague who declined to be named (J4)', () => {
  test.each(['declined', 'withdrawn'])('when a juror named in an entry has %s, then they are not recused and may score it', async (consent) => {
    const entry = await publishedEntry(`Jävsfällan ${consent}`, { submitter: 'anna' });
    await name(entry, 'david', consent);
    const david = await ctx.signIn('david@example.org');
    const page = await david.get(`/jury/entries/${entry}`);
    expect(page.status).toBe(200);
    const saved = await post(david, `/jury/entries/${entry}`, { ...scores(4), action: 'submit' });
    expect(saved.status).toBe(303);
    expect(await ctx.db('jury_reviews').where({ juror_id: users.david, nomination_id: entry }).whereNotNull('submitted_at')).toHaveLength(1);
  });

  test('when the juror is still named (consent given or pending), then the jäv stays automatic', async () => {
    const entry = await publishedEntry('Jävsfällan kvar', { submitter: 'anna' });
    await name(entry, 'eva', 'given');
    const eva = await ctx.signIn('eva@example.org');
    expect((await eva.get(`/jury/entries/${entry}`)).status).toBe(403);
  });
});

describe('declaring jäv reveals nothing (J4, J5)', () => {
  test('when a juror who has not scored declares jäv and then withdraws it, then at no point do they see the others\' figures', async () => {
    const entry = await publishedEntry('Siffrorna bakom jävet', { submitter: 'anna' });
    // Two other jurors submit: 5 and 2 on every criterion, a mean of 3.50 and a spread of 3.00.
    for (const [who, value] of [['cecilia', 5], ['eva', 2]] as const) {
      const agent = await ctx.signIn(`${who}@example.org`);
      expect((await post(agent, `/jury/entries/${entry}`, { ...scores(value), action: 'submit' })).status).toBe(303);
    }
    const rowOf = (html: string) => visibleText(/<tr[^>]*><td>\d+<\/td><th scope="row">Siffrorna bakom jävet<\/th>.*?<\/tr>/.exec(html)?.[0] ?? '');
    const admin = await ctx.signIn('admin@example.org');
    expect(rowOf((await admin.get('/jury/ranking')).text)).toContain('3,00'); // the figures exist

    const david = await ctx.signIn('david@example.org');
    expect(rowOf((await david.get('/jury/ranking')).text)).toContain('Visas när du har skickat in din bedömning');
    expect((await post(david, `/jury/entries/${entry}/conflict`, { reason: 'Vill se siffrorna.' })).status).toBe(303);
    const recused = rowOf((await david.get('/jury/ranking')).text);
    expect(recused).toContain('Visas när du har skickat in din bedömning');
    expect(recused).not.toMatch(/3,50|3,00/);
    expect((await post(david, `/jury/entries/${entry}/conflict/withdraw`, {})).status).toBe(303);
    expect(rowOf((await david.get('/jury/ranking')).text)).not.toMatch(/3,50|3,00/);
  });
});

describe('the chair\'s jäv list (J4)', () => {
  test('when a juror submitted an entry anonymously, then the chair\'s list does not say who submitted it; an admin still sees it', async () => {
    await publishedEntry('Den anonyma lärdomen', { submitter: 'eva', showSubmitter: false });
    const open = await publishedEntry('Den öppna lärdomen', { submitter: 'david', showSubmitter: true });
    expect(open).toBeGreaterThan(0);
    const cecilia = await ctx.signIn('cecilia@example.org'); // the chair, not an admin
    const chairView = visibleText((await cecilia.get('/jury/ranking')).text);
    const conflicts = chairView.slice(chairView.indexOf('Jäv'));
    expect(conflicts).not.toMatch(/Den anonyma lärdomen[^|]*Eva/);
    expect(conflicts).toMatch(/Den öppna lärdomen David \S+ Skickade in bidraget/);
    const admin = await ctx.signIn('admin@example.org');
    expect(visibleText((await admin.get('/jury/ranking')).text)).toMatch(/Den anonyma lärdomen Eva \S+ Skickade in bidraget/);
  });
});
