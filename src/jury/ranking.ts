// The jury ranking (SPEC J6) as a pure function: scores in, one row per entry out. No database, no clock.
//
// Definitions (shown to the jury on the ranking page too):
// - A juror's mark for an entry is the weighted mean of the criteria they scored (weights renormalised
//   over the criteria scored, so a missing criterion does not count as zero).
// - `mean` is the mean of the jurors' marks for the entry: every non-recused juror who scored it counts
//   once, whatever their number of criteria.
// - `spread` is max − min of the jurors' marks (0 with one juror): "how far apart the jury is".
// - `normalized` is the mean of the jurors' z-scores: each juror's marks are turned into z-scores over all
//   entries that juror scored ((mark − juror's mean) / juror's standard deviation, population), so strict
//   and lenient jurors weigh the same. A juror whose marks are all equal (zero spread) contributes 0.
// - `tied`: another entry has the same mean. `tooFew`: fewer scores than the edition's minimum.

export type RankingInput = {
  entries: Array<{ id: number }>;
  criteria: Array<{ id: number; weight: number }>;
  scores: Array<{ entryId: number; jurorId: number; criterionId: number; value: number }>;
  /** Juror–entry pairs with jäv: their scores for that entry never count. */
  recusals: Array<{ entryId: number; jurorId: number }>;
  minScores: number;
};

export type RankingRow = {
  entryId: number;
  mean: number | null;
  count: number;
  spread: number | null;
  normalized: number | null;
  tied: boolean;
  tooFew: boolean;
};

const EPSILON = 1e-9;
/**
 * One number per (entry, juror): a string key per score was a tenth of the ranking's time. The number is
 * exact for entry ids below 2^21 and user ids below 2^32; beyond (ids imported from elsewhere), a string.
 */
export const pairKey = (entryId: number, jurorId: number): number | string =>
  entryId < 0x200000 && jurorId < 0x100000000 ? entryId * 0x100000000 + jurorId : `${entryId}:${jurorId}`;

function average(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Population standard deviation. */
export function standardDeviation(xs: number[]): number {
  if (xs.length === 0) return 0;
  const m = average(xs);
  return Math.sqrt(average(xs.map((x) => (x - m) ** 2)));
}

/**
 * Marks the rows whose mean equals another row's mean (within EPSILON). After sorting the means, the
 * closest other mean of a row is one of its neighbours, so one sort and one pass replace comparing every
 * pair of rows.
 */
export function markTies(rows: Array<{ mean: number | null; tied: boolean }>): void {
  const scored = rows.filter((r) => r.mean !== null).sort((a, b) => a.mean! - b.mean!);
  for (let i = 1; i < scored.length; i++) {
    if (scored[i].mean! - scored[i - 1].mean! < EPSILON) {
      scored[i].tied = true;
      scored[i - 1].tied = true;
    }
  }
}

export function rank(input: RankingInput): RankingRow[] {
  const weights = new Map(input.criteria.map((c) => [c.id, c.weight]));
  const recused = new Set(input.recusals.map((r) => pairKey(r.entryId, r.jurorId)));
  const entryIds = new Set(input.entries.map((e) => e.id));

  // Weighted sums per (entry, juror), counting only known criteria of known entries, without jäv.
  const sums = new Map<number | string, { entryId: number; jurorId: number; weighted: number; weight: number }>();
  for (const s of input.scores) {
    const w = weights.get(s.criterionId);
    if (w === undefined || !entryIds.has(s.entryId)) continue;
    const key = pairKey(s.entryId, s.jurorId);
    if (recused.has(key)) continue;
    let acc = sums.get(key);
    if (!acc) {
      acc = { entryId: s.entryId, jurorId: s.jurorId, weighted: 0, weight: 0 };
      sums.set(key, acc);
    }
    acc.weighted += w * s.value;
    acc.weight += w;
  }

  // The marks, grouped once by entry and by juror.
  type Mark = { jurorId: number; mark: number };
  const byEntry = new Map<number, Mark[]>();
  const byJuror = new Map<number, number[]>();
  for (const s of sums.values()) {
    if (!(s.weight > 0)) continue;
    const mark = s.weighted / s.weight;
    const forEntry = byEntry.get(s.entryId);
    if (forEntry) forEntry.push({ jurorId: s.jurorId, mark });
    else byEntry.set(s.entryId, [{ jurorId: s.jurorId, mark }]);
    const forJuror = byJuror.get(s.jurorId);
    if (forJuror) forJuror.push(mark);
    else byJuror.set(s.jurorId, [mark]);
  }

  // Each juror's mean and standard deviation over the entries they scored, for the z-scores.
  const jurorStats = new Map([...byJuror].map(([jurorId, xs]) => [jurorId, { mean: average(xs), sd: standardDeviation(xs) }]));
  const zScore = (jurorId: number, mark: number) => {
    const st = jurorStats.get(jurorId)!;
    return st.sd < EPSILON ? 0 : (mark - st.mean) / st.sd;
  };

  const rows: RankingRow[] = input.entries.map((e) => {
    const mine = byEntry.get(e.id) ?? [];
    if (mine.length === 0) {
      return { entryId: e.id, mean: null, count: 0, spread: null, normalized: null, tied: false, tooFew: input.minScores > 0 };
    }
    const values = mine.map((m) => m.mark);
    return {
      entryId: e.id,
      mean: average(values),
      count: mine.length,
      spread: Math.max(...values) - Math.min(...values),
      normalized: average(mine.map((m) => zScore(m.jurorId, m.mark))),
      tied: false,
      tooFew: mine.length < input.minScores,
    };
  });

  markTies(rows);
  return rows;
}

export const SORT_KEYS = ['title', 'mean', 'normalized', 'count', 'spread', 'votes'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export function isSortKey(v: unknown): v is SortKey {
  return typeof v === 'string' && (SORT_KEYS as readonly string[]).includes(v);
}

/** The natural direction of a column: best first for numbers, A–Ö for titles. */
export function defaultDir(key: SortKey): SortDir {
  return key === 'title' ? 'asc' : 'desc';
}

/**
 * Sorts rows by a column. Empty values (no scores, votes not shown) always come last; rows that compare
 * equal fall back to the title, so the order is stable and predictable.
 */
export function sortRows<T extends RankingRow & { title: string; votes: number | null }>(
  rows: T[],
  key: SortKey,
  dir: SortDir,
  compareText: (a: string, b: string) => number,
): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  const value = (r: T): number | null => (key === 'title' ? null : key === 'count' ? r.count : r[key]);
  return [...rows].sort((a, b) => {
    if (key === 'title') return sign * compareText(a.title, b.title);
    const va = value(a);
    const vb = value(b);
    if (va === null && vb !== null) return 1;
    if (vb === null && va !== null) return -1;
    if (va !== null && vb !== null && Math.abs(va - vb) >= EPSILON) return sign * (va - vb);
    return compareText(a.title, b.title);
  });
}
