// The gallery's cards come from memory (src/read-cache.ts, issue 20): every write through the app's
// database handle to a table a card is read from must show on the next page view, never an old card.
import { createTestContext, type Agent, type TestContext } from '../helpers/context';
import { makeEntry, makeUser } from '../helpers/factories';
import { openDatabase } from '../../src/db';

describe('gallery cards read from memory', () => {
  let ctx: TestContext;
  let anna: Agent;

  beforeAll(async () => {
    ctx = await createTestContext();
    anna = await ctx.signIn('anna@example.org');
  });
  afterAll(() => ctx.close());

  const gallery = async (q: string) => (await anna.get(`/entries?q=${encodeURIComponent(q)}`)).text;

  test('when an entry is renamed, then the next gallery view shows the new title', async () => {
    // Arrange
    const entry = await makeEntry(ctx.db, { title: 'Kalendern som visade fel vecka' });
    expect(await gallery('kalendern')).toContain('Kalendern som visade fel vecka');
    // Act
    await ctx.db('nominations').where({ id: entry.id }).update({ title: 'Kalendern som visade rätt vecka till slut' });
    // Assert
    const html = await gallery('kalendern');
    expect(html).toContain('Kalendern som visade rätt vecka till slut');
    expect(html).not.toContain('Kalendern som visade fel vecka');
  });

  test('when an entry is withdrawn, then it leaves the gallery at once', async () => {
    // Arrange
    const entry = await makeEntry(ctx.db, { title: 'Skrivaren som skrev ut allt två gånger' });
    expect(await gallery('skrivaren')).toContain('Skrivaren som skrev ut allt två gånger');
    // Act
    await ctx.db('nominations').where({ id: entry.id }).update({ status: 'withdrawn', withdrawn_at: new Date(0) });
    // Assert
    expect(await gallery('skrivaren')).not.toContain('Skrivaren som skrev ut allt två gånger');
    expect((await anna.get('/entries')).text).not.toContain('Skrivaren som skrev ut allt två gånger');
  });

  test('when the submitter who is shown changes their name, then the card shows the new name', async () => {
    // Arrange
    const submitter = await makeUser(ctx.db, { name: 'Ulla Förnamnsson' });
    const entry = await makeEntry(ctx.db, { title: 'Mötet som ingen bokade', submitterId: submitter.id });
    await ctx.db('nominations').where({ id: entry.id }).update({ show_submitter: true });
    expect(await gallery('mötet som ingen')).toContain('Ulla Förnamnsson');
    // Act
    await ctx.db('users').where({ id: submitter.id }).update({ name: 'Ulla Efternamnsson' });
    // Assert
    const html = await gallery('mötet som ingen');
    expect(html).toContain('Ulla Efternamnsson');
    expect(html).not.toContain('Ulla Förnamnsson');
  });

  test('when a department is renamed, then the gallery filter offers the new name', async () => {
    // Arrange
    const department = await ctx.db('departments').whereIn('edition_id', ctx.db('editions').whereNull('archived_at').select('id')).first();
    expect((await anna.get('/entries')).text).toContain(department.name);
    // Act
    await ctx.db('departments').where({ id: department.id }).update({ name: 'Förvaltningen för prov' });
    // Assert
    const html = (await anna.get('/entries')).text;
    expect(html).toContain('Förvaltningen för prov');
  });

  test('when two colleagues open the gallery, then the card text is shared but the vote button and the language are each their own', async () => {
    // Arrange: a card that anna renders first, in Swedish; bo votes for it, then reads it in Swedish
    // (the same kept card text) and in English.
    const entry = await makeEntry(ctx.db, { title: 'Blanketten som ingen hittade' });
    const card = (html: string) => new RegExp(`<article[^>]*aria-labelledby="entry-${entry.id}-title">[\\s\\S]*?</article>`).exec(html)?.[0] ?? '';
    const withoutVote = (html: string) => html.replace(/<div class="vote[\s\S]*$/, '');
    const bo = await ctx.signIn('bo@example.org');
    const annasToken = await anna.csrf();
    const bosToken = await bo.csrf();
    expect(card(await gallery('blanketten'))).toContain('Lärdomen');
    expect((await bo.post('/votes').type('form').send({ _csrf: bosToken, entry: String(entry.id) })).status).toBe(303);
    // Act
    const forAnna = card(await gallery('blanketten'));
    const forBo = card((await bo.get('/entries?q=blanketten')).text);
    const forBoInEnglish = card((await bo.get('/entries?q=blanketten').set('Cookie', 'lang=en')).text);
    // Assert: the same text; each reader's own vote state and token.
    expect(withoutVote(forBo)).toBe(withoutVote(forAnna));
    expect(forAnna).toContain('Blanketten som ingen hittade');
    expect(forAnna).toContain('<div class="vote" data-vote-for');
    expect(forAnna).toContain(`value="${annasToken}"`);
    expect(forAnna).not.toContain(bosToken);
    expect(forBo).toContain(`<div class="vote vote--voted" data-vote-for="${entry.id}">`);
    expect(forBo).toContain(`value="${bosToken}"`);
    expect(forBo).not.toContain(annasToken);
    expect(forBoInEnglish).toContain('The lesson');
    expect(forBoInEnglish).not.toContain('Lärdomen');
    expect(forBoInEnglish).toContain(`<div class="vote vote--voted" data-vote-for="${entry.id}">`);
  });

  test('when an entry is published elsewhere (another instance or process), then a search shows it at once', async () => {
    // Arrange: the cards are in memory; the entry is written through a handle this app does not watch.
    const elsewhere = openDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.dataDir });
    try {
      const entry = await makeEntry(ctx.db, { title: 'Nyckeln som låg i fel skåp' });
      await ctx.db('nominations').where({ id: entry.id }).update({ status: 'in_moderation' });
      expect(await gallery('nyckeln som')).not.toContain('Nyckeln som låg i fel skåp');
      // Act
      await elsewhere('nominations').where({ id: entry.id }).update({ status: 'published' });
      // Assert
      expect(await gallery('nyckeln som')).toContain('Nyckeln som låg i fel skåp');
    } finally {
      await elsewhere.destroy();
    }
  });
});
