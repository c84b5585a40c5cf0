// Builds what the jury's decision (J7) leaves behind, for ceremony, live vote, archive and card tests:
// three finalists of the current edition, a winner, a motivation and a locked result.
import type { Knex } from 'knex';

export const MOTIVATION = 'Juryn belönar modet att fråga användarna först – en lärdom som nu sprids i hela förvaltningen.';

export async function lockCurrentResult(db: Knex, now: Date): Promise<{ year: number; editionId: number; finalistIds: number[]; winnerId: number; titles: string[] }> {
  const edition = await db('editions').whereNull('archived_at').orderBy('year', 'desc').first();
  const entries = await db('nominations').where({ edition_id: edition.id, status: 'published' }).orderBy('id').limit(3).select('id', 'title');
  const chair = await db('jury_members').where({ edition_id: edition.id, is_chair: true }).first();
  for (const [position, e] of entries.entries()) {
    await db('finalists').insert({ edition_id: edition.id, nomination_id: e.id, position });
  }
  const winnerId = Number(entries[1].id);
  await db('results').insert({ edition_id: edition.id, winner_nomination_id: winnerId, motivation: MOTIVATION, locked_by: chair.user_id, locked_at: now, updated_at: now });
  return { year: Number(edition.year), editionId: Number(edition.id), finalistIds: entries.map((e) => Number(e.id)), winnerId, titles: entries.map((e) => String(e.title)) };
}

export async function currentYear(db: Knex): Promise<number> {
  const edition = await db('editions').whereNull('archived_at').orderBy('year', 'desc').first();
  return Number(edition.year);
}
