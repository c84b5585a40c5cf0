import { createTestContext, visibleText, type TestContext } from '../helpers/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const userId = async (email: string) => Number((await ctx.db('users').where({ email }).first()).id);
const currentEdition = async () => ctx.db('editions').whereNull('archived_at').orderBy('year', 'desc').first();

/** The body of the table with this caption, as text. */
function tableText(html: string, caption: string): string {
  const start = html.indexOf(`<caption>${caption}`);
  expect(start).toBeGreaterThan(-1);
  return visibleText(html.slice(start, html.indexOf('</table>', start)));
}

describe('statistics dashboard (R2)', () => {
  beforeAll(async () => {
    const edition = await currentEdition();
    const entries = await ctx.db('nominations').where({ edition_id: edition.id, status: 'published' }).orderBy('id').limit(3);
    const now = ctx.clock.now();
    const voters = ['anna', 'bo', 'fatima'];
    for (const [i, key] of voters.entries()) {
      await ctx.db('votes').insert({ edition_id: edition.id, nomination_id: entries[i].id, voter_id: await userId(`${key}@example.org`), slot: 1, created_at: now });
    }
    await ctx.db('votes').insert({ edition_id: edition.id, nomination_id: entries[0].id, voter_id: await userId('fatima@example.org'), slot: 2, created_at: now });
  });

  test('when an admin opens /admin, then each chart is an SVG image with a name and its numbers in a captioned table', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const res = await agent.get('/admin');
    expect(res.status).toBe(200);
    const svgs = res.text.match(/<svg [^>]*>/g) ?? [];
    expect(svgs.length).toBe(5);
    for (const s of svgs) expect(s).toMatch(/role="img" aria-label="[^"]{20,}"/);
    expect(res.text).not.toMatch(/\sstyle=/);
    for (const caption of ['Deltagande i röstningen', 'Nomineringar som väntar', 'Nomineringar per förvaltning', 'Röster per dag', 'Bedömda bidrag per jurymedlem']) {
      expect(res.text).toContain(`<caption>${caption}`);
    }
  });

  test('when votes have been cast, then participation shows voters over signed-in employees and the total', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const html = (await agent.get('/admin')).text;
    const users = (await ctx.db('users').whereNull('anonymised_at')).length;
    const text = tableText(html, 'Deltagande i röstningen');
    expect(text).toContain('Medarbetare som har röstat 3');
    expect(text).toContain(`Medarbetare som har loggat in ${users}`);
    expect(text).toContain('Antal röster totalt 4');
  });

  test('when an admin reads nominations per department, then published and submitted entries are counted per department', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const edition = await currentEdition();
    const rows = await ctx.db('nominations as n').join('departments as d', 'd.id', 'n.department_id').where('n.edition_id', edition.id).where('d.name', 'Skol- och fritidsförvaltningen').whereNotIn('n.status', ['draft', 'withdrawn']);
    const published = rows.filter((r) => r.status === 'published').length;
    const text = tableText((await agent.get('/admin')).text, 'Nomineringar per förvaltning');
    expect(text).toContain(`Skol- och fritidsförvaltningen ${rows.length} ${published}`);
  });

  test('when voting is open, then no vote count per entry appears, only totals (V3)', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const html = (await agent.get('/admin')).text;
    const edition = await currentEdition();
    const titles = (await ctx.db('nominations').where({ edition_id: edition.id, status: 'published' })).map((r) => r.title);
    for (const title of titles) expect(html).not.toContain(title);
    expect(visibleText(html)).toContain('aldrig hur många röster ett enskilt bidrag har fått');
  });

  test('when items wait for moderation, then the backlog shows them', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const edition = await currentEdition();
    const waiting = (await ctx.db('nominations').where({ edition_id: edition.id, status: 'in_moderation' })).length;
    const text = tableText((await agent.get('/admin')).text, 'Nomineringar som väntar');
    expect(text).toContain(`Granskning ${waiting}`);
  });

  test('when jurors have submitted reviews, then jury progress shows scored out of total per juror', async () => {
    const edition = await currentEdition();
    const entry = await ctx.db('nominations').where({ edition_id: edition.id, status: 'published' }).whereNot({ submitter_id: await userId('eva@example.org') }).orderBy('id').first();
    await ctx.db('jury_reviews').insert({ nomination_id: entry.id, juror_id: await userId('eva@example.org'), note: '', submitted_at: ctx.clock.now(), updated_at: ctx.clock.now() });
    const agent = await ctx.signIn('admin@example.org');
    const text = tableText((await agent.get('/admin')).text, 'Bedömda bidrag per jurymedlem');
    expect(text).toMatch(/Eva Sjöberg 1 \d+/);
    expect(text).toMatch(/David Holm 0 \d+/);
  });

  test('when the page is read in English, then the charts and tables are English', async () => {
    const agent = await ctx.signIn('admin@example.org');
    await agent.chooseLocale('en');
    const html = (await agent.get('/admin')).text;
    expect(html).toContain('<caption>Participation in the vote');
    expect(html).toMatch(/aria-label="Bar chart: submitted and published nominations per department/);
  });

  test('when a juror who is not admin opens /admin, then they are refused', async () => {
    const agent = await ctx.signIn('cecilia@example.org');
    expect((await agent.get('/admin')).status).toBe(403);
  });

  test('when there is no current edition, then the hub still works and says there are no statistics', async () => {
    const edition = await currentEdition();
    await ctx.db('editions').where({ id: edition.id }).update({ archived_at: ctx.clock.now() });
    try {
      const agent = await ctx.signIn('admin@example.org');
      await agent.chooseLocale('sv');
      const res = await agent.get('/admin');
      expect(res.status).toBe(200);
      expect(visibleText(res.text)).toContain('Det finns ingen aktuell omgång');
      expect(res.text).toContain('href="/admin/users"');
    } finally {
      await ctx.db('editions').where({ id: edition.id }).update({ archived_at: null });
    }
  });
});
