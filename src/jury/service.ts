// The jury's rules (SPEC J1–J7): who sits on the jury, scoring while judging is open, jäv, independence,
// the ranking, and the chair's decision and lock. Never sees req/res; every rule that depends on time
// takes `now` or the phase.
import type { Knex } from 'knex';
import type { Queryable } from '../db';
import { isUniqueViolation } from '../db';
import { AppError, ValidationError, notFound } from '../errors';
import type { FieldErrors } from '../errors';
import * as audit from '../audit/service';
import type { Events } from '../events';
import { thumbnailSize } from '../attachments/files';
import * as editions from '../editions/service';
import * as voting from '../voting/service';
import * as nominations from '../nominations/service';
import * as queries from './queries';
// The live vote's table only (src/live/service.ts uses this file: no cycle).
import { latestPoll } from '../live/queries';
import { sharedRead } from '../read-cache';
import { pairKey, rank, sortRows, type RankingRow, type SortDir, type SortKey } from './ranking';

export type { JuryRole, JuryMember, UserHit } from './queries';

/** A published entry as the jury reads it (J2). */
export type JuryEntry = {
  id: number;
  title: string;
  whatHappened: string;
  lesson: string;
  changes: string;
  department: string | null;
  teamName: string | null;
  includesSelf: boolean;
  showSubmitter: boolean;
  submitterId: number;
  submitterName: string;
  publishedAt: Date | null;
  attachmentCount: number;
  nominees: Array<{ userId: number | null; name: string; email: string; consent: string }>;
};

/** The published entries of an edition as the jury reads them, by id; or just one of them. */
export async function publishedEntries(db: Queryable, editionId: number, onlyId?: number): Promise<JuryEntry[]> {
  return (await nominations.publishedForJury(db, editionId, onlyId)).map(({ nomination: n, nominees, attachmentCount }) => ({
    id: n.id,
    title: n.title,
    whatHappened: n.whatHappened,
    lesson: n.lesson,
    changes: n.changes,
    department: n.departmentName,
    teamName: n.teamName,
    includesSelf: n.includesSelf,
    showSubmitter: n.showSubmitter,
    submitterId: n.submitterId,
    submitterName: n.submitterName,
    publishedAt: n.publishedAt,
    attachmentCount,
    nominees: nominees.map((x) => ({ userId: x.userId, name: x.name, email: x.email, consent: x.consent })),
  }));
}

/** What the ranking needs of an entry: its title, and who submitted it and is named in it (for jäv). */
export type RankingEntry = {
  id: number;
  title: string;
  submitterId: number;
  showSubmitter: boolean;
  nominees: Array<{ userId: number | null; email: string; consent: string }>;
};

/** The published entries of an edition for the ranking, without their texts: two statements in all. */
export async function rankingEntries(db: Queryable, editionId: number): Promise<RankingEntry[]> {
  return (await nominations.publishedRefsWithNominees(db, editionId)).map(({ ref, nominees }) => ({
    id: ref.id,
    title: ref.title,
    submitterId: ref.submitterId,
    showSubmitter: ref.showSubmitter,
    nominees: nominees.map((x) => ({ userId: x.userId, email: x.email, consent: x.consent })),
  }));
}
export const juryRole = queries.juryRole;
export const members = queries.listMembers;

export type Juror = { id: number; email: string };
type Edition = editions.Edition;

// ---- Errors, each with a clear message in the user's language ----

const TITLE = 'jury.error.title';
export const RECUSED = () => new AppError(403, 'jury.error.recused', undefined, TITLE);
export const NOT_JUDGING = () => new AppError(409, 'jury.error.notJudging', undefined, TITLE);
export const SUBMIT_FIRST = () => new AppError(403, 'jury.error.submitFirst', undefined, TITLE);
export const CHAIR_ONLY = () => new AppError(403, 'jury.error.chairOnly', undefined, TITLE);
export const LOCKED = () => new AppError(409, 'jury.error.locked', undefined, TITLE);
export const NOT_DECIDING = () => new AppError(409, 'jury.error.notDeciding', undefined, TITLE);
export const UNLOCK_REFUSED = () => new AppError(403, 'jury.error.unlockRefused', undefined, TITLE);
export const UNLOCK_TOO_LATE = () => new AppError(409, 'jury.error.unlockRevealed', undefined, TITLE);
export const UNLOCK_DURING_LIVE_VOTE = () => new AppError(409, 'jury.error.unlockLiveVote', undefined, TITLE);

// ---- Members (J1) ----

export async function candidates(db: Queryable, editionId: number, text: string): Promise<queries.UserHit[]> {
  const q = text.trim();
  if (q.length < 2) return [];
  const current = new Set((await queries.listMembers(db, editionId)).map((m) => m.userId));
  return (await queries.searchUsers(db, q.slice(0, 100), 25)).filter((u) => !current.has(u.id));
}

async function refuseIfLocked(db: Queryable, editionId: number): Promise<void> {
  if (await queries.isLocked(db, editionId)) throw LOCKED();
}

export async function addMember(db: Knex, actorId: number, editionId: number, userId: number, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await refuseIfLocked(trx, editionId);
    const user = await trx('users').where({ id: userId }).whereNull('anonymised_at').first('id');
    if (!user) throw notFound();
    try {
      await queries.insertMember(trx, editionId, userId, now);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError(409, 'jury.error.alreadyMember', undefined, TITLE);
      throw err;
    }
    await audit.record(trx, { actorId, action: 'jury.member_added', subjectType: 'user', subjectId: userId, details: { editionId } }, now);
  });
}

export async function removeMember(db: Knex, actorId: number, editionId: number, userId: number, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await refuseIfLocked(trx, editionId);
    const removed = await queries.deleteMember(trx, editionId, userId);
    if (!removed) throw notFound();
    await audit.record(trx, { actorId, action: 'jury.member_removed', subjectType: 'user', subjectId: userId, details: { editionId } }, now);
  });
}

export async function makeChair(db: Knex, actorId: number, editionId: number, userId: number, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await refuseIfLocked(trx, editionId);
    const role = await queries.juryRole(trx, editionId, userId);
    if (!role.member) throw notFound();
    await queries.setChair(trx, editionId, userId);
    await audit.record(trx, { actorId, action: 'jury.chair_named', subjectType: 'user', subjectId: userId, details: { editionId } }, now);
  });
}

/** Next year's jury as a copy of this year's, chair included (anonymised people are left out). Returns how many. */
export async function copyMembers(db: Queryable, fromEditionId: number, toEditionId: number, now: Date): Promise<number> {
  const members = (await queries.listMembers(db, fromEditionId)).filter((m) => !m.anonymised);
  for (const m of members) await queries.insertMember(db, toEditionId, m.userId, now);
  const chair = members.find((m) => m.isChair);
  if (chair) await queries.setChair(db, toEditionId, chair.userId);
  return members.length;
}

// ---- Jäv (J4) ----

export type ConflictKind = 'declared' | 'submitted' | 'named';
export type Conflict = { entryId: number; jurorId: number; kind: ConflictKind; reason: string };

/** What jäv is decided on: who submitted the entry and who is named in it. */
type ConflictSubject = { id: number; submitterId: number; nominees: Array<{ userId: number | null; email: string; consent: string }> };

/** A colleague who declined (or withdrew consent) is not named in the entry (N3), so causes no jäv. */
const NOT_NAMED = new Set(['declined', 'withdrawn']);

/**
 * Automatic jäv: the juror submitted the entry or is named in it (by user or by e-mail). Only people who
 * stay named count: otherwise a submitter could knock out chosen jurors by naming them (J4).
 */
export function automaticConflict(entry: ConflictSubject, juror: Juror): ConflictKind | null {
  if (entry.submitterId === juror.id) return 'submitted';
  const email = juror.email.trim().toLowerCase();
  const named = entry.nominees.filter((n) => !NOT_NAMED.has(n.consent));
  if (named.some((n) => n.userId === juror.id || n.email.trim().toLowerCase() === email)) return 'named';
  return null;
}

/** Every juror's jäv in an edition: automatic ones first, then declared ones (with their reason). */
export async function conflicts(db: Queryable, editionId: number, entries?: ConflictSubject[]): Promise<Conflict[]> {
  const list = entries ?? (await publishedEntries(db, editionId));
  const jury = await queries.listMembers(db, editionId);
  const users = await db('users').whereIn('id', jury.map((m) => m.userId)).select('id', 'email');
  const out: Conflict[] = [];
  for (const e of list) {
    for (const u of users) {
      const kind = automaticConflict(e, { id: Number(u.id), email: String(u.email) });
      if (kind) out.push({ entryId: e.id, jurorId: Number(u.id), kind, reason: '' });
    }
  }
  const seen = new Set(out.map((c) => pairKey(c.entryId, c.jurorId)));
  const entryIds = new Set(list.map((e) => e.id));
  for (const d of await queries.listDeclaredConflicts(db, editionId)) {
    if (entryIds.has(d.entryId) && !seen.has(pairKey(d.entryId, d.jurorId))) out.push({ entryId: d.entryId, jurorId: d.jurorId, kind: 'declared', reason: d.reason });
  }
  return out;
}

async function publishedEntry(db: Queryable, editionId: number, entryId: number): Promise<JuryEntry> {
  if (!Number.isSafeInteger(entryId) || entryId <= 0) throw notFound();
  const [entry] = await publishedEntries(db, editionId, entryId);
  if (!entry) throw notFound();
  return entry;
}

async function conflictOf(db: Queryable, editionId: number, entry: JuryEntry, juror: Juror): Promise<Conflict | null> {
  const auto = automaticConflict(entry, juror);
  if (auto) return { entryId: entry.id, jurorId: juror.id, kind: auto, reason: '' };
  const declared = (await queries.listDeclaredConflicts(db, editionId)).find((c) => c.entryId === entry.id && c.jurorId === juror.id);
  return declared ? { entryId: entry.id, jurorId: juror.id, kind: 'declared', reason: declared.reason } : null;
}

export const REASON_MAX = 1000;

export async function declareConflict(db: Knex, editionId: number, juror: Juror, entryId: number, reason: string, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await refuseIfLocked(trx, editionId);
    const entry = await publishedEntry(trx, editionId, entryId);
    if (await conflictOf(trx, editionId, entry, juror)) throw new AppError(409, 'jury.error.alreadyRecused', undefined, TITLE);
    await queries.insertConflict(trx, { entryId, jurorId: juror.id, reason: reason.trim().slice(0, REASON_MAX) }, now);
    await audit.record(trx, { actorId: juror.id, action: 'jury.conflict_declared', subjectType: 'nomination', subjectId: entryId, details: { editionId } }, now);
  });
}

export async function withdrawConflict(db: Knex, editionId: number, juror: Juror, entryId: number, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await refuseIfLocked(trx, editionId);
    const entry = await publishedEntry(trx, editionId, entryId);
    if (automaticConflict(entry, juror)) throw new AppError(409, 'jury.error.automaticConflict', undefined, TITLE);
    const removed = await queries.deleteConflict(trx, entryId, juror.id);
    if (!removed) throw notFound();
    await audit.record(trx, { actorId: juror.id, action: 'jury.conflict_withdrawn', subjectType: 'nomination', subjectId: entryId, details: { editionId } }, now);
  });
}

// ---- Dashboard and scoring (J3, J5) ----

export type EntryStatus = 'notStarted' | 'saved' | 'submitted' | 'recused';
export type DashboardEntry = { entry: JuryEntry; status: EntryStatus; conflict: Conflict | null };
export type Dashboard = { entries: DashboardEntry[]; submitted: number; toAssess: number; recused: number; locked: boolean };

export async function dashboard(db: Queryable, editionId: number, juror: Juror, compareText: (a: string, b: string) => number): Promise<Dashboard> {
  const entries = (await publishedEntries(db, editionId)).sort((a, b) => compareText(a.title, b.title));
  const mine = (await conflicts(db, editionId, entries)).filter((c) => c.jurorId === juror.id);
  const reviews = await queries.listReviews(db, editionId, { jurorId: juror.id });
  const scored = new Set((await queries.listScores(db, editionId, { jurorId: juror.id })).map((s) => s.entryId));
  const list = entries.map((entry): DashboardEntry => {
    const conflict = mine.find((c) => c.entryId === entry.id) ?? null;
    const review = reviews.find((r) => r.entryId === entry.id);
    const status: EntryStatus = conflict ? 'recused' : review?.submittedAt ? 'submitted' : review || scored.has(entry.id) ? 'saved' : 'notStarted';
    return { entry, status, conflict };
  });
  return {
    entries: list,
    submitted: list.filter((e) => e.status === 'submitted').length,
    toAssess: list.filter((e) => e.status !== 'recused').length,
    recused: list.filter((e) => e.status === 'recused').length,
    locked: await queries.isLocked(db, editionId),
  };
}

export type OtherReview = { jurorId: number; name: string; note: string; submittedAt: Date | null; scores: Record<number, number> };

/** `thumbSize` is null when the image's size is not known (the page then reserves no space). */
export type ScoringAttachment = queries.JuryAttachment & { thumbSize: { width: number; height: number } | null };

export type ScoringPage = {
  entry: JuryEntry;
  criteria: editions.Criterion[];
  scores: Record<number, number>;
  note: string;
  submittedAt: Date | null;
  previousId: number | null;
  nextId: number | null;
  position: number;
  total: number;
  locked: boolean;
  /** Pictures (with their thumbnail's size) and other files, served only by /attachments/:id (N7). */
  attachments: ScoringAttachment[];
  /** Other jurors' submitted reviews: only once the juror has submitted their own (J5). */
  others: OtherReview[] | null;
};

export async function scoringPage(db: Queryable, editionId: number, juror: Juror, entryId: number, compareText: (a: string, b: string) => number): Promise<ScoringPage> {
  const entry = await publishedEntry(db, editionId, entryId);
  if (await conflictOf(db, editionId, entry, juror)) throw RECUSED();
  const board = await dashboard(db, editionId, juror, compareText);
  const open = board.entries.filter((e) => e.status !== 'recused').map((e) => e.entry.id);
  const index = open.indexOf(entry.id);
  const criteria = await editions.criteria(db, editionId);
  const scores = Object.fromEntries((await queries.listScores(db, editionId, { entryId, jurorId: juror.id })).map((s) => [s.criterionId, s.value]));
  const [review] = await queries.listReviews(db, editionId, { entryId, jurorId: juror.id });
  const attachments = (await queries.listAttachments(db, entry.id)).map((a) => ({
    ...a,
    thumbSize: a.hasThumbnail && a.width && a.height ? thumbnailSize(a.width, a.height) : null,
  }));
  return {
    entry,
    attachments,
    criteria,
    scores,
    note: review?.note ?? '',
    submittedAt: review?.submittedAt ?? null,
    previousId: index > 0 ? open[index - 1] : null,
    nextId: index >= 0 && index < open.length - 1 ? open[index + 1] : null,
    position: index + 1,
    total: open.length,
    locked: board.locked,
    others: review?.submittedAt ? await othersReviews(db, editionId, entryId, juror.id) : null,
  };
}

async function othersReviews(db: Queryable, editionId: number, entryId: number, jurorId: number): Promise<OtherReview[]> {
  const entry = await publishedEntry(db, editionId, entryId);
  const jury = await queries.listMembers(db, editionId);
  const recused = new Set((await conflicts(db, editionId, [entry])).map((c) => c.jurorId));
  const reviews = await queries.listReviews(db, editionId, { entryId });
  const scores = await queries.listScores(db, editionId, { entryId });
  return jury
    .filter((m) => m.userId !== jurorId && !recused.has(m.userId))
    .map((m) => {
      const review = reviews.find((r) => r.jurorId === m.userId);
      return {
        jurorId: m.userId,
        name: m.name,
        note: review?.submittedAt ? review.note : '',
        submittedAt: review?.submittedAt ?? null,
        scores: review?.submittedAt ? Object.fromEntries(scores.filter((s) => s.jurorId === m.userId).map((s) => [s.criterionId, s.value])) : {},
      };
    });
}

/** The discussion view of one entry (J4, J5): refused with jäv, and until the juror has submitted. */
export async function discussion(db: Queryable, editionId: number, juror: Juror, entryId: number): Promise<{ entry: JuryEntry; criteria: editions.Criterion[]; others: OtherReview[] }> {
  const entry = await publishedEntry(db, editionId, entryId);
  if (await conflictOf(db, editionId, entry, juror)) throw RECUSED();
  const [review] = await queries.listReviews(db, editionId, { entryId, jurorId: juror.id });
  if (!review?.submittedAt) throw SUBMIT_FIRST();
  return { entry, criteria: await editions.criteria(db, editionId), others: await othersReviews(db, editionId, entryId, juror.id) };
}

export const NOTE_MAX = 5000;

export type ReviewInput = { scores: Record<number, number>; note: string; submit: boolean };

/**
 * Reads a scoring form: `c<criterionId>` = 1..5 and `note`. Submitting needs every criterion; a value
 * outside 1..5 or for an unknown criterion is an error, never silently dropped.
 */
export function readReviewForm(criteria: editions.Criterion[], body: Record<string, unknown>, submit: boolean): { input: ReviewInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const scores: Record<number, number> = {};
  for (const c of criteria) {
    const raw = body[`c${c.id}`];
    if (raw === undefined || raw === '') {
      if (submit) errors[`c${c.id}`] = { key: 'jury.score.required', params: { criterion: c.nameSv } };
      continue;
    }
    const v = Number(raw);
    if (typeof raw !== 'string' || !Number.isInteger(v) || v < 1 || v > 5) {
      errors[`c${c.id}`] = { key: 'jury.score.invalid' };
      continue;
    }
    scores[c.id] = v;
  }
  for (const key of Object.keys(body)) {
    if (/^c\d+$/.test(key) && !criteria.some((c) => `c${c.id}` === key)) errors.form = { key: 'jury.score.unknownCriterion' };
  }
  const note = typeof body.note === 'string' ? body.note.replace(/\r\n/g, '\n') : '';
  if (note.length > NOTE_MAX) errors.note = { key: 'jury.note.tooLong', params: { max: NOTE_MAX } };
  return { input: { scores, note, submit }, errors };
}

export type SaveOutcome = { submitted: boolean; savedAt: Date };

/**
 * Saves a juror's scores and note for an entry, and submits when asked. Scores are refused outside
 * judging (the note may be written while preparing); everything is refused with jäv or after the lock.
 */
export async function saveReview(db: Knex, editionId: number, phase: editions.PhaseState, juror: Juror, entryId: number, input: ReviewInput, now: Date): Promise<SaveOutcome> {
  return db.transaction(async (trx) => {
    await refuseIfLocked(trx, editionId);
    const entry = await publishedEntry(trx, editionId, entryId);
    if (await conflictOf(trx, editionId, entry, juror)) throw RECUSED();
    if ((Object.keys(input.scores).length > 0 || input.submit) && !phase.judgingOpen) throw NOT_JUDGING();
    const criteria = await editions.criteria(trx, editionId);
    for (const [criterionId, value] of Object.entries(input.scores)) {
      if (!criteria.some((c) => c.id === Number(criterionId))) throw notFound();
      await queries.upsertScore(trx, { entryId, jurorId: juror.id, criterionId: Number(criterionId), value }, now);
    }
    const [before] = await queries.listReviews(trx, editionId, { entryId, jurorId: juror.id });
    if (input.submit) {
      const stored = await queries.listScores(trx, editionId, { entryId, jurorId: juror.id });
      if (criteria.some((c) => !stored.some((s) => s.criterionId === c.id))) throw new AppError(422, 'jury.error.incomplete', undefined, TITLE);
    }
    const submitNow = input.submit && !before?.submittedAt;
    await queries.upsertReview(trx, { entryId, jurorId: juror.id, note: input.note, submittedAt: submitNow ? now : undefined }, now);
    if (submitNow) {
      await audit.record(trx, { actorId: juror.id, action: 'jury.review_submitted', subjectType: 'nomination', subjectId: entryId, details: { editionId } }, now);
    }
    return { submitted: Boolean(before?.submittedAt) || submitNow, savedAt: now };
  });
}

/** Per juror: submitted reviews and the number of entries they can score (published, without jäv). */
export async function memberProgress(db: Queryable, editionId: number): Promise<Map<number, { done: number; total: number }>> {
  const entries = await publishedEntries(db, editionId);
  const jury = await queries.listMembers(db, editionId);
  const recused = await conflicts(db, editionId, entries);
  const reviews = await queries.listReviews(db, editionId);
  return new Map(
    jury.map((m) => {
      const mine = new Set(recused.filter((c) => c.jurorId === m.userId).map((c) => c.entryId));
      const done = reviews.filter((r) => r.jurorId === m.userId && r.submittedAt && !mine.has(r.entryId)).length;
      return [m.userId, { done, total: entries.length - mine.size }];
    }),
  );
}

// ---- Ranking (J6) ----

export type RankedEntry = RankingRow & { title: string; votes: number | null; hidden: boolean };

export type Ranking = {
  rows: RankedEntry[];
  votesShown: boolean;
  minScores: number;
  conflicts: Array<Conflict & { jurorName: string; entryTitle: string }>;
  jurors: number;
};

/** Every table the ranking reads: a write to one of them while it is computed starts it again. */
const RANKING_TABLES = ['nominations', 'nominees', 'users', 'jury_members', 'conflicts', 'jury_reviews', 'scores', 'criteria', 'editions'] as const;

/** The ranking's viewer-independent part. Only what the page shows: titles and figures, never the
 * entries' texts or the jurors' notes. Shared between requests: the caller must not change it. */
async function rankingBase(db: Queryable, edition: Edition) {
  const entries = await rankingEntries(db, edition.id);
  const jury = await queries.listMembers(db, edition.id);
  const juryIds = new Set(jury.map((m) => m.userId));
  const allConflicts = await conflicts(db, edition.id, entries);
  const submitted = new Set(
    (await queries.listSubmittedPairs(db, edition.id)).filter((r) => juryIds.has(r.jurorId)).map((r) => pairKey(r.entryId, r.jurorId)),
  );
  const criteria = await editions.criteria(db, edition.id);
  const scores = (await queries.listPublishedScores(db, edition.id, criteria.map((c) => c.id))).filter((s) => submitted.has(pairKey(s.entryId, s.jurorId)));
  const rows = rank({ entries, criteria, scores, recusals: allConflicts, minScores: edition.minScores });
  return { entries, jury, juryIds, allConflicts, submitted, rows };
}

/**
 * The ranking over submitted reviews of current jury members without jäv. A juror sees an entry's
 * figures only once they have submitted their own review of it or have jäv (J5); admins see everything.
 */
export async function ranking(
  db: Queryable,
  edition: Edition,
  phase: editions.PhaseState,
  viewer: { id: number; admin: boolean; jury: boolean },
  sort: { key: SortKey; dir: SortDir },
  compareText: (a: string, b: string) => number,
): Promise<Ranking> {
  // The same for every viewer: computed once for all who open the ranking at the same moment.
  const { entries, jury, juryIds, allConflicts, submitted, rows } = await sharedRead(db, `jury.ranking:${edition.id}`, RANKING_TABLES, () =>
    rankingBase(db, edition),
  );
  const votesShown = voting.canSeeCounts({ admin: viewer.admin, jury: viewer.jury }, phase);
  const counts = votesShown ? await voting.voteCounts(db, edition.id) : new Map<number, number>();
  // J5: figures only after submitting one's own review. Jäv is no way round it: declaring it and
  // withdrawing it afterwards would let a juror score with the others' figures in mind (J4).
  const mineVisible = (entryId: number) => submitted.has(pairKey(entryId, viewer.id));
  const hideFor = viewer.jury && juryIds.has(viewer.id);
  const titles = new Map(entries.map((e) => [e.id, e.title]));
  const ranked: RankedEntry[] = rows.map((r) => {
    const title = titles.get(r.entryId)!;
    const votes = votesShown ? (counts.get(r.entryId) ?? 0) : null;
    if (hideFor && !mineVisible(r.entryId)) {
      return { entryId: r.entryId, title, votes, hidden: true, mean: null, count: r.count, spread: null, normalized: null, tied: false, tooFew: r.tooFew };
    }
    return { ...r, title, votes, hidden: false };
  });
  const names = new Map(jury.map((m) => [m.userId, m.name]));
  return {
    rows: sortRows(ranked, sort.key, sort.dir, compareText),
    votesShown,
    minScores: edition.minScores,
    jurors: jury.length,
    conflicts: allConflicts
      .filter((c) => juryIds.has(c.jurorId))
      // An anonymous submitter stays anonymous: "submitted it" on the jäv list would name them.
      .filter((c) => viewer.admin || c.kind !== 'submitted' || entries.find((e) => e.id === c.entryId)?.showSubmitter !== false)
      .map((c) => ({ ...c, jurorName: names.get(c.jurorId) ?? '', entryTitle: titles.get(c.entryId) ?? '' })),
  };
}

// ---- Decision and lock (J7) ----

export type Decision = { finalistIds: number[]; winnerId: number | null; motivation: string; lockedAt: Date | null; lockedBy: number | null };

export async function decision(db: Queryable, editionId: number): Promise<Decision> {
  const r = await queries.findResult(db, editionId);
  return r ?? { finalistIds: [], winnerId: null, motivation: '', lockedAt: null, lockedBy: null };
}

export type { ResultUnlock } from './queries';
/** Every unlock of the result (who, when, why), oldest first: shown to the whole jury on the decision page. */
export const unlocks = queries.listUnlocks;

export const MOTIVATION_MAX = 2000;

export type DecisionInput = { finalistIds: number[]; winnerId: number | null; motivation: string };

/** Reads the chair's form: `finalist` (repeated ids), `winner` (an id or empty) and `motivation`. */
export function readDecisionForm(body: Record<string, unknown>, finalistCount: number): { input: DecisionInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const raw = body.finalist === undefined ? [] : Array.isArray(body.finalist) ? body.finalist : [body.finalist];
  const numbers = raw.map((v) => (typeof v === 'string' ? Number(v) : NaN));
  if (numbers.some((n) => !Number.isSafeInteger(n) || n <= 0)) errors.finalists = { key: 'jury.decision.badFinalist' };
  const finalistIds = [...new Set(numbers.filter((n) => Number.isSafeInteger(n) && n > 0))];
  if (finalistIds.length > finalistCount) errors.finalists = { key: 'jury.decision.tooManyFinalists', params: { count: finalistCount } };
  const winnerRaw = typeof body.winner === 'string' ? body.winner : '';
  const winnerId = winnerRaw === '' ? null : Number(winnerRaw);
  if (winnerId !== null && !finalistIds.includes(winnerId)) errors.winner = { key: 'jury.decision.winnerNotFinalist' };
  const motivation = typeof body.motivation === 'string' ? body.motivation.replace(/\r\n/g, '\n').trim() : '';
  if (motivation.length > MOTIVATION_MAX) errors.motivation = { key: 'jury.decision.motivationTooLong', params: { max: MOTIVATION_MAX } };
  return { input: { finalistIds, winnerId: winnerId !== null && Number.isSafeInteger(winnerId) ? winnerId : null, motivation }, errors };
}

/** What still stands in the way of locking; empty when the chair may lock. */
export function lockProblems(d: Pick<Decision, 'finalistIds' | 'winnerId' | 'motivation'>, finalistCount: number, entryCount: number): FieldErrors {
  const errors: FieldErrors = {};
  const needed = Math.min(finalistCount, entryCount);
  if (d.finalistIds.length !== needed) errors.finalists = { key: 'jury.decision.needFinalists', params: { count: needed } };
  if (d.winnerId === null || !d.finalistIds.includes(d.winnerId)) errors.winner = { key: 'jury.decision.needWinner' };
  if (d.motivation.trim().length === 0) errors.motivation = { key: 'jury.decision.needMotivation' };
  return errors;
}

async function assertChairMayDecide(trx: Queryable, edition: Edition, phase: editions.PhaseState, chairId: number): Promise<void> {
  const role = await queries.juryRole(trx, edition.id, chairId);
  if (!role.chair) throw CHAIR_ONLY();
  await refuseIfLocked(trx, edition.id);
  if (!phase.judgingStarted || phase.revealed || phase.archived) throw NOT_DECIDING();
}

export async function saveDecision(db: Knex, edition: Edition, phase: editions.PhaseState, chairId: number, input: DecisionInput, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    await assertChairMayDecide(trx, edition, phase, chairId);
    const published = new Set((await publishedEntries(trx, edition.id)).map((e) => e.id));
    if (input.finalistIds.some((id) => !published.has(id))) throw notFound();
    if (input.finalistIds.length > edition.finalistCount) throw new AppError(422, 'jury.decision.tooManyFinalists', { count: edition.finalistCount }, TITLE);
    if (input.winnerId !== null && !input.finalistIds.includes(input.winnerId)) throw new AppError(422, 'jury.decision.winnerNotFinalist', undefined, TITLE);
    await queries.saveDecision(trx, edition.id, input, now);
    await audit.record(
      trx,
      { actorId: chairId, action: 'jury.decision_saved', subjectType: 'edition', subjectId: edition.id, details: { finalistIds: input.finalistIds, winnerId: input.winnerId } },
      now,
    );
  });
}

export async function lock(db: Knex, events: Events, edition: Edition, phase: editions.PhaseState, chairId: number, now: Date): Promise<void> {
  await events.transaction(db, async (trx, emit) => {
    await assertChairMayDecide(trx, edition, phase, chairId);
    const d = await decision(trx, edition.id);
    const entryCount = (await publishedEntries(trx, edition.id)).length;
    const problems = lockProblems(d, edition.finalistCount, entryCount);
    // Field errors, so the decision page comes back with what is missing instead of an error page.
    if (Object.keys(problems).length) throw new ValidationError(problems);
    const changed = await queries.lockResult(trx, edition.id, chairId, now);
    if (!changed) throw LOCKED();
    await audit.record(
      trx,
      { actorId: chairId, action: 'jury.result_locked', subjectType: 'edition', subjectId: edition.id, details: { finalistIds: d.finalistIds, winnerId: d.winnerId } },
      now,
    );
    emit('result.locked', { editionId: edition.id, title: edition.title, chairId, winnerId: d.winnerId, finalistIds: d.finalistIds });
  });
}

export const UNLOCK_REASON_MAX = 500;

/** Reads the unlock form: a short reason (required) and the confirmation box. */
export function readUnlockForm(body: Record<string, unknown>): { reason: string; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const reason = typeof body.reason === 'string' ? body.reason.replace(/\r\n/g, '\n').trim() : '';
  if (!reason) errors.reason = { key: 'jury.unlock.reasonRequired' };
  else if (reason.length > UNLOCK_REASON_MAX) errors.reason = { key: 'jury.unlock.reasonTooLong', params: { max: UNLOCK_REASON_MAX } };
  if (body.confirm !== 'yes') errors.unlockConfirm = { key: 'jury.unlock.confirmRequired' };
  return { reason, errors };
}

/** Who may unlock a locked result: an admin, or the chair of the edition's jury. */
export async function mayUnlock(db: Queryable, editionId: number, actor: { id: number; admin: boolean }): Promise<boolean> {
  return actor.admin || (await queries.juryRole(db, editionId, actor.id)).chair;
}

/**
 * Unlocks the locked result so the chair can change it and lock again (J7): only until the ceremony has
 * revealed it, and only by an admin or the chair. Recorded with the reason in the audit log (R4) and in
 * result_unlocks, which the decision page shows to the whole jury. A result that is not locked (a double
 * submit) is left as it is: `unlockedNow` is then false. The rest of the jury is told (result.unlocked).
 */
export async function unlock(
  db: Knex,
  events: Events,
  edition: Edition,
  actor: { id: number; name: string; admin: boolean },
  reason: string,
  now: Date,
): Promise<{ unlockedNow: boolean }> {
  return events.transaction(db, async (trx, emit) => {
    if (!(await mayUnlock(trx, edition.id, actor))) throw UNLOCK_REFUSED();
    if (!(await queries.holdUnrevealedEdition(trx, edition.id))) throw UNLOCK_TOO_LATE();
    // The audience vote among the finalists is on the screen: unlocking would empty its choices.
    const poll = await latestPoll(trx, edition.id);
    if (poll && !poll.closedAt) throw UNLOCK_DURING_LIVE_VOTE();
    const before = await decision(trx, edition.id);
    if (!(await queries.unlockResult(trx, edition.id, now))) return { unlockedNow: false };
    const text = reason.trim().slice(0, UNLOCK_REASON_MAX);
    await queries.insertUnlock(trx, { editionId: edition.id, userId: actor.id, reason: text }, now);
    await audit.record(
      trx,
      {
        actorId: actor.id,
        action: 'jury.result_unlocked',
        subjectType: 'edition',
        subjectId: edition.id,
        details: { reason: text, finalistIds: before.finalistIds, winnerId: before.winnerId, lockedAt: before.lockedAt?.toISOString() ?? null },
      },
      now,
    );
    // `reason` as readUnlockForm() accepted it (trimmed, at most UNLOCK_REASON_MAX).
    emit('result.unlocked', { editionId: edition.id, title: edition.title, actor: { id: actor.id, name: actor.name }, reason: text });
    return { unlockedNow: true };
  });
}

export type LockedResult = { winnerId: number; finalistIds: number[]; motivation: string; lockedAt: Date };

/**
 * The jury's locked decision, for the ceremony feature; null until the chair has locked. Sealed: the
 * caller decides who may see it (nobody but jury and admins before editions.revealed_at).
 */
export async function lockedResult(db: Queryable, editionId: number): Promise<LockedResult | null> {
  const r = await queries.findResult(db, editionId);
  if (!r || !r.lockedAt || r.winnerId === null) return null;
  return { winnerId: r.winnerId, finalistIds: r.finalistIds, motivation: r.motivation, lockedAt: r.lockedAt };
}

export const isLocked = queries.isLocked;
