// People's-choice voting (SPEC V1–V5). The rules: only while voting is open, only published entries of
// the current edition, never one's own entry, at most one vote per entry and at most `vote_budget`
// votes. The database has the last word: every vote takes the lowest free slot 1..budget, and the
// unique constraints on (voter, entry) and (edition, voter, slot) refuse whatever a race lets through.
// A refused insert rolls its transaction back and is retried a bounded number of times.
import type { Knex } from 'knex';
import type { Db, Queryable } from '../db';
import { isUniqueViolation, scrubErasedData } from '../db';
import { AppError, notFound } from '../errors';
import * as editions from '../editions/service';
import * as nominations from '../nominations/service';
import * as queries from './queries';
import { cachedRead } from '../read-cache';

export type Voter = { id: number; email: string };

/** What a voter sees of their own votes. Never any count of other people's votes. */
export type Ballot = {
  editionId: number;
  budget: number;
  used: number;
  open: boolean;
  /** Voting has been open and is now over. */
  closed: boolean;
  votes: Array<{ nominationId: number; title: string }>;
  votedIds: number[];
  /** Entries the voter submitted or is named in. */
  ownIds: number[];
};

export const VOTING_CLOSED = () => new AppError(409, 'voting.error.closed', undefined, 'voting.error.title');
export const BUDGET_USED = (budget: number) => new AppError(409, 'voting.error.budgetUsed', { budget }, 'voting.error.title');
export const ALREADY_VOTED = () => new AppError(409, 'voting.error.alreadyVoted', undefined, 'voting.error.title');
export const OWN_ENTRY = () => new AppError(403, 'voting.error.ownEntry', undefined, 'voting.error.title');
export const NOT_VOTABLE = () => new AppError(404, 'voting.error.notVotable', undefined, 'voting.error.title');
export const NO_SUCH_VOTE = () => new AppError(409, 'voting.error.noSuchVote', undefined, 'voting.error.title');
export const BUSY = () => new AppError(409, 'voting.error.busy', undefined, 'voting.error.title');

export async function ballotFor(db: Queryable, voter: Voter, now: Date): Promise<Ballot | null> {
  const current = await editions.current(db, now);
  if (!current) return null;
  const { edition, phase } = current;
  const [votes, ownIds] = await Promise.all([
    queries.votesOf(db, edition.id, voter.id),
    nominations.ownEntryIds(db, edition.id, voter.id, voter.email),
  ]);
  return {
    editionId: edition.id,
    budget: edition.voteBudget,
    used: votes.length,
    open: phase.votingOpen,
    closed: phase.votingClosed,
    votes: votes.map((v) => ({ nominationId: v.nominationId, title: v.title })),
    votedIds: votes.map((v) => v.nominationId),
    ownIds,
  };
}

type Open = { editionId: number; budget: number };

/** The current edition if voting is open now, read inside the transaction. */
async function openEdition(trx: Queryable, now: Date): Promise<Open> {
  const current = await editions.current(trx, now);
  if (!current || !current.phase.votingOpen) throw VOTING_CLOSED();
  return { editionId: current.edition.id, budget: current.edition.voteBudget };
}

/** The entry, if this voter may vote for it in this edition (published, not their own). */
async function votableEntry(trx: Queryable, open: Open, voter: Voter, nominationId: number): Promise<nominations.NominationRef> {
  const entry = Number.isSafeInteger(nominationId) && nominationId > 0 ? await nominations.findRef(trx, nominationId) : null;
  if (!entry || entry.editionId !== open.editionId || entry.status !== 'published') throw NOT_VOTABLE();
  if (await nominations.isOwnEntry(trx, entry.id, voter.id, voter.email)) throw OWN_ENTRY();
  return entry;
}

/** Takes the lowest free slot for the entry (BUDGET_USED when every slot is taken); returns the votes used. */
async function takeSlot(trx: Queryable, open: Open, voter: Voter, entry: nominations.NominationRef, now: Date): Promise<number> {
  if (await queries.hasVoted(trx, voter.id, entry.id)) throw ALREADY_VOTED();
  const used = new Set(await queries.usedSlots(trx, open.editionId, voter.id));
  let slot = 1;
  while (used.has(slot)) slot++;
  if (slot > open.budget) throw BUDGET_USED(open.budget);
  await queries.insertVote(trx, { editionId: open.editionId, nominationId: entry.id, voterId: voter.id, slot }, now);
  return used.size + 1;
}

/**
 * Runs `work` in its own transaction; a unique violation (a concurrent vote took the slot, or the same
 * vote arrived twice) rolls it back and runs it again, where the checks see the winner's row and
 * answer clearly. Bounded: each lost race means another vote was stored, and there are only `budget`
 * slots; the limit only guards against someone withdrawing and voting in a tight loop.
 */
async function withRetry<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const MAX_ATTEMPTS = 8;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) throw BUSY();
    }
  }
}

export type VoteOutcome = { title: string };

/** Casts a vote; committed when this resolves. `used` counts this vote; `budget` is the edition's. */
export async function castVote(db: Knex, voter: Voter, nominationId: number, now: Date): Promise<VoteOutcome & { used: number; budget: number }> {
  return withRetry(db, async (trx) => {
    const open = await openEdition(trx, now);
    const entry = await votableEntry(trx, open, voter, nominationId);
    const used = await takeSlot(trx, open, voter, entry, now);
    return { title: entry.title, used, budget: open.budget };
  });
}

/** Withdraws the voter's vote for an entry while voting is open (V2). */
export async function withdrawVote(db: Knex, voter: Voter, nominationId: number, now: Date): Promise<VoteOutcome> {
  return db.transaction(async (trx) => {
    const open = await openEdition(trx, now);
    const entry = Number.isSafeInteger(nominationId) && nominationId > 0 ? await nominations.findRef(trx, nominationId) : null;
    if (!entry) throw notFound();
    const removed = await queries.deleteVote(trx, open.editionId, voter.id, entry.id);
    if (removed === 0) throw NO_SUCH_VOTE();
    return { title: entry.title };
  });
}

/** Moves a vote from one entry to another in one transaction: both happen, or neither (V2). */
export async function moveVote(db: Knex, voter: Voter, fromId: number, toId: number, now: Date): Promise<{ from: string; to: string }> {
  return withRetry(db, async (trx) => {
    const open = await openEdition(trx, now);
    const to = await votableEntry(trx, open, voter, toId);
    const from = Number.isSafeInteger(fromId) && fromId > 0 ? await nominations.findRef(trx, fromId) : null;
    if (!from || (await queries.deleteVote(trx, open.editionId, voter.id, from.id)) === 0) throw NO_SUCH_VOTE();
    await takeSlot(trx, open, voter, to, now);
    return { from: from.title, to: to.title };
  });
}

/**
 * Who may see per-entry vote counts (V3): nobody while voting is open or before it has closed; jury and
 * admins once it has closed. After the reveal everyone learns which entry is the colleagues' choice
 * (canSeeChoice), but the counts stay with the jury, admins and exports: no "0 votes" beside a lesson.
 */
export function canSeeCounts(roles: { admin: boolean; jury: boolean }, phase: editions.PhaseState): boolean {
  return (phase.votingClosed || phase.revealed) && (roles.admin || roles.jury);
}

export function canSeeChoice(roles: { admin: boolean; jury: boolean }, phase: editions.PhaseState): boolean {
  return phase.revealed || canSeeCounts(roles, phase);
}

/**
 * Votes per published entry of an edition. For the jury and ceremony features: show them only where
 * canSeeCounts() allows (V3). Never says who voted.
 */
/** Votes per published entry. Kept in memory until a vote or an entry changes (src/read-cache.ts): the
 * ranking, the archive and the people's choice read it often, and after voting closes it never moves. */
export async function voteCounts(db: Queryable, editionId: number): Promise<ReadonlyMap<number, number>> {
  return cachedRead(db, `votes.counts:${editionId}`, ['votes', 'nominations', 'editions'], async () => {
    const rows = await queries.countsByEntry(db, editionId);
    return new Map(rows.map((r) => [r.nominationId, r.votes]));
  });
}

export type PeoplesChoice = { nominationIds: number[]; votes: number; tie: boolean };

/** The entry (or entries, on a tie) with the most votes; null when no votes were cast. */
export async function peoplesChoice(db: Queryable, editionId: number): Promise<PeoplesChoice | null> {
  const counts = await voteCounts(db, editionId);
  let top = 0;
  for (const n of counts.values()) top = Math.max(top, n);
  if (top === 0) return null;
  const nominationIds = [...counts].filter(([, n]) => n === top).map(([id]) => id).sort((a, b) => a - b);
  return { nominationIds, votes: top, tie: nominationIds.length > 1 };
}

/**
 * Every published entry with its votes, most first (for the admin's edition page and exports). Same
 * rule as voteCounts: show only where canSeeCounts() allows.
 */
export async function standings(db: Queryable, editionId: number): Promise<Array<{ nominationId: number; title: string; votes: number }>> {
  const entries = await nominations.listPublishedRefs(db, editionId);
  const counts = await voteCounts(db, editionId);
  return entries
    .map((e) => ({ nominationId: e.id, title: e.title, votes: counts.get(e.id) ?? 0 }))
    .sort((a, b) => b.votes - a.votes || a.title.localeCompare(b.title, 'sv'));
}

/** The most votes any one voter has cast in the edition: edition setup keeps the budget at least this. */
export const largestBallot = queries.largestBallot;

/** Votes cast and distinct voters: admins may see this during voting, never per entry (V3). */
export const participation = queries.participation;

/**
 * Secret ballot at archive time (V4): the votes become one count per entry and the vote rows are
 * deleted, so nothing ties one person's votes together. Pass the transaction that archives the edition;
 * after it commits, scrub the freed pages with scrubErasedData() (src/db.ts).
 */
export async function eraseVoterLinks(db: Queryable, editionId: number): Promise<number> {
  return queries.tallyAndEraseVotes(db, editionId);
}

/** After the archive's transaction has committed: no copy of the erased ballots stays in the files (V4). */
export async function scrubErasedBallots(db: Db): Promise<void> {
  await scrubErasedData(db, ['votes', 'vote_tallies'], { compact: true });
}
