// The indexed ranking (issue 9) gives exactly what the first, quadratic version gave: checked against
// that version, kept here as the reference, on generated juries with gaps, jäv and ties. (How fast it
// is, is measured by `npm run bench`, not here.)
import { markTies, pairKey, rank, standardDeviation, type RankingInput, type RankingRow } from '../../src/jury/ranking';

const EPSILON = 1e-9;
const average = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The ranking as first written (filter per entry, pairwise ties): the reference. */
function referenceRank(input: RankingInput): RankingRow[] {
  const key = (e: number, j: number) => `${e}:${j}`;
  const weights = new Map(input.criteria.map((c) => [c.id, c.weight]));
  const recused = new Set(input.recusals.map((r) => key(r.entryId, r.jurorId)));
  const entryIds = new Set(input.entries.map((e) => e.id));
  const sums = new Map<string, { entryId: number; jurorId: number; weighted: number; weight: number }>();
  for (const s of input.scores) {
    const w = weights.get(s.criterionId);
    if (w === undefined || !entryIds.has(s.entryId) || recused.has(key(s.entryId, s.jurorId))) continue;
    const acc = sums.get(key(s.entryId, s.jurorId)) ?? { entryId: s.entryId, jurorId: s.jurorId, weighted: 0, weight: 0 };
    acc.weighted += w * s.value;
    acc.weight += w;
    sums.set(key(s.entryId, s.jurorId), acc);
  }
  const marks = [...sums.values()].filter((s) => s.weight > 0).map((s) => ({ entryId: s.entryId, jurorId: s.jurorId, mark: s.weighted / s.weight }));
  const byJuror = new Map<number, number[]>();
  for (const m of marks) byJuror.set(m.jurorId, [...(byJuror.get(m.jurorId) ?? []), m.mark]);
  const stats = new Map([...byJuror].map(([j, xs]) => [j, { mean: average(xs), sd: standardDeviation(xs) }]));
  const z = (j: number, mark: number) => (stats.get(j)!.sd < EPSILON ? 0 : (mark - stats.get(j)!.mean) / stats.get(j)!.sd);
  const rows: RankingRow[] = input.entries.map((e) => {
    const mine = marks.filter((m) => m.entryId === e.id);
    if (mine.length === 0) return { entryId: e.id, mean: null, count: 0, spread: null, normalized: null, tied: false, tooFew: input.minScores > 0 };
    const values = mine.map((m) => m.mark);
    return {
      entryId: e.id,
      mean: average(values),
      count: mine.length,
      spread: Math.max(...values) - Math.min(...values),
      normalized: average(mine.map((m) => z(m.jurorId, m.mark))),
      tied: false,
      tooFew: mine.length < input.minScores,
    };
  });
  for (const row of rows) {
    if (row.mean === null) continue;
    row.tied = rows.some((o) => o !== row && o.mean !== null && Math.abs(o.mean - row.mean!) < EPSILON);
  }
  return rows;
}

/** A deterministic pseudo-random jury: some entries unscored, some criteria skipped, some jäv. */
function generated(seed: number, entries: number, jurors: number): RankingInput {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const criteria = [
    { id: 1, weight: 1 },
    { id: 2, weight: 2 },
    { id: 3, weight: 0.5 },
  ];
  const input: RankingInput = { entries: [], criteria, scores: [], recusals: [], minScores: 3 };
  for (let e = 1; e <= entries; e++) {
    input.entries.push({ id: e });
    if (next() < 0.05) continue; // nobody scored it
    for (let j = 100; j < 100 + jurors; j++) {
      if (next() < 0.1) input.recusals.push({ entryId: e, jurorId: j });
      if (next() < 0.1) continue; // this juror did not score it
      for (const c of criteria) if (next() > 0.05) input.scores.push({ entryId: e, jurorId: j, criterionId: c.id, value: 1 + Math.floor(next() * 5) });
    }
  }
  input.scores.push({ entryId: 9999, jurorId: 100, criterionId: 1, value: 5 }); // unknown entry
  input.scores.push({ entryId: 1, jurorId: 100, criterionId: 99, value: 5 }); // unknown criterion
  return input;
}

describe('rank, indexed', () => {
  test.each([1, 2, 3, 4, 5])('when a generated jury (seed %i) is ranked, then every row equals the reference ranking', (seed) => {
    const input = generated(seed, 120, 7);
    expect(rank(input)).toEqual(referenceRank(input));
  });

  test('when ids are too large for a numeric pair key (imported data), then the ranking is still exact', () => {
    const input = generated(7, 40, 5);
    const big = (id: number) => id + 3_000_000; // entry ids past 2^21
    const huge = (id: number) => id + 5_000_000_000; // user ids past 2^32
    const moved: RankingInput = {
      ...input,
      entries: input.entries.map((e) => ({ id: big(e.id) })),
      scores: input.scores.map((s) => ({ ...s, entryId: big(s.entryId), jurorId: huge(s.jurorId) })),
      recusals: input.recusals.map((r) => ({ entryId: big(r.entryId), jurorId: huge(r.jurorId) })),
    };
    expect(rank(moved)).toEqual(referenceRank(input).map((r) => ({ ...r, entryId: big(r.entryId) })));
    expect(pairKey(big(1), huge(1))).not.toBe(pairKey(big(1), huge(2)));
  });
});

describe('markTies', () => {
  test('when means are equal or differ only by floating-point noise, then exactly those rows are tied', () => {
    const rows = [3, 2, 3 + 1e-12, null, 4, 2.5, 2.5].map((mean) => ({ mean, tied: false }));
    markTies(rows);
    expect(rows.map((r) => r.tied)).toEqual([true, false, true, false, false, true, true]);
  });

  test('when no two means are within 1e-9, then no row is tied', () => {
    const rows = [1, 1 + 1e-6, 2, null, null].map((mean) => ({ mean, tied: false }));
    markTies(rows);
    expect(rows.every((r) => !r.tied)).toBe(true);
  });
});
