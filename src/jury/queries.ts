import type { Queryable } from '../db';
import { toBool } from '../db';

export type JuryRole = { member: boolean; chair: boolean };

export async function juryRole(db: Queryable, editionId: number, userId: number): Promise<JuryRole> {
  const row = await db('jury_members').where({ edition_id: editionId, user_id: userId }).first();
  return { member: Boolean(row), chair: row ? toBool(row.is_chair) : false };
}
