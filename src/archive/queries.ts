import type { Queryable } from '../db';
import { toDate, toNumber } from '../db';

type Row = Record<string, unknown>;

export type ArchivedEntry = {
  id: number;
  editionId: number;
  year: number;
  title: string;
  lesson: string;
  teamName: string | null;
  department: string | null;
  publishedAt: Date | null;
  votes: number;
};

function toEntry(r: Row): ArchivedEntry {
  return {
    id: Number(r.id),
    editionId: Number(r.edition_id),
    year: Number(r.year),
    title: String(r.title ?? ''),
    lesson: String(r.lesson ?? ''),
    teamName: (r.team_name as string | null) || null,
    department: (r.department_name as string | null) ?? null,
    publishedAt: toDate(r.published_at),
    votes: toNumber(r.votes),
  };
}

function publishedIn(db: Queryable, editionIds: number[]) {
  return db('nominations as n')
    .join('editions as e', 'e.id', 'n.edition_id')
    .leftJoin('departments as d', 'd.id', 'n.department_id')
    .where('n.status', 'published')
    .whereIn('n.edition_id', editionIds)
    .select(
      'n.id',
      'n.edition_id',
      'e.year',
      'n.title',
      'n.lesson',
      'n.team_name',
      'n.published_at',
      'd.name as department_name',
      // Running editions count ballots; archived ones keep only tallies (V4).
      db.raw('(select count(*) from votes v where v.nomination_id = n.id) + coalesce((select sum(t.votes) from vote_tallies t where t.nomination_id = n.id), 0) as votes'),
    );
}

/** Every published entry of these editions, with its people's vote count. */
export async function publishedEntries(db: Queryable, editionIds: number[]): Promise<ArchivedEntry[]> {
  if (editionIds.length === 0) return [];
  const rows: Row[] = await publishedIn(db, editionIds).orderBy([{ column: 'e.year', order: 'desc' }, { column: 'n.id' }]);
  return rows.map(toEntry);
}

/** Search over the folded search_text (Swedish case folding, N6) of the published entries. */
export async function search(db: Queryable, editionIds: number[], folded: string, limit = 200): Promise<ArchivedEntry[]> {
  if (editionIds.length === 0) return [];
  const pattern = `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows: Row[] = await publishedIn(db, editionIds)
    .whereRaw("n.search_text like ? escape '\\'", [pattern])
    .orderBy([{ column: 'e.year', order: 'desc' }, { column: 'n.id' }])
    .limit(limit);
  return rows.map(toEntry);
}

export async function editionOfNomination(db: Queryable, nominationId: number): Promise<{ editionId: number; status: string } | null> {
  const row = await db('nominations').where({ id: nominationId }).first('edition_id', 'status');
  return row ? { editionId: Number(row.edition_id), status: String(row.status) } : null;
}
