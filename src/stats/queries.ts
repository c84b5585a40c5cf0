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
