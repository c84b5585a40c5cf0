// Counts for the statistics dashboard (R2). Only totals: never a vote count per entry (V3). The counts of
// entries come from the nominations service.
import type { Queryable } from '../db';
import { toDate, toNumber } from '../db';

type Row = Record<string, unknown>;

/** Users are created at their first sign-in, so every stored (not anonymised) user has signed in. */
export async function signedInEmployees(db: Queryable): Promise<number> {
  const [{ n }] = await db('users').whereNull('anonymised_at').count({ n: '*' });
  return toNumber(n);
}

export async function voteTimes(db: Queryable, editionId: number): Promise<Date[]> {
  const rows: Row[] = await db('votes').where({ edition_id: editionId }).select('created_at');
  return rows.map((r) => toDate(r.created_at)).filter((d): d is Date => d !== null);
}
