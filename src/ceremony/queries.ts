// What the ceremony, the archive and the share cards show of a locked result: the entries' texts. The
// decision comes from the jury's lockedResult(), the counts from the voting service.
import type { Queryable } from '../db';

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

/** The entries of a result (finalists and winner) with what the slides and cards show, by id. */
export async function findEntries(db: Queryable, ids: number[]): Promise<Map<number, ResultEntry>> {
  if (ids.length === 0) return new Map();
  const rows: Row[] = await db('nominations as n').leftJoin('departments as d', 'd.id', 'n.department_id').whereIn('n.id', ids).select(entryColumns(db));
  return new Map(rows.map((r) => [Number(r.id), toEntry(r)]));
}

export async function markRevealed(db: Queryable, editionId: number, now: Date): Promise<number> {
  return db('editions').where({ id: editionId }).whereNull('revealed_at').update({ revealed_at: now, updated_at: now });
}
