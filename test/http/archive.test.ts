import sharp from 'sharp';
import { createTestContext, visibleText, type TestContext } from '../helpers/context';
import { currentYear, lockCurrentResult } from './ceremony-fixtures';
import * as archive from '../../src/archive/service';

let ctx: TestContext;
let year: number;
beforeAll(async () => {
  ctx = await createTestContext();
  year = await currentYear(ctx.db);
});
afterAll(async () => {
  await ctx.close();
});

describe('the archive (C4)', () => {
  test("when an employee opens the archive, then last year's edition is there with its winner and finalists, and the current one is not", async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get('/archive');
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain(`Årets misstag ${year - 1}`);
    expect(text).toContain('Beslutsbrevet som ingen förstod');
    expect(text).toContain('Skolskjutsen som väntade på fel sida');
    expect(text).not.toContain(`Årets misstag ${year} `);
    const winner = await ctx.db('nominations').where({ title: 'Beslutsbrevet som ingen förstod' }).first();
    expect(res.text).toContain(`href="/entries/${winner.id}"`);
  });

  test("when an employee opens last year's page, then the winner leads with the citation, the colleagues' choice is named and no vote count is beside anyone's lesson", async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get(`/archive/${year - 1}`);
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Med mod och envishet');
    // The citation comes before the finalists and the other entries.
    expect(text.indexOf('Med mod och envishet')).toBeLessThan(text.indexOf('Finalister'));
    expect(text).toContain('Fick också flest röster av kollegorna');
    expect(text).not.toMatch(/Röster/);
    for (const n of [42, 17, 28, 11]) expect(text).not.toContain(` ${n} `);
    // Nor on a public entry page.
    const winner = await ctx.db('nominations').where({ title: 'Beslutsbrevet som ingen förstod' }).first();
    const entry = visibleText((await anna.get(`/entries/${winner.id}`)).text);
    expect(entry).toContain(`Vinnare ${year - 1}`);
    expect(entry).toContain(`Kollegornas röst ${year - 1}`);
    expect(entry).not.toMatch(/röst(er)? från kollegor|Röster/);
    const finalist = await ctx.db('nominations').where({ title: 'Larmet som ringde i tomma rum' }).first();
    expect(visibleText((await anna.get(`/entries/${finalist.id}`)).text)).not.toMatch(/Röster|röster från/);
  });

  test("when the jury or an admin opens last year's page, then the per-entry counts are there for them", async () => {
    for (const email of ['admin@example.org', 'david@example.org']) {
      const agent = await ctx.signIn(email);
      const text = visibleText((await agent.get(`/archive/${year - 1}`)).text);
      for (const n of [42, 17, 28, 11]) expect(text).toContain(`Röster (syns bara för juryn och administratörer): ${n}`);
    }
  });

  test('when a search finds nothing, then the page offers a way back to the whole archive', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get('/archive').query({ q: 'finnsinte' });
    expect(visibleText(res.text)).toContain('Inga bidrag passar din sökning.');
    expect(res.text).toContain('<a class="button button--secondary" href="/archive">Visa hela arkivet</a>');
  });

  test('when someone searches with capital Å/Ä/Ö, then entries written in lower case are found across the years', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get('/archive').query({ q: 'BESLUTSBREVET SOM INGEN FÖRSTOD' });
    const text = visibleText(res.text);
    expect(text).toContain('Antal träffar: 1');
    expect(text).toContain('Beslutsbrevet som ingen förstod');
  });

  test('when the search holds % or _, then they are matched literally and find nothing', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const text = visibleText((await anna.get('/archive').query({ q: '%_%' })).text);
    expect(text).toContain('Inga bidrag passar din sökning.');
  });

  test("when the current edition's entries are searched before its reveal, then they are not in the archive", async () => {
    const anna = await ctx.signIn('anna@example.org');
    const text = visibleText((await anna.get('/archive').query({ q: 'Bygglovsblanketten' })).text);
    expect(text).toContain('Inga bidrag passar');
  });

  test('when a year is not in the archive, then its page is 404', async () => {
    const anna = await ctx.signIn('anna@example.org');
    expect((await anna.get(`/archive/${year}`)).status).toBe(404);
    expect((await anna.get('/archive/1066')).status).toBe(404);
    expect((await anna.get('/archive/abc')).status).toBe(404);
  });

  test('when the archive is read in English, then it speaks English', async () => {
    const anna = await ctx.signIn('anna@example.org');
    await anna.chooseLocale('en');
    const text = visibleText((await anna.get(`/archive/${year - 1}`)).text);
    expect(text).toContain('Back to the archive');
    expect(text).toContain(`Mistake of the Year ${year - 1}`);
    expect(text).not.toContain('Votes');
    // What colleagues wrote stays in Swedish and says so (WCAG 3.1.2).
    const html = (await anna.get(`/archive/${year - 1}`)).text;
    expect(html).toMatch(/<a href="\/entries\/\d+" lang="sv">Beslutsbrevet som ingen förstod<\/a>/);
    expect(html).toMatch(/<p lang="sv">Med mod och envishet/);
    await anna.chooseLocale('sv');
  });
});

describe('badges on entries (C3)', () => {
  test('when the result is locked but not revealed, then no entry has a badge; after the reveal the winner and finalists do, with counts', async () => {
    const fixture = await lockCurrentResult(ctx.db, ctx.clock.now());
    expect(await archive.awardFor(ctx.db, fixture.winnerId, ctx.clock.now())).toBeNull();
    await ctx.db('editions').where({ id: fixture.editionId }).update({ revealed_at: ctx.clock.now() });
    ctx.clock.advance(1000);
    expect(await archive.awardFor(ctx.db, fixture.winnerId, ctx.clock.now())).toMatchObject({ kind: 'winner', year });
    expect(await archive.awardFor(ctx.db, fixture.finalistIds[0], ctx.clock.now())).toMatchObject({ kind: 'finalist' });
    const other = await ctx.db('nominations').where({ edition_id: fixture.editionId, status: 'published' }).whereNotIn('id', fixture.finalistIds).first();
    expect(await archive.awardFor(ctx.db, Number(other.id), ctx.clock.now())).toMatchObject({ kind: null, votes: expect.any(Number) });
    const anna = await ctx.signIn('anna@example.org');
    expect(visibleText((await anna.get('/archive')).text)).toContain(`Årets misstag ${year}`);
  });
});

describe('share cards (C5)', () => {
  test('when an employee asks for the cards, then it is refused', async () => {
    const anna = await ctx.signIn('anna@example.org');
    expect((await anna.get('/admin/cards')).status).toBe(403);
    const winner = await ctx.db('nominations').where({ title: 'Beslutsbrevet som ingen förstod' }).first();
    expect((await anna.get(`/admin/cards/${winner.id}/square.png`)).status).toBe(403);
  });

  test('when an admin opens the cards page, then each finalist and winner has both downloads', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.get('/admin/cards');
    expect(res.status).toBe(200);
    const winner = await ctx.db('nominations').where({ title: 'Beslutsbrevet som ingen förstod' }).first();
    expect(res.text).toContain(`/admin/cards/${winner.id}/square.png`);
    expect(res.text).toContain(`/admin/cards/${winner.id}/wide.png`);
    expect((await admin.get('/admin')).text).toContain('/admin/cards');
  });

  test.each([
    ['square', 1080, 1080],
    ['wide', 1200, 630],
  ] as const)('when an admin downloads the %s card, then it is a %i×%i PNG to save', async (format, width, height) => {
    const admin = await ctx.signIn('admin@example.org');
    const winner = await ctx.db('nominations').where({ title: 'Beslutsbrevet som ingen förstod' }).first();
    const res = await admin.get(`/admin/cards/${winner.id}/${format}.png`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="arets-misstag-\d{4}-\d+-(square|wide)\.png"$/);
    const meta = await sharp(res.body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([width, height]);
  });

  test('when a card is asked for an entry that is not a finalist, or a wrong format, then it is 404', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const other = await ctx.db('nominations').where({ title: 'Den automatiska belysningen som släckte mitt i lektionen' }).first();
    expect((await admin.get(`/admin/cards/${other.id}/square.png`)).status).toBe(404);
    expect((await admin.get('/admin/cards/1/huge.png')).status).toBe(404);
    expect((await admin.get('/admin/cards/abc/square.png')).status).toBe(404);
  });
});
