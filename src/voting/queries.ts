// Votes (SPEC V1–V5): knex only. The rules live in service.ts; the database enforces one vote per entry
// (unique voter_id, nomination_id) and the budget (unique edition_id, voter_id, slot). The entries come
// from the nominations service; votesOf and countsByEntry join nominations only to name a vote's entry
// and to count published entries alone, in the same read as the votes.
import type { Queryable } from '../db';
import { selectArrays, toNumber } from '../db';

type Row = Record<string, unknown>;

export type CastVote = { nominationId: number; title: string; slot: number };

/** The voter's votes in an edition, in the order they were cast (slot order). */
export async function votesOf(db: Queryable, editionId: number, voterId: number): Promise<CastVote[]> {
  const rows = await db('votes')
    .join('nominations', 'nominations.id', 'votes.nomination_id')
    .where({ 'votes.edition_id': editionId, 'votes.voter_id': voterId })
    .orderBy('votes.slot')
    .select('votes.nomination_id', 'votes.slot', 'nominations.title');
  return rows.map((r: Row) => ({ nominationId: Number(r.nomination_id), title: String(r.title), slot: Number(r.slot) }));
}

export async function usedSlots(db: Queryable, editionId: number, voterId: number): Promise<number[]> {
  const rows = await db('votes').where({ edition_id: editionId, voter_id: voterId }).select('slot');
  return rows.map((r: Row) => Number(r.slot));
}

export async function hasVoted(db: Queryable, voterId: number, nominationId: number): Promise<boolean> {
  return Boolean(await db('votes').where({ voter_id: voterId, nomination_id: nominationId }).first('id'));
}

export async function insertVote(db: Queryable, v: { editionId: number; nominationId: number; voterId: number; slot: number }, now: Date): Promise<void> {
  await db('votes').insert({ edition_id: v.editionId, nomination_id: v.nominationId, voter_id: v.voterId, slot: v.slot, created_at: now });
}

export async function deleteVote(db: Queryable, editionId: number, voterId: number, nominationId: number): Promise<number> {
  return db('votes').where({ edition_id: editionId, voter_id: voterId, nomination_id: nominationId }).del();
}

/**
 * Votes per entry of an edition, from the ballots of an edition still running and from the tallies an
 * archive left (V4): an edition has one or the other, never both.
 */
function votesPerEntry(db: Queryable, editionId: number) {
  return db.raw(
    `(select nomination_id, count(*) as votes from votes where edition_id = ? group by nomination_id
      union all select nomination_id, votes from vote_tallies where edition_id = ?)`,
    [editionId, editionId],
  );
}

/** Published entries only: a vote on an entry that was later withdrawn or unpublished does not count. */
export async function countsByEntry(db: Queryable, editionId: number): Promise<Array<{ nominationId: number; votes: number }>> {
  const rows = await selectArrays(
    db,
    db
      .from(db.raw('? as c', [votesPerEntry(db, editionId)]))
      .join('nominations', 'nominations.id', 'c.nomination_id')
      .where('nominations.status', 'published')
      .groupBy('c.nomination_id')
      .select('c.nomination_id')
      .sum({ votes: 'c.votes' }),
  );
  return rows.map((r) => ({ nominationId: Number(r[0]), votes: toNumber(r[1]) }));
}

/** Votes cast and distinct voters. After the archive only the tallies remain: voters are then 0. */
export async function participation(db: Queryable, editionId: number): Promise<{ votes: number; voters: number }> {
  const row = (await db('votes').where({ edition_id: editionId }).first(db.raw('count(*) as votes'), db.raw('count(distinct voter_id) as voters'))) as Row | undefined;
  const tallied = (await db('vote_tallies').where({ edition_id: editionId }).sum({ n: 'votes' }).first()) as Row | undefined;
  return { votes: toNumber(row?.votes) + toNumber(tallied?.n), voters: toNumber(row?.voters) };
}

/**
 * V4: turns the edition's ballots into one count per entry and deletes every vote row, so nothing is
 * left that ties one person's votes together (voter, slot, time, row order). Returns the votes tallied.
 */
export async function tallyAndEraseVotes(db: Queryable, editionId: number): Promise<number> {
  const rows: Row[] = await db('votes').where({ edition_id: editionId }).groupBy('nomination_id').select('nomination_id').count({ n: '*' });
  for (const r of rows) {
    await db('vote_tallies')
      .insert({ edition_id: editionId, nomination_id: Number(r.nomination_id), votes: toNumber(r.n) })
      .onConflict(['edition_id', 'nomination_id'])
      .merge({ votes: db.raw('vote_tallies.votes + excluded.votes') });
  }
  return db('votes').where({ edition_id: editionId }).del();
}

/** The most votes any one voter has in the edition (the budget cannot be lowered below it). */
export async function largestBallot(db: Queryable, editionId: number): Promise<number> {
  const row = (await db('votes')
    .where({ edition_id: editionId })
    .whereNotNull('voter_id')
    .groupBy('voter_id')
    .select(db.raw('count(*) as n'))
    .orderBy('n', 'desc')
    .first()) as Row | undefined;
  return toNumber(row?.n);
}
