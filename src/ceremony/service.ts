// Presentation mode (C1) and the reveal (C3). Before the reveal the result is sealed: only admins and
// the edition's jury chair may open the presentation; after it, every signed-in employee may.
import type { Db, Queryable } from '../db';
import type { Events } from '../events';
import type { Viewer } from '../types';
import * as editions from '../editions/service';
import * as jury from '../jury/service';
import * as voting from '../voting/service';
import { record } from '../audit/service';
import { AppError, forbidden, notFound } from '../errors';
import * as queries from './queries';

export type { ResultEntry } from './queries';

export type LockedResult = {
  editionId: number;
  winnerId: number;
  motivation: string;
  lockedAt: Date;
  /** Finalists in the chair's order, with their texts; the winner is one of them. */
  finalists: queries.ResultEntry[];
};

/** The jury's locked decision (J7) with the finalists' texts, or null while it is not locked. */
export async function lockedResult(db: Queryable, editionId: number): Promise<LockedResult | null> {
  const decision = await jury.lockedResult(db, editionId);
  if (!decision) return null;
  const ids = decision.finalistIds.includes(decision.winnerId) ? decision.finalistIds : [...decision.finalistIds, decision.winnerId];
  const entries = await queries.findEntries(db, ids);
  return {
    editionId,
    winnerId: decision.winnerId,
    motivation: decision.motivation,
    lockedAt: decision.lockedAt,
    finalists: ids.map((id) => entries.get(id)).filter((e): e is queries.ResultEntry => Boolean(e)),
  };
}
export const voteCounts = voting.voteCounts;

/** The people's choice (most votes in the voting; ties give several) with their texts. */
export async function peoplesChoice(db: Queryable, editionId: number): Promise<Array<queries.ResultEntry & { votes: number }>> {
  const choice = await voting.peoplesChoice(db, editionId);
  if (!choice) return [];
  const entries = await queries.findEntries(db, choice.nominationIds);
  return choice.nominationIds.flatMap((id) => {
    const e = entries.get(id);
    return e ? [{ ...e, votes: choice.votes }] : [];
  });
}

export type CeremonyAccess = {
  edition: editions.Edition;
  phase: editions.PhaseState;
  /** May run the ceremony: open/close the live vote and reveal. */
  presenter: boolean;
};

/** Whether this viewer is an admin or the chair of this edition's jury. */
export async function isPresenter(db: Queryable, viewer: Viewer, editionId: number): Promise<boolean> {
  if (viewer.roles.admin) return true;
  return (await jury.juryRole(db, editionId, viewer.user.id)).chair;
}

/** The edition of `year` if this viewer may see its ceremony now; 404/403 otherwise. */
export async function access(db: Queryable, viewer: Viewer, year: number, now: Date): Promise<CeremonyAccess> {
  if (!Number.isInteger(year)) throw notFound();
  const found = await editions.byYear(db, year, now);
  if (!found) throw notFound();
  const presenter = await isPresenter(db, viewer, found.edition.id);
  if (!presenter && !found.phase.revealed) throw forbidden();
  return { edition: found.edition, phase: found.phase, presenter };
}

/**
 * How a slide's texts will look on the 16:9 stage: at the normal size, in smaller type (`dense`,
 * `denser`: the server's classes without JavaScript, ceremony.js fits the size exactly), or so long that
 * even the smallest type cannot hold them and the text is split into parts (cut off without JavaScript).
 */
export type TextFit = 'normal' | 'dense' | 'denser' | 'split';

export type Slide =
  | { kind: 'title' }
  | { kind: 'idea' }
  | { kind: 'finalist'; entry: queries.ResultEntry; number: number; of: number; fit: TextFit }
  | { kind: 'peoples-choice'; entries: Array<queries.ResultEntry & { votes: number }> }
  | { kind: 'live' }
  | { kind: 'drumroll' }
  | { kind: 'winner'; entry: queries.ResultEntry; motivation: string; fit: TextFit };

// The room a slide's texts take, in characters of lesson-sized type. A title character in heading type
// takes about four lesson characters of room, and a photo leaves the text two thirds of the width. On the
// winner's slide the motivation and the lesson both end at the smallest lesson size, and the two labels
// and the quote's margins take more room: 1.4 per character. Weights and limits were measured in Chromium
// with public/js/ceremony.js on a 16:9 stage (the layout scales with the stage, so the projector's
// resolution does not matter): up to `normal` the slide keeps the full size, up to `dense` about 0.8 of
// it, up to `denser` it fits at the smallest size, beyond it the text is split.
const FIT_LIMITS = { normal: 450, dense: 800, denser: 1600 };

function fitOf(load: number): TextFit {
  if (load <= FIT_LIMITS.normal) return 'normal';
  if (load <= FIT_LIMITS.dense) return 'dense';
  if (load <= FIT_LIMITS.denser) return 'denser';
  return 'split';
}

/** How a finalist's slide (title, lesson, photo) fits the stage. */
export function finalistFit(entry: Pick<queries.ResultEntry, 'title' | 'lesson' | 'imageAttachmentId'>): TextFit {
  const load = entry.lesson.length + entry.title.length * 4;
  return fitOf(entry.imageAttachmentId !== null ? load * 1.5 : load);
}

/** How the winner's slide (title, the jury's motivation and the lesson in smaller type) fits the stage. */
export function winnerFit(entry: Pick<queries.ResultEntry, 'title' | 'lesson'>, motivation: string): TextFit {
  return fitOf((motivation.length + entry.lesson.length) * 1.4 + entry.title.length * 4);
}

/** A slide whose texts the audience will get in small type or split into parts. */
export type LongText = {
  slide: 'finalist' | 'winner';
  entryId: number;
  title: string;
  fit: 'denser' | 'split';
  lessonLength: number;
  /** The jury's motivation, on the winner's slide only (0 on a finalist's). */
  motivationLength: number;
};

/**
 * The slides (in running order) whose lesson or motivation is so long that it is shown in small type or
 * split, so that the presenter can have the text shortened before the ceremony. A slide that only gets
 * slightly smaller type (`dense`) is not listed.
 */
export function longTexts(finalists: queries.ResultEntry[], winnerId: number | null, motivation: string): LongText[] {
  const long = (fit: TextFit): fit is LongText['fit'] => fit === 'denser' || fit === 'split';
  const out: LongText[] = [];
  for (const e of finalists) {
    const fit = finalistFit(e);
    if (long(fit)) out.push({ slide: 'finalist', entryId: e.id, title: e.title, fit, lessonLength: e.lesson.length, motivationLength: 0 });
  }
  const winner = finalists.find((e) => e.id === winnerId);
  if (winner) {
    const fit = winnerFit(winner, motivation);
    if (long(fit)) out.push({ slide: 'winner', entryId: winner.id, title: winner.title, fit, lessonLength: winner.lesson.length, motivationLength: motivation.length });
  }
  return out;
}

/** longTexts() for a decision that may not be locked yet (the chair's page): reads the entries' texts. */
export async function longTextsOf(db: Queryable, decision: { finalistIds: number[]; winnerId: number | null; motivation: string }): Promise<LongText[]> {
  const { finalistIds, winnerId } = decision;
  const ids = winnerId === null || finalistIds.includes(winnerId) ? finalistIds : [...finalistIds, winnerId];
  const entries = await queries.findEntries(db, ids);
  const finalists = ids.map((id) => entries.get(id)).filter((e): e is queries.ResultEntry => Boolean(e));
  return longTexts(finalists, winnerId, decision.motivation);
}

/** The slides in running order, generated from the locked result. */
/** `withLive`: include the audience-vote slide (left out of a past ceremony that had no live vote). */
export function buildSlides(result: LockedResult, peoples: Array<queries.ResultEntry & { votes: number }>, withLive = true): Slide[] {
  const winner = result.finalists.find((f) => f.id === result.winnerId);
  const shown = result.finalists;
  return [
    { kind: 'title' },
    { kind: 'idea' },
    ...shown.map((entry, i): Slide => ({ kind: 'finalist', entry, number: i + 1, of: shown.length, fit: finalistFit(entry) })),
    ...(peoples.length ? [{ kind: 'peoples-choice', entries: peoples } as Slide] : []),
    ...(withLive ? [{ kind: 'live' } as Slide] : []),
    { kind: 'drumroll' },
    ...(winner ? [{ kind: 'winner', entry: winner, motivation: result.motivation, fit: winnerFit(winner, result.motivation) } as Slide] : []),
  ];
}

/** C3: publishes the result. Needs a locked result; a second reveal changes nothing. Audited. */
export async function reveal(db: Db, events: Events, editionId: number, actorId: number, now: Date): Promise<{ revealedNow: boolean }> {
  return events.transaction(db, async (trx, emit) => {
    // The edition's row first, then the result: an unlock (J7) holds the same row, so a reveal at the
    // same moment waits for it and then finds the result unlocked (the throw rolls the mark back).
    const changed = await queries.markRevealed(trx, editionId, now);
    const result = await lockedResult(trx, editionId);
    if (!result) throw new AppError(409, 'ceremony.errors.notLocked', undefined, 'ceremony.notLockedTitle');
    // The reveal shows vote counts and the people's choice (V3): never while colleagues still vote.
    const edition = await editions.findById(trx, editionId);
    if (edition && editions.phaseAt(edition, now).votingOpen) throw new AppError(409, 'ceremony.errors.votingOpen', undefined, 'ceremony.votingOpenTitle');
    if (changed > 0) {
      await record(trx, { actorId, action: 'ceremony.reveal', subjectType: 'edition', subjectId: editionId, details: { winnerNominationId: result.winnerId } }, now);
      const edition = (await editions.findById(trx, editionId))!;
      const winner = result.finalists.find((f) => f.id === result.winnerId);
      emit('winner.revealed', { editionId, year: edition.year, title: edition.title, winner: { nominationId: result.winnerId, title: winner?.title ?? '' } });
    }
    return { revealedNow: changed > 0 };
  });
}
