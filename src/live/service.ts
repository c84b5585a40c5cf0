// The live audience vote at the ceremony (C2, C7): the presenter opens a poll among the finalists,
// signed-in employees (and, when the ceremony lets everyone in the hall vote, phones that typed the
// code on the slide) vote once each and may change their vote until it closes; screens follow the
// counts. Counts only ever leave this module, never who voted for what.
import crypto from 'node:crypto';
import type { Db, Queryable } from '../db';
import type { Events } from '../events';
import { isUniqueViolation, scrubErasedData } from '../db';
import * as jury from '../jury/service';
import * as nominations from '../nominations/service';
import { record } from '../audit/service';
import { AppError, badRequest, conflict } from '../errors';
import * as queries from './queries';

export type { Poll } from './queries';

export type { Voter, VoterKind } from './queries';

/** `employee` and `room`: the votes of signed-in employees and of phones in the hall, kept apart (C7). */
export type PollOption = { nominationId: number; title: string; votes: number; employee: number; room: number };
export type PollCounts = { pollId: number; open: boolean; total: number; options: PollOption[] };

export const latestPoll = queries.latestPoll;

/** The options of a live vote: the finalists of the jury's locked result, in the chair's order. */
async function finalistIds(db: Queryable, editionId: number): Promise<number[]> {
  return (await jury.lockedResult(db, editionId))?.finalistIds ?? [];
}

/** The options (finalists in order) with their counts. */
export async function pollCounts(db: Queryable, poll: queries.Poll): Promise<PollCounts> {
  const ids = await finalistIds(db, poll.editionId);
  const [titles, counts] = await Promise.all([nominations.titlesOf(db, ids), queries.counts(db, poll.id)]);
  const options = ids.map((id) => {
    const c = counts.get(id) ?? { employee: 0, room: 0 };
    return { nominationId: id, title: titles.get(id) ?? '', votes: c.employee + c.room, employee: c.employee, room: c.room };
  });
  return { pollId: poll.id, open: poll.closedAt === null, total: options.reduce((s, o) => s + o.votes, 0), options };
}

/** Opens a new poll for the edition, or returns the one already open (a double click opens one). */
export async function open(db: Db, events: Events, editionId: number, actorId: number, now: Date): Promise<queries.Poll> {
  return events.transaction(db, async (trx, emit) => {
    const latest = await queries.latestPoll(trx, editionId);
    if (latest && latest.closedAt === null) return latest;
    if ((await finalistIds(trx, editionId)).length === 0) throw conflict('live.errors.noFinalists');
    const id = await queries.insertPoll(trx, editionId, await freeCode(trx), now);
    await record(trx, { actorId, action: 'live.open', subjectType: 'live_poll', subjectId: id }, now);
    emit('live.opened', { editionId, pollId: id });
    return (await queries.findPoll(trx, id))!;
  });
}

/** Six digits, easy to read from the back of the hall and to type on a phone; unique among polls. */
async function freeCode(db: Queryable): Promise<string> {
  for (;;) {
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    if (!(await queries.findPollByCode(db, code))) return code;
  }
}

/** The poll a room code opens, if it is that edition's newest poll. */
export async function pollByCode(db: Queryable, editionId: number, code: string): Promise<queries.Poll | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const poll = await queries.findPollByCode(db, code);
  const latest = poll ? await queries.latestPoll(db, editionId) : null;
  return poll && latest && latest.id === poll.id ? poll : null;
}

export async function close(db: Db, events: Events, editionId: number, actorId: number, now: Date): Promise<queries.Poll | null> {
  let closedNow = false;
  const poll = await events.transaction(db, async (trx, emit) => {
    const latest = await queries.latestPoll(trx, editionId);
    if (!latest) return null;
    if ((await queries.closePoll(trx, latest.id, now)) > 0) {
      closedNow = true;
      await queries.eraseVoters(trx, latest.id);
      await record(trx, { actorId, action: 'live.close', subjectType: 'live_poll', subjectId: latest.id }, now);
      emit('live.closed', { editionId, pollId: latest.id });
    }
    return queries.findPoll(trx, latest.id);
  });
  // V4: the deleted vote rows leave no copy in the write-ahead log (no full VACUUM mid-ceremony).
  if (closedNow) await scrubErasedData(db, ['live_votes'], { compact: false });
  return poll;
}

export const voterChoice = queries.voterChoice;

/**
 * Records or moves a voter's vote (an employee or a phone in the hall). Only among the finalists, only
 * while the poll is open: the check and the vote are one transaction that holds the poll's row, so the
 * close (which erases the voters) runs before or after it, never between.
 */
export async function vote(db: Db, events: Events, pollId: number, voter: queries.Voter, nominationId: number, now: Date): Promise<queries.Poll> {
  const attempt = () =>
    db.transaction(async (trx) => {
      const poll = await queries.findPoll(trx, pollId);
      if (!poll) throw new AppError(404, 'live.errors.noPoll', undefined, 'errors.notFound.title');
      if (!(await queries.holdOpenPoll(trx, pollId))) throw conflict('live.errors.closed');
      const finalists = await finalistIds(trx, poll.editionId);
      if (!finalists.includes(nominationId)) throw badRequest('live.errors.notAFinalist');
      await queries.upsertVote(trx, pollId, voter, nominationId, now);
      return poll;
    });
  let poll: queries.Poll;
  try {
    poll = await attempt();
  } catch (err) {
    // Two of the same voter's votes racing: the unique key kept one; try once more to move it.
    if (!isUniqueViolation(err)) throw err;
    poll = await attempt();
  }
  await events.emit('live.voted', { editionId: poll.editionId, pollId });
  return poll;
}
