// Counts for the statistics dashboard (R2). Only totals: never a vote count per entry (V3).
import type { Queryable } from '../db';
import { toDate, toNumber } from '../db';

type Row = Record<string, unknown>;

export async function nominationsPerDepartment(db: Queryable, editionId: number) {
  const departments: Row[] = await db('departments').where({ edition_id: editionId }).orderBy(['sort_order', 'name']);
  const counts: Row[] = await db('nominations')
    .where({ edition_id: editionId })
    .whereNotIn('status', ['draft', 'withdrawn'])
    .groupBy('department_id')
    .select('department_id')
    .count({ submitted: '*' })
    .select(db.raw("sum(case when status = 'published' then 1 else 0 end) as published"));
  const byId = new Map(counts.map((c) => [c.department_id == null ? null : Number(c.department_id), { submitted: toNumber(c.submitted), published: toNumber(c.published) }]));
  const rows: Array<{ name: string | null; submitted: number; published: number }> = departments.map((d) => ({
    name: String(d.name),
    ...(byId.get(Number(d.id)) ?? { submitted: 0, published: 0 }),
  }));
  const none = byId.get(null);
  if (none) rows.push({ name: null, ...none });
  return rows;
}

/** Distinct voters and votes cast in the edition (null voters are archived, anonymous votes). */
export async function voteTotals(db: Queryable, editionId: number) {
  const [{ votes }] = await db('votes').where({ edition_id: editionId }).count({ votes: '*' });
  const [{ voters }] = await db('votes').where({ edition_id: editionId }).whereNotNull('voter_id').countDistinct({ voters: 'voter_id' });
  return { votes: toNumber(votes), voters: toNumber(voters) };
}

/** Users are created at their first sign-in, so every stored (not anonymised) user has signed in. */
export async function signedInEmployees(db: Queryable): Promise<number> {
  const [{ n }] = await db('users').whereNull('anonymised_at').count({ n: '*' });
  return toNumber(n);
}

export async function voteTimes(db: Queryable, editionId: number): Promise<Date[]> {
  const rows: Row[] = await db('votes').where({ edition_id: editionId }).select('created_at');
  return rows.map((r) => toDate(r.created_at)).filter((d): d is Date => d !== null);
}

export async function statusCounts(db: Queryable, editionId: number): Promise<Record<string, number>> {
  const rows: Row[] = await db('nominations').where({ edition_id: editionId }).groupBy('status').select('status').count({ n: '*' });
  return Object.fromEntries(rows.map((r) => [String(r.status), toNumber(r.n)]));
}

export async function oldestInModeration(db: Queryable, editionId: number): Promise<Date | null> {
  const row = await db('nominations').where({ edition_id: editionId, status: 'in_moderation' }).min({ at: 'submitted_at' }).first();
  return toDate(row?.at);
}

/**
 * Per juror: published entries they may score (not recused) and how many they have submitted. Names
 * are the jurors' current names.
 */
export async function juryProgress(db: Queryable, editionId: number) {
  const members: Row[] = await db('jury_members as j').join('users as u', 'u.id', 'j.user_id').where('j.edition_id', editionId).select('u.id', 'u.name', 'j.is_chair');
  const [{ n: published }] = await db('nominations').where({ edition_id: editionId, status: 'published' }).count({ n: '*' });
  const recused: Row[] = await db('conflicts as c')
    .join('nominations as n', 'n.id', 'c.nomination_id')
    .where({ 'n.edition_id': editionId, 'n.status': 'published' })
    .groupBy('c.juror_id')
    .select('c.juror_id')
    .count({ n: '*' });
  const submitted: Row[] = await db('jury_reviews as r')
    .join('nominations as n', 'n.id', 'r.nomination_id')
    .leftJoin('conflicts as c', function () {
      this.on('c.nomination_id', '=', 'r.nomination_id').andOn('c.juror_id', '=', 'r.juror_id');
    })
    .where({ 'n.edition_id': editionId, 'n.status': 'published' })
    .whereNotNull('r.submitted_at')
    .whereNull('c.id')
    .groupBy('r.juror_id')
    .select('r.juror_id')
    .count({ n: '*' });
  const recusedBy = new Map(recused.map((r) => [Number(r.juror_id), toNumber(r.n)]));
  const doneBy = new Map(submitted.map((r) => [Number(r.juror_id), toNumber(r.n)]));
  return members.map((m) => ({
    userId: Number(m.id),
    name: String(m.name),
    scored: doneBy.get(Number(m.id)) ?? 0,
    total: toNumber(published) - (recusedBy.get(Number(m.id)) ?? 0),
  }));
}
