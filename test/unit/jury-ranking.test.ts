// The J6 aggregation, with every expected number worked out by hand in the comments.
import { rank, sortRows, standardDeviation, type RankingInput } from '../../src/jury/ranking';

// Two criteria: c1 weighs 1, c2 weighs 2. A juror's mark = (1·c1 + 2·c2) / 3.
const criteria = [
  { id: 1, weight: 1 },
  { id: 2, weight: 2 },
];
const A = 101; // an ordinary juror
const B = 102; // a lenient juror, with jäv on entry 30
const C = 103; // gives everyone 3 on everything (zero spread)

const s = (entryId: number, jurorId: number, c1: number, c2: number) => [
  { entryId, jurorId, criterionId: 1, value: c1 },
  { entryId, jurorId, criterionId: 2, value: c2 },
];

function mainInput(): RankingInput {
  return {
    entries: [{ id: 10 }, { id: 20 }, { id: 30 }, { id: 40 }],
    criteria,
    scores: [
      ...s(10, A, 4, 4), // mark 4
      ...s(20, A, 2, 2), // mark 2
      ...s(30, A, 3, 3), // mark 3
      ...s(10, B, 5, 5), // mark 5
      ...s(20, B, 5, 3), // mark (5 + 6) / 3 = 11/3
      ...s(30, B, 5, 5), // jäv: must not count anywhere
      ...s(10, C, 3, 3),
      ...s(20, C, 3, 3),
      ...s(30, C, 3, 3),
    ],
    recusals: [{ entryId: 30, jurorId: B }],
    minScores: 3,
  };
}

const byId = (rows: ReturnType<typeof rank>, id: number) => rows.find((r) => r.entryId === id)!;

describe('rank', () => {
  test('when three jurors score, then the mean, count and spread (max − min of the jurors\' marks) are per entry', () => {
    const rows = rank(mainInput());
    // Entry 10: marks 4, 5, 3 → mean 4, spread 5 − 3 = 2.
    expect(byId(rows, 10)).toMatchObject({ count: 3, tooFew: false, tied: false });
    expect(byId(rows, 10).mean).toBeCloseTo(4, 10);
    expect(byId(rows, 10).spread).toBeCloseTo(2, 10);
    // Entry 20: marks 2, 11/3, 3 → mean 26/9 ≈ 2.8889, spread 11/3 − 2 = 5/3.
    expect(byId(rows, 20).mean).toBeCloseTo(26 / 9, 10);
    expect(byId(rows, 20).spread).toBeCloseTo(5 / 3, 10);
  });

  test('when a juror has jäv on an entry, then their scores for it count neither in its mean nor in their z-scores', () => {
    const rows = rank(mainInput());
    // Entry 30: only A (3) and C (3): mean 3, two scores, below the minimum of 3.
    expect(byId(rows, 30)).toMatchObject({ count: 2, tooFew: true });
    expect(byId(rows, 30).mean).toBeCloseTo(3, 10);
    expect(byId(rows, 30).spread).toBeCloseTo(0, 10);
    // B's z-scores use only entries 10 and 20: marks 5 and 11/3, mean 13/3, sd 2/3 → z = +1 and −1.
    // Were entry 30 (mark 5) counted, B's z for entry 10 would be 0.707…, and entry 10's normalised
    // mean would differ from the value below.
    expect(byId(rows, 10).normalized).toBeCloseTo((Math.sqrt(1.5) + 1 + 0) / 3, 10);
  });

  test('when a juror gives everyone the same score, then their zero spread contributes 0 to the normalised mean', () => {
    const rows = rank(mainInput());
    // A: marks 4, 2, 3 → mean 3, sd √(2/3) → z = +√1.5, −√1.5, 0. B: +1, −1. C: 0, 0, 0.
    expect(byId(rows, 10).normalized).toBeCloseTo((Math.sqrt(1.5) + 1) / 3, 10); // ≈ 0.7416
    expect(byId(rows, 20).normalized).toBeCloseTo(-(Math.sqrt(1.5) + 1) / 3, 10);
    expect(byId(rows, 30).normalized).toBeCloseTo(0, 10);
    expect(Number.isFinite(byId(rows, 10).normalized!)).toBe(true);
  });

  test('when nobody has scored an entry, then it has no mean and is flagged as having too few scores', () => {
    const rows = rank(mainInput());
    expect(byId(rows, 40)).toEqual({ entryId: 40, mean: null, count: 0, spread: null, normalized: null, tied: false, tooFew: true });
  });

  test('when a juror left a criterion unscored, then their mark is the weighted mean of the criteria they did score', () => {
    const rows = rank({
      entries: [{ id: 10 }],
      criteria,
      // A scored only c2 = 4: mark 4 (not (0·1 + 4·2) / 3 = 2.67). B scored both: (2 + 2·5) / 3 = 4.
      scores: [
        { entryId: 10, jurorId: A, criterionId: 2, value: 4 },
        ...s(10, B, 2, 5),
      ],
      recusals: [],
      minScores: 2,
    });
    expect(rows[0].mean).toBeCloseTo(4, 10);
    expect(rows[0]).toMatchObject({ count: 2, tooFew: false });
  });

  test('when scores belong to an unknown criterion or entry, then they are ignored', () => {
    const rows = rank({
      entries: [{ id: 10 }],
      criteria,
      scores: [...s(10, A, 4, 4), { entryId: 10, jurorId: A, criterionId: 99, value: 1 }, ...s(77, A, 1, 1)],
      recusals: [],
      minScores: 1,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0].mean).toBeCloseTo(4, 10);
    expect(rows[0].normalized).toBeCloseTo(0, 10); // A scored one entry: sd 0
  });

  test('when two entries have the same mean, then both are flagged as tied and the third is not', () => {
    const rows = rank({
      entries: [{ id: 10 }, { id: 20 }, { id: 30 }],
      criteria,
      // 10: A 4, B 3 → 3.5. 20: A 3, B 4 → 3.5. 30: A 5, B 5 → 5.
      scores: [...s(10, A, 4, 4), ...s(10, B, 3, 3), ...s(20, A, 3, 3), ...s(20, B, 4, 4), ...s(30, A, 5, 5), ...s(30, B, 5, 5)],
      recusals: [],
      minScores: 2,
    });
    expect(byId(rows, 10).tied).toBe(true);
    expect(byId(rows, 20).tied).toBe(true);
    expect(byId(rows, 30).tied).toBe(false);
  });

  test('when means differ only by floating-point noise, then they still count as a tie', () => {
    const rows = rank({
      entries: [{ id: 10 }, { id: 20 }],
      criteria: [{ id: 1, weight: 0.1 }, { id: 2, weight: 0.2 }],
      scores: [
        { entryId: 10, jurorId: A, criterionId: 1, value: 3 },
        { entryId: 10, jurorId: A, criterionId: 2, value: 3 },
        { entryId: 20, jurorId: A, criterionId: 2, value: 3 },
      ],
      recusals: [],
      minScores: 1,
    });
    expect(rows.every((r) => r.tied)).toBe(true);
  });
});

describe('standardDeviation', () => {
  test('when given marks, then it is the population standard deviation', () => {
    expect(standardDeviation([4, 2, 3])).toBeCloseTo(Math.sqrt(2 / 3), 10);
    expect(standardDeviation([3, 3, 3])).toBe(0);
    expect(standardDeviation([])).toBe(0);
  });
});

describe('sortRows', () => {
  const collator = new Intl.Collator('sv');
  const rows = rank(mainInput()).map((r) => ({
    ...r,
    title: { 10: 'Ödet', 20: 'Äpplet', 30: 'Zebran', 40: 'Apan' }[r.entryId]!,
    votes: { 10: 3, 20: 9, 30: null, 40: 1 }[r.entryId] ?? null,
  }));

  test('when sorted by mean, then the best comes first and entries without scores come last', () => {
    expect(sortRows(rows, 'mean', 'desc', collator.compare).map((r) => r.entryId)).toEqual([10, 30, 20, 40]);
    expect(sortRows(rows, 'mean', 'asc', collator.compare).map((r) => r.entryId)).toEqual([20, 30, 10, 40]);
  });

  test('when sorted by title, then Swedish order puts Å, Ä, Ö after Z', () => {
    expect(sortRows(rows, 'title', 'asc', collator.compare).map((r) => r.title)).toEqual(['Apan', 'Zebran', 'Äpplet', 'Ödet']);
  });

  test('when sorted by votes, then entries without a count come last in both directions', () => {
    expect(sortRows(rows, 'votes', 'desc', collator.compare).map((r) => r.entryId)).toEqual([20, 10, 40, 30]);
    expect(sortRows(rows, 'votes', 'asc', collator.compare).map((r) => r.entryId)).toEqual([40, 10, 20, 30]);
  });

  test('when rows are equal in the sorted column, then the title decides', () => {
    // Counts: 10 → 3, 20 → 3, 30 → 2, 40 → 0; 10 and 20 tie, Äpplet before Ödet.
    expect(sortRows(rows, 'count', 'desc', collator.compare).map((r) => r.entryId)).toEqual([20, 10, 30, 40]);
  });
});
