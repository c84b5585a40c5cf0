import type { Queryable } from '../db';
import { toDate, toNumber } from '../db';

type Row = Record<string, unknown>;

export type Poll = { id: number; editionId: number; code: string; openedAt: Date; closedAt: Date | null };

function toPoll(r: Row): Poll {
  return { id: Number(r.id), editionId: Number(r.edition_id), code: String(r.code), openedAt: toDate(r.opened_at) ?? new Date(0), closedAt: toDate(r.closed_at) };
}

/** The newest poll of an edition (open or closed), or null. */
export async function latestPoll(db: Queryable, editionId: number): Promise<Poll | null> {
  const row = await db('live_polls').where({ edition_id: editionId }).orderBy('id', 'desc').first();
  return row ? toPoll(row) : null;
}

export async function findPoll(db: Queryable, id: number): Promise<Poll | null> {
  const row = await db('live_polls').where({ id }).first();
  return row ? toPoll(row) : null;
}

export async function findPollByCode(db: Queryable, code: string): Promise<Poll | null> {
  const row = await db('live_polls').where({ code }).first();
  return row ? toPoll(row) : null;
}

export async function insertPoll(db: Queryable, editionId: number, code: string, now: Date): Promise<number> {
  const [row] = await db('live_polls').insert({ edition_id: editionId, code, opened_at: now }).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function closePoll(db: Queryable, id: number, now: Date): Promise<number> {
  return db('live_polls').where({ id }).whereNull('closed_at').update({ closed_at: now });
}

/**
 * Secret ballot (V4): once a poll is closed only the counts are kept. The votes become one tally per
 * finalist and the vote rows (voter, time, order) are deleted.
 */
export async function eraseVoters(db: Queryable, pollId: number): Promise<number> {
  const rows: Row[] = await db('live_votes').where({ poll_id: pollId }).groupBy('nomination_id', 'kind').select('nomination_id', 'kind').count({ n: '*' });
  for (const r of rows) {
    await db('live_vote_tallies')
      .insert({ poll_id: pollId, kind: r.kind === 'room' ? 'room' : 'employee', nomination_id: Number(r.nomination_id), votes: toNumber(r.n) })
      .onConflict(['poll_id', 'kind', 'nomination_id'])
      .merge({ votes: db.raw('live_vote_tallies.votes + excluded.votes') });
  }
  return db('live_votes').where({ poll_id: pollId }).del();
}

/**
 * Whether the poll is open, asked with an update that changes nothing so that it holds the poll's row
 * until the transaction ends: closing the poll updates the same row, so a vote and the close never
 * cross (a vote stored after the close would keep its voter). SQLite runs one writer anyway.
 */
export async function holdOpenPoll(db: Queryable, pollId: number): Promise<boolean> {
  return (await db('live_polls').where({ id: pollId }).whereNull('closed_at').update({ closed_at: null })) > 0;
}

export type VoterKind = 'employee' | 'room';
/** Who votes: a signed-in employee (by user id) or a phone in the hall (by its device id). */
export type Voter = { kind: 'employee'; userId: number } | { kind: 'room'; deviceId: string };

/** One vote per voter and poll (unique in the database); voting again moves the vote. */
export async function upsertVote(db: Queryable, pollId: number, voter: Voter, nominationId: number, now: Date): Promise<void> {
  const who = voter.kind === 'employee' ? { voter_id: voter.userId } : { device_id: voter.deviceId };
  await db('live_votes')
    .insert({ poll_id: pollId, ...who, kind: voter.kind, nomination_id: nominationId, updated_at: now })
    .onConflict(voter.kind === 'employee' ? ['poll_id', 'voter_id'] : ['poll_id', 'device_id'])
    .merge(['nomination_id', 'updated_at']);
}

export async function voterChoice(db: Queryable, pollId: number, voter: Voter): Promise<number | null> {
  const who = voter.kind === 'employee' ? { voter_id: voter.userId } : { device_id: voter.deviceId };
  const row = await db('live_votes').where({ poll_id: pollId, ...who }).first('nomination_id');
  return row ? Number(row.nomination_id) : null;
}

export type KindCounts = { employee: number; room: number };

/** Votes per finalist, by kind of voter: the open poll's votes, or the tallies of a closed one. */
export async function counts(db: Queryable, pollId: number): Promise<Map<number, KindCounts>> {
  const [open, tallied] = await Promise.all([
    db('live_votes').where({ poll_id: pollId }).groupBy('nomination_id', 'kind').select('nomination_id', 'kind').count({ n: '*' }) as Promise<Row[]>,
    db('live_vote_tallies').where({ poll_id: pollId }).select('nomination_id', 'kind', 'votes as n') as Promise<Row[]>,
  ]);
  const out = new Map<number, KindCounts>();
  for (const r of [...open, ...tallied]) {
    const id = Number(r.nomination_id);
    const c = out.get(id) ?? { employee: 0, room: 0 };
    c[r.kind === 'room' ? 'room' : 'employee'] += toNumber(r.n);
    out.set(id, c);
  }
  return out;
}
