// The jury and the phase engine: the admin's early opening and closing of judging, and the reveal.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';

let ctx: TestContext;
let editionId: number;
let entryId: number;
let criteria: number[];

beforeAll(async () => {
  ctx = await createTestContext();
  const edition = await ctx.db('editions').whereNull('archived_at').first();
  editionId = Number(edition.id);
  entryId = Number((await ctx.db('nominations').where({ edition_id: editionId, title: 'Bygglovsblanketten med 47 frågor' }).first()).id);
  criteria = (await ctx.db('criteria').where({ edition_id: editionId }).orderBy('sort_order')).map((c) => Number(c.id));
});
afterAll(async () => {
  await ctx.close();
});

async function post(agent: Agent, url: string, body: Record<string, string | string[]>) {
  const _csrf = await agent.csrf();
  return agent.post(url).type('form').send({ _csrf, ...body });
}
const scores = (v: number) => Object.fromEntries(criteria.map((id) => [`c${id}`, String(v)]));
const setEdition = (changes: Record<string, unknown>) => ctx.db('editions').where({ id: editionId }).update(changes);

test('when the admin has opened judging early, then jurors can score before the judging date', async () => {
  await setEdition({ judging_override: 'open' });
  const david = await ctx.signIn('david@example.org');
  const res = await post(david, `/jury/entries/${entryId}`, { ...scores(4), action: 'submit' });
  expect(res.status).toBe(303);
  expect(await ctx.db('scores').where({ nomination_id: entryId })).toHaveLength(criteria.length);
});

test('when the admin has closed judging early, then scores are refused but the chair may still decide', async () => {
  await setEdition({ judging_override: 'closed', judging_opens_at: new Date(ctx.clock.now().getTime() - 60_000) });
  const eva = await ctx.signIn('eva@example.org');
  const refused = await post(eva, `/jury/entries/${entryId}`, { ...scores(2), action: 'save' });
  expect(refused.status).toBe(409);
  expect(await ctx.db('scores').where({ nomination_id: entryId, juror_id: (await ctx.db('users').where({ email: 'eva@example.org' }).first()).id })).toHaveLength(0);
  expect(visibleText((await eva.get('/jury')).text)).toContain('Bedömningen är avslutad.');

  const cecilia = await ctx.signIn('cecilia@example.org');
  const saved = await post(cecilia, '/jury/decision', { finalist: [String(entryId)], winner: String(entryId), motivation: 'Utkast' });
  expect(saved.status).toBe(303);
  expect((await ctx.db('results').where({ edition_id: editionId }).first()).motivation).toBe('Utkast');
});

test('when the ceremony has revealed the result, then neither scores nor the decision can change', async () => {
  await setEdition({ revealed_at: new Date(ctx.clock.now().getTime() - 60_000) });
  const david = await ctx.signIn('david@example.org');
  expect((await post(david, `/jury/entries/${entryId}`, { ...scores(1), action: 'save' })).status).toBe(409);
  const cecilia = await ctx.signIn('cecilia@example.org');
  const res = await post(cecilia, '/jury/decision', { finalist: [String(entryId)], winner: String(entryId), motivation: 'Efteråt' });
  expect(res.status).toBe(409);
  expect(visibleText(res.text)).toContain('inte efter prisutdelningen');
  expect((await ctx.db('results').where({ edition_id: editionId }).first()).motivation).toBe('Utkast');
  expect((await ctx.db('scores').where({ nomination_id: entryId }).select('value')).every((s) => s.value === 4)).toBe(true);
});
