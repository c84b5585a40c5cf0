// The locked result of an edition and the people's vote counts, read for the ceremony, the archive and
// the share cards. Until the jury and voting features expose lockedResult()/voteCounts() in their
// services, these small queries read the shared tables directly (results, finalists, votes).
import type { Queryable } from '../db';
import { toDate, toNumber } from '../db';

type Row = Record<string, unknown>;

export type ResultEntry = {
  id: number;
  title: string;
  lesson: string;
  changes: string;
  teamName: string | null;
  department: string | null;
  /** An image attachment of the entry, if any (for a photo on the slide). */
  imageAttachmentId: number | null;
};

export type LockedResult = {
  editionId: number;
  winnerId: number;
  motivation: string;
  lockedAt: Date;
  /** Finalists in the chair's order; the winner is one of them. */
  finalists: ResultEntry[];
};

function toEntry(r: Row): ResultEntry {
  return {
    id: Number(r.id),
    title: String(r.title ?? ''),
    lesson: String(r.lesson ?? ''),
    changes: String(r.changes ?? ''),
    teamName: (r.team_name as string | null) || null,
    department: (r.department_name as string | null) ?? null,
    imageAttachmentId: r.image_attachment_id == null ? null : Number(r.image_attachment_id),
  };
}

function entryColumns(db: Queryable) {
  return [
    'n.id',
    'n.title',
    'n.lesson',
    'n.changes',
    'n.team_name',
    'd.name as department_name',
    db('attachments as a')
      .min('a.id')
      .whereRaw('a.nomination_id = n.id')
      .whereIn('a.mime', ['image/jpeg', 'image/png', 'image/webp'])
      .as('image_attachment_id'),
  ];
}

/** The result if the chair has locked it (winner and motivation set), else null. */
export async function findLockedResult(db: Queryable, editionId: number): Promise<LockedResult | null> {
  const result = await db('results').where({ edition_id: editionId }).first();
  if (!result || !result.locked_at || result.winner_nomination_id == null) return null;
  const rows: Row[] = await db('finalists as f')
    .join('nominations as n', 'n.id', 'f.nomination_id')
    .leftJoin('departments as d', 'd.id', 'n.department_id')
    .where('f.edition_id', editionId)
    .orderBy([{ column: 'f.position' }, { column: 'f.id' }])
    .select(entryColumns(db));
  const finalists = rows.map(toEntry);
  const winnerId = Number(result.winner_nomination_id);
  if (!finalists.some((f) => f.id === winnerId)) {
    // A winner outside the finalist list still belongs on stage.
    const winner = await db('nominations as n').leftJoin('departments as d', 'd.id', 'n.department_id').where('n.id', winnerId).first(entryColumns(db));
    if (winner) finalists.push(toEntry(winner));
  }
  return {
    editionId,
    winnerId,
    motivation: String(result.motivation ?? ''),
    lockedAt: toDate(result.locked_at) ?? new Date(0),
    finalists,
  };
}

/** People's-choice vote counts per entry of an edition (only counts, never voters). */
export async function voteCounts(db: Queryable, editionId: number): Promise<Map<number, number>> {
  const rows: Row[] = await db('votes').where({ edition_id: editionId }).groupBy('nomination_id').select('nomination_id').count({ n: '*' });
  return new Map(rows.map((r) => [Number(r.nomination_id), toNumber(r.n)]));
}

/** Published entries of an edition with the most people's votes (ties give several). */
export async function topVoted(db: Queryable, editionId: number): Promise<Array<ResultEntry & { votes: number }>> {
  const rows: Row[] = await db('nominations as n')
    .join('votes as v', 'v.nomination_id', 'n.id')
    .leftJoin('departments as d', 'd.id', 'n.department_id')
    .where({ 'n.edition_id': editionId, 'n.status': 'published' })
    .groupBy('n.id', 'n.title', 'n.lesson', 'n.changes', 'n.team_name', 'd.name')
    .select(entryColumns(db))
    .count({ votes: 'v.id' })
    .orderBy('votes', 'desc');
  if (rows.length === 0) return [];
  const top = toNumber(rows[0].votes);
  if (top === 0) return [];
  return rows.filter((r) => toNumber(r.votes) === top).map((r) => ({ ...toEntry(r), votes: top }));
}

export async function markRevealed(db: Queryable, editionId: number, now: Date): Promise<number> {
  return db('editions').where({ id: editionId }).whereNull('revealed_at').update({ revealed_at: now, updated_at: now });
}
