// The jurors' scores for the exports (R3); the entries themselves come from the nominations service.
// Names are people's CURRENT names (anonymisation shows); never voters. The nominations table is joined
// here only to keep the edition's scores and give each its entry's title in the same read: the rows are
// the jury's, read once, and splitting the title off would be a second lookup for nothing.
import type { Queryable } from '../db';

type Row = Record<string, unknown>;

export type ScoreRow = { entryId: number; title: string; jurorName: string; criterionSv: string; criterionEn: string; weight: number; value: number; submitted: boolean };

/** Every score of the edition's jurors, with whether the juror has submitted that review. */
export async function scores(db: Queryable, editionId: number): Promise<ScoreRow[]> {
  const rows: Row[] = await db('scores as s')
    .join('nominations as n', 'n.id', 's.nomination_id')
    .join('criteria as c', 'c.id', 's.criterion_id')
    .join('users as u', 'u.id', 's.juror_id')
    .leftJoin('jury_reviews as r', function () {
      this.on('r.nomination_id', '=', 's.nomination_id').andOn('r.juror_id', '=', 's.juror_id');
    })
    .where('n.edition_id', editionId)
    .select('s.nomination_id', 's.value', 'n.title', 'u.name as juror_name', 'c.name_sv', 'c.name_en', 'c.weight', 'c.sort_order', 'r.submitted_at')
    .orderBy([{ column: 's.nomination_id' }, { column: 'u.name' }, { column: 'c.sort_order' }]);
  return rows.map((r) => ({
    entryId: Number(r.nomination_id),
    title: String(r.title ?? ''),
    jurorName: String(r.juror_name),
    criterionSv: String(r.name_sv),
    criterionEn: String(r.name_en),
    weight: Number(r.weight),
    value: Number(r.value),
    submitted: r.submitted_at !== null && r.submitted_at !== undefined,
  }));
}
