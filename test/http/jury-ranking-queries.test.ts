// The ranking's lean reads (issue 9) against the general ones, on SQLite and PostgreSQL: the scores read
// one row per (entry, juror) are exactly the scores of the published entries, and the ranking's entries
// carry the same titles, submitters and named colleagues as the full entries.
import { createTestContext, type TestContext } from '../helpers/context';
import * as queries from '../../src/jury/queries';
import * as jury from '../../src/jury/service';

let ctx: TestContext;
let editionId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  editionId = Number((await ctx.db('editions').whereNull('archived_at').first()).id);
});
afterAll(async () => {
  await ctx.close();
});

const sortScores = (xs: queries.Score[]) => [...xs].sort((a, b) => a.entryId - b.entryId || a.jurorId - b.jurorId || a.criterionId - b.criterionId);

test('when jurors have scored some criteria of some entries, then the ranking reads exactly the scores of the published entries', async () => {
  const criteria = (await ctx.db('criteria').where({ edition_id: editionId }).orderBy('id')).map((c) => Number(c.id));
  const published = (await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).orderBy('id')).map((n) => Number(n.id));
  const other = await ctx.db('nominations').where({ edition_id: editionId }).whereNot({ status: 'published' }).first('id');
  const jurors = (await ctx.db('users').orderBy('id').limit(3)).map((u) => Number(u.id));
  expect(criteria.length).toBeGreaterThan(1);
  expect(published.length).toBeGreaterThan(1);
  const rows: Array<Record<string, unknown>> = [];
  published.forEach((entryId, e) =>
    jurors.forEach((jurorId, j) =>
      criteria.forEach((criterionId, c) => {
        if ((e + j + c) % 4 !== 0) rows.push({ nomination_id: entryId, juror_id: jurorId, criterion_id: criterionId, value: 1 + ((e + 2 * j + c) % 5), updated_at: ctx.clock.now() });
      }),
    ),
  );
  if (other) rows.push({ nomination_id: Number(other.id), juror_id: jurors[0], criterion_id: criteria[0], value: 5, updated_at: ctx.clock.now() });
  await ctx.db('scores').insert(rows);

  const all = await queries.listScores(ctx.db, editionId);
  const expected = all.filter((s) => published.includes(s.entryId));
  expect(expected.length).toBeGreaterThan(0);
  expect(sortScores(await queries.listPublishedScores(ctx.db, editionId, criteria))).toEqual(sortScores(expected));
  // Only the criteria asked for; none at all gives none.
  expect(sortScores(await queries.listPublishedScores(ctx.db, editionId, [criteria[1]]))).toEqual(sortScores(expected.filter((s) => s.criterionId === criteria[1])));
  expect(await queries.listPublishedScores(ctx.db, editionId, [])).toEqual([]);
});

test('when the ranking lists the entries, then it has the titles, submitters and named colleagues of the full list, without the texts', async () => {
  const full = await jury.publishedEntries(ctx.db, editionId);
  const lean = await jury.rankingEntries(ctx.db, editionId);
  expect(lean).toEqual(
    full.map((e) => ({ id: e.id, title: e.title, submitterId: e.submitterId, showSubmitter: e.showSubmitter, nominees: e.nominees.map((n) => ({ userId: n.userId, email: n.email, consent: n.consent })) })),
  );
  expect(lean.some((e) => e.nominees.length > 0)).toBe(true);
});

test('when reviews are saved and some submitted, then the submitted pairs are exactly those with a submission date', async () => {
  const [entryA, entryB] = (await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).orderBy('id').limit(2)).map((n) => Number(n.id));
  const [j1, j2] = (await ctx.db('users').orderBy('id').limit(2)).map((u) => Number(u.id));
  await ctx.db('jury_reviews').insert([
    { nomination_id: entryA, juror_id: j1, note: 'klar', submitted_at: ctx.clock.now(), updated_at: ctx.clock.now() },
    { nomination_id: entryB, juror_id: j1, note: 'utkast', submitted_at: null, updated_at: ctx.clock.now() },
    { nomination_id: entryB, juror_id: j2, note: 'klar', submitted_at: ctx.clock.now(), updated_at: ctx.clock.now() },
  ]);
  const pairs = await queries.listSubmittedPairs(ctx.db, editionId);
  const reviews = (await queries.listReviews(ctx.db, editionId)).filter((r) => r.submittedAt).map((r) => ({ entryId: r.entryId, jurorId: r.jurorId }));
  const order = (xs: Array<{ entryId: number; jurorId: number }>) => [...xs].sort((a, b) => a.entryId - b.entryId || a.jurorId - b.jurorId);
  expect(order(pairs)).toEqual(order(reviews));
  expect(pairs).toEqual(expect.arrayContaining([{ entryId: entryA, jurorId: j1 }, { entryId: entryB, jurorId: j2 }]));
  expect(pairs).not.toContainEqual({ entryId: entryB, jurorId: j1 });
});
