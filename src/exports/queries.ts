// Rows for the exports (R3). Names are people's CURRENT names (anonymisation shows); never voters.
import type { Queryable } from '../db';
import { toBool, toDate } from '../db';

type Row = Record<string, unknown>;

export type EntryRow = {
  id: number;
  status: string;
  title: string;
  department: string | null;
  teamName: string | null;
  submitterName: string;
  showSubmitter: boolean;
  namedColleagues: Array<{ name: string; consent: string }>;
  whatHappened: string;
  lesson: string;
  changes: string;
  submittedAt: Date | null;
  publishedAt: Date | null;
};

/** Every entry of an edition that has been submitted (drafts are the submitter's own). */
export async function entries(db: Queryable, editionId: number): Promise<EntryRow[]> {
  const rows: Row[] = await db('nominations as n')
    .join('users as u', 'u.id', 'n.submitter_id')
    .leftJoin('departments as d', 'd.id', 'n.department_id')
    .where('n.edition_id', editionId)
    .whereNot('n.status', 'draft')
    .select('n.*', 'u.name as submitter_name', 'd.name as department_name')
    .orderBy('n.id');
  const ids = rows.map((r) => Number(r.id));
  const nominees: Row[] = ids.length ? await db('nominees').whereIn('nomination_id', ids).orderBy('id') : [];
  return rows.map((r) => ({
    id: Number(r.id),
    status: String(r.status),
    title: String(r.title ?? ''),
    department: (r.department_name as string | null) ?? null,
    teamName: (r.team_name as string | null) ?? null,
    submitterName: String(r.submitter_name),
    showSubmitter: toBool(r.show_submitter),
    namedColleagues: nominees.filter((x) => Number(x.nomination_id) === Number(r.id)).map((x) => ({ name: String(x.name), consent: String(x.consent) })),
    whatHappened: String(r.what_happened ?? ''),
    lesson: String(r.lesson ?? ''),
    changes: String(r.changes ?? ''),
    submittedAt: toDate(r.submitted_at),
    publishedAt: toDate(r.published_at),
  }));
}

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

export async function departmentsOf(db: Queryable, ids: number[]): Promise<Map<number, string | null>> {
  if (!ids.length) return new Map();
  const rows: Row[] = await db('nominations as n').leftJoin('departments as d', 'd.id', 'n.department_id').whereIn('n.id', ids).select('n.id', 'd.name');
  return new Map(rows.map((r) => [Number(r.id), (r.name as string | null) ?? null]));
}
