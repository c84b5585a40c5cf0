// The test factories (test/helpers/factories.ts) make rows the app itself accepts: an entry made here is
// in the gallery and on its own page, a vote made here is on the voter's page and counts against the
// budget. Keeps the factories in step with the schema and the rules.
import { createTestContext, visibleText, type TestContext } from '../helpers/context';
import { makeEntry, makeUser, makeVote } from '../helpers/factories';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

test('when a test makes a colleague, a published entry and a vote, then the app shows them as its own', async () => {
  const author = await makeUser(ctx.db, { name: 'Fabian Fabriksson' });
  const entry = await makeEntry(ctx.db, { submitterId: author.id, title: 'Fabrikens första misstag' });
  const voter = await makeUser(ctx.db, { name: 'Vera Väljare', email: 'vera.valjare@example.org', signIn: true });
  await makeVote(ctx.db, { voterId: voter.id, nominationId: entry.id });

  const anna = await ctx.signIn('anna@example.org');
  // With 13 entries the gallery has two pages in a per-visitor random order: find it by search.
  expect(visibleText((await anna.get('/entries').query({ q: 'Fabrikens' })).text)).toContain('Fabrikens första misstag');
  expect(visibleText((await anna.get(`/entries/${entry.id}`)).text)).toContain('Vi frågar dem det gäller först.');

  const vera = await ctx.signIn('vera.valjare@example.org');
  expect(visibleText((await vera.get('/votes')).text)).toContain('Fabrikens första misstag');
});

test('when a factory entry is a draft, then nobody but its author sees it', async () => {
  const draft = await makeEntry(ctx.db, { status: 'draft', title: 'Halvskrivet' });
  const anna = await ctx.signIn('anna@example.org');
  expect((await anna.get(`/entries/${draft.id}`)).status).toBe(404);
  expect(visibleText((await anna.get('/entries')).text)).not.toContain('Halvskrivet');
});
