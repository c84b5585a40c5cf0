// Nothing depends on the day it runs (SPEC §6 "Time"): production code reads the wall clock in one
// place, the demo seed is coherent at hard moments of the year (December, Stockholm's new-year hour,
// both daylight-saving nights, a leap day), and sessions end by the app's clock.
import fs from 'node:fs';
import path from 'node:path';
import { createTestContext, visibleText, type TestContext } from '../helpers/context';
import * as editions from '../../src/editions/service';
import { stockholmYear, toStockholmLocal } from '../../src/time';
import { projectRoot } from '../../src/paths';

const HOUR = 60 * 60 * 1000;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return /\.(ts|ejs|js)$/.test(d.name) ? [full] : [];
  });
}

describe('the wall clock', () => {
  test('when the production code is searched, then only src/clock.ts reads the wall clock', () => {
    const root = projectRoot();
    const readers = ['src', 'db', 'views', 'public']
      .flatMap((dir) => sourceFiles(path.join(root, dir)))
      .filter((file) => path.relative(root, file) !== path.join('src', 'clock.ts'))
      .filter((file) => /\bnew Date\(\s*\)|\bDate\.now\(\)/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(readers).toEqual([]);
  });
});

// UTC instants; the comment says what Stockholm's wall clock reads.
const MOMENTS: Array<[string, string]> = [
  ['2026-12-04T12:00:00Z', 'December, when voting used to close in the past'],
  ['2027-12-31T22:59:00Z', '23.59 on New Year’s Eve in Stockholm'],
  ['2027-12-31T23:30:00Z', '00.30 on New Year’s Day in Stockholm, still the old year in UTC'],
  ['2027-03-28T00:30:00Z', '01.30, half an hour before the clocks go forward'],
  ['2027-03-28T01:30:00Z', '03.30, just after the clocks went forward'],
  ['2027-10-31T00:30:00Z', 'the first 02.30 of the night the clocks go back'],
  ['2027-10-31T01:30:00Z', 'the second 02.30 of the night the clocks go back'],
  ['2028-02-29T12:00:00Z', 'a leap day'],
  ['2027-06-15T10:00:00Z', 'midsummer week'],
];

describe.each(MOMENTS)('the demo seeded at %s (%s)', (iso) => {
  const now = new Date(iso);
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now });
  });
  afterAll(async () => {
    await ctx.close();
  });

  test('then this year’s edition is current with nomination and voting open, and last year’s is archived with its winner', async () => {
    const year = stockholmYear(now);
    const current = await editions.current(ctx.db, now);
    expect(current?.edition.year).toBe(year);
    expect(current?.phase).toMatchObject({ nominationOpen: true, votingOpen: true, judgingOpen: false, revealed: false });

    const previous = await ctx.db('editions').where({ year: year - 1 }).first();
    expect(previous.archived_at).not.toBeNull();
    const result = await ctx.db('results').where({ edition_id: previous.id }).first();
    expect(result.winner_nomination_id).not.toBeNull();
  });

  test('then an employee’s home page, gallery and archive agree with the date', async () => {
    const year = stockholmYear(now);
    const anna = await ctx.signIn('anna@example.org');
    const home = visibleText((await anna.get('/')).text);
    expect(home).toContain(`Årets misstag ${year}`);
    const gallery = await anna.get('/entries');
    expect(gallery.status).toBe(200);
    expect((gallery.text.match(/href="\/entries\/\d+"/g) ?? []).length).toBeGreaterThanOrEqual(10);
    const archive = visibleText((await anna.get('/archive')).text);
    expect(archive).toContain(`Årets misstag ${year - 1}`);
    expect(archive).not.toContain(`Årets misstag ${year + 1}`);
  });

  test('then the phase dates an admin sees are the seeded instants in Stockholm time', async () => {
    const current = await editions.current(ctx.db, now);
    const admin = await ctx.signIn('admin@example.org');
    const page = await admin.get(`/admin/editions/${current!.edition.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`value="${toStockholmLocal(current!.edition.votingClosesAt!)}"`);
  });
});

describe('sessions by the app’s clock', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.close();
  });

  test('when a signed-in employee comes back within 8 hours, then they are still signed in; after 8 idle hours they are asked to sign in', async () => {
    const anna = await ctx.signIn('anna@example.org');
    ctx.clock.advance(7 * HOUR);
    const soon = await anna.get('/');
    expect(soon.status).toBe(200);
    expect(visibleText(soon.text)).toContain('Anna Lindqvist');

    ctx.clock.advance(8 * HOUR + 60_000);
    const late = await anna.get('/');
    expect(late.status).toBe(303);
    expect(late.headers.location).toMatch(/^\/auth\/login/);
    const pruned = await ctx.db('sessions').where('expires_at', '<=', ctx.clock.now()).count({ n: '*' });
    expect(Number(pruned[0].n)).toBeGreaterThan(0);
  });
});
