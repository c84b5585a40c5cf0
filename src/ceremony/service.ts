// Presentation mode (C1) and the reveal (C3). Before the reveal the result is sealed: only admins and
// the edition's jury chair may open the presentation; after it, every signed-in employee may.
import type { Db, Queryable } from '../db';
import type { Emit, Events } from '../events';
import type { Viewer } from '../auth/viewer';
import * as editions from '../editions/service';
import * as jury from '../jury/service';
import * as voting from '../voting/service';
import * as nominations from '../nominations/service';
import { record } from '../audit/service';
import { AppError, forbidden, notFound } from '../errors';
import * as queries from './queries';

/** What the ceremony, the archive and the share cards show of an entry in a result. */
export type ResultEntry = {
  id: number;
  title: string;
  lesson: string;
  changes: string;
  teamName: string | null;
  department: string | null;
  /** An image attachment of the entry, if any (for a photo on the slide). */
  imageAttachmentId: number | null;
  /** The people behind it who agreed to be named (N3), as the entry page shows them. */
  names: string[];
};

const SLIDE_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** The entries of a result (finalists, winner, the people's choice) by id, in the order given. */
async function resultEntries(db: Queryable, ids: number[]): Promise<ResultEntry[]> {
  const views = await nominations.getPublishedEntries(db, ids);
  return views.map(({ nomination: n, names, attachments }) => ({
    id: n.id,
    title: n.title,
    lesson: n.lesson,
    changes: n.changes,
    teamName: n.teamName,
    department: n.departmentName,
    imageAttachmentId: attachments.find((a) => SLIDE_IMAGE_TYPES.includes(a.mime))?.id ?? null,
    names,
  }));
}

export type LockedResult = {
  editionId: number;
  winnerId: number;
  motivation: string;
  lockedAt: Date;
  /** Finalists in the chair's order, with their texts; the winner is one of them. */
  finalists: ResultEntry[];
};

/** The jury's locked decision (J7) with the finalists' texts, or null while it is not locked. */
export async function lockedResult(db: Queryable, editionId: number): Promise<LockedResult | null> {
  const decision = await jury.lockedResult(db, editionId);
  if (!decision) return null;
  const ids = decision.finalistIds.includes(decision.winnerId) ? decision.finalistIds : [...decision.finalistIds, decision.winnerId];
  return {
    editionId,
    winnerId: decision.winnerId,
    motivation: decision.motivation,
    lockedAt: decision.lockedAt,
    finalists: await resultEntries(db, ids),
  };
}
export const voteCounts = voting.voteCounts;

/** The people's choice (most votes in the voting; ties give several) with their texts. */
export async function peoplesChoice(db: Queryable, editionId: number): Promise<Array<ResultEntry & { votes: number }>> {
  const choice = await voting.peoplesChoice(db, editionId);
  if (!choice) return [];
  return (await resultEntries(db, choice.nominationIds)).map((e) => ({ ...e, votes: choice.votes }));
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
  | { kind: 'title'; key: string }
  | { kind: 'idea'; key: string }
  | { kind: 'finalist'; key: string; entry: ResultEntry; number: number; of: number; fit: TextFit; part: number; parts: number }
  | { kind: 'peoples-choice'; key: string; entries: Array<ResultEntry & { votes: number }> }
  | { kind: 'live'; key: string }
  | { kind: 'drumroll'; key: string }
  | { kind: 'winner'; key: string; entry: ResultEntry }
  | { kind: 'citation'; key: string; entry: ResultEntry; motivation: string; fit: TextFit; part: number; parts: number };

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
export function finalistFit(entry: Pick<ResultEntry, 'title' | 'lesson' | 'imageAttachmentId'>): TextFit {
  const load = entry.lesson.length + entry.title.length * 4;
  return fitOf(entry.imageAttachmentId !== null ? load * 1.5 : load);
}

/**
 * How the citation's own slide fits the stage: its quote is in larger type than a lesson (about three
 * lesson characters of room per character).
 */
export function citationFit(motivation: string): TextFit {
  return fitOf(motivation.length * 3);
}

/**
 * Splits a text that no slide can hold into parts of at most `budget` characters, at sentence ends
 * where it can (at word ends inside a longer sentence). Each part becomes a slide of its own, so the
 * presenter steps through them and every screen shows the same part.
 */
export function splitText(text: string, budget: number): string[] {
  const sentences = text.trim().match(/[^.!?…]+(?:[.!?…]+["”»)]?\s*|$)/g) ?? [text];
  const parts: string[] = [];
  let current = '';
  const push = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
  };
  for (const sentence of sentences) {
    if ((current + sentence).length <= budget) {
      current += sentence;
      continue;
    }
    push();
    if (sentence.length <= budget) {
      current = sentence;
      continue;
    }
    for (const word of sentence.split(/(\s+)/)) {
      if ((current + word).length > budget) push();
      current += word;
    }
  }
  push();
  return parts.length ? parts : [text];
}

/** The parts of a text with "…" where one part goes on in the next. */
function withEllipses(parts: string[]): string[] {
  return parts.map((p, i) => `${i > 0 ? '… ' : ''}${p}${i < parts.length - 1 ? ' …' : ''}`);
}

function finalistSlides(entry: ResultEntry, number: number, of: number): Slide[] {
  const fit = finalistFit(entry);
  if (fit !== 'split') return [{ kind: 'finalist', key: `finalist-${number}`, entry, number, of, fit, part: 1, parts: 1 }];
  // The room of a slide at the smallest type, less the title's, with a margin for line ends.
  const room = FIT_LIMITS.denser / (entry.imageAttachmentId !== null ? 1.5 : 1) - entry.title.length * 4;
  const parts = withEllipses(splitText(entry.lesson, Math.max(300, Math.floor(room * 0.7))));
  return parts.map((lesson, i) => {
    const e = { ...entry, lesson };
    return { kind: 'finalist', key: i === 0 ? `finalist-${number}` : `finalist-${number}-${i + 1}`, entry: e, number, of, fit: finalistFit(e), part: i + 1, parts: parts.length };
  });
}

function citationSlides(entry: ResultEntry, motivation: string): Slide[] {
  const fit = citationFit(motivation);
  const parts = fit === 'split' ? withEllipses(splitText(motivation, Math.floor((FIT_LIMITS.denser / 3) * 0.85))) : [motivation];
  return parts.map((m, i) => ({ kind: 'citation', key: i === 0 ? 'citation' : `citation-${i + 1}`, entry, motivation: m, fit: citationFit(m), part: i + 1, parts: parts.length }));
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
export function longTexts(finalists: ResultEntry[], winnerId: number | null, motivation: string): LongText[] {
  const long = (fit: TextFit): fit is LongText['fit'] => fit === 'denser' || fit === 'split';
  const out: LongText[] = [];
  for (const e of finalists) {
    const fit = finalistFit(e);
    if (long(fit)) out.push({ slide: 'finalist', entryId: e.id, title: e.title, fit, lessonLength: e.lesson.length, motivationLength: 0 });
  }
  const winner = finalists.find((e) => e.id === winnerId);
  if (winner) {
    // The citation has a slide of its own (the winner's slide carries no long text).
    const fit = citationFit(motivation);
    if (long(fit)) out.push({ slide: 'winner', entryId: winner.id, title: winner.title, fit, lessonLength: winner.lesson.length, motivationLength: motivation.length });
  }
  return out;
}

/** longTexts() for a decision that may not be locked yet (the chair's page): reads the entries' texts. */
export async function longTextsOf(db: Queryable, decision: { finalistIds: number[]; winnerId: number | null; motivation: string }): Promise<LongText[]> {
  const { finalistIds, winnerId } = decision;
  const ids = winnerId === null || finalistIds.includes(winnerId) ? finalistIds : [...finalistIds, winnerId];
  return longTexts(await resultEntries(db, ids), winnerId, decision.motivation);
}

/**
 * The finalists in the order the audience sees them: alphabetical by title (C8), never the jury's
 * ranking or the chair's order, which would let the hall guess the winner. The presenter view says so.
 */
export function neutralOrder<T extends { title: string; id: number }>(finalists: T[]): T[] {
  const collator = new Intl.Collator('sv', { sensitivity: 'base' });
  return [...finalists].sort((a, b) => collator.compare(a.title, b.title) || a.id - b.id);
}

/** Slides the audience may only see once the winner is revealed (or "revealed" in a rehearsal). */
export const SEALED_KINDS: ReadonlyArray<Slide['kind']> = ['winner', 'citation'];

/** The slides in running order, generated from the locked result. */
/** `withLive`: include the audience-vote slide (left out of a past ceremony that had no live vote). */
export function buildSlides(result: LockedResult, peoples: Array<ResultEntry & { votes: number }>, withLive = true): Slide[] {
  const winner = result.finalists.find((f) => f.id === result.winnerId);
  const shown = neutralOrder(result.finalists);
  return [
    { kind: 'title', key: 'title' },
    { kind: 'idea', key: 'idea' },
    ...shown.flatMap((entry, i) => finalistSlides(entry, i + 1, shown.length)),
    ...(peoples.length ? [{ kind: 'peoples-choice', key: 'peoples-choice', entries: peoples } as Slide] : []),
    ...(withLive ? [{ kind: 'live', key: 'live' } as Slide] : []),
    { kind: 'drumroll', key: 'drumroll' },
    ...(winner
      ? ([
          { kind: 'winner', key: 'winner', entry: winner },
          ...citationSlides(winner, result.motivation),
        ] as Slide[])
      : []),
  ];
}

/** Texts of the rehearsal's placeholder result, in the presenter's language. */
export type PlaceholderTexts = { title(n: number): string; lesson: string; department: string; name(n: number): string; motivation: string };

/**
 * A rehearsal shows the whole show with placeholder entries and names (C6): the real finalists and the
 * winner stay sealed, and nothing is published. Ids are negative so they can never match a real entry.
 */
export function placeholderResult(editionId: number, texts: PlaceholderTexts, now: Date): LockedResult {
  const finalists = [1, 2, 3].map(
    (n): ResultEntry => ({
      id: -n,
      title: texts.title(n),
      lesson: texts.lesson,
      changes: '',
      teamName: null,
      department: texts.department,
      imageAttachmentId: null,
      names: [texts.name(2 * n - 1), texts.name(2 * n)],
    }),
  );
  return { editionId, winnerId: -2, motivation: texts.motivation, lockedAt: now, finalists };
}

// ---------------------------------------------------------------- the running show (C6)

export type Show = queries.Show;
export type LiveAudience = queries.LiveAudience;
export const findShow = queries.findShow;

/** Whether the audience may see the sealed slides of this show now. */
export function unsealed(show: Show, revealed: boolean): boolean {
  return show.rehearsal ? show.rehearsalRevealed : revealed;
}

/** Index (0-based) of the show's slide in the deck; an unknown key (the deck changed) is the first slide. */
export function slideIndexOf(slides: Slide[], key: string): number {
  return Math.max(0, slides.findIndex((s) => s.key === key));
}

export type ShowMove = { kind: 'next' } | { kind: 'previous' } | { kind: 'goto'; key: string } | { kind: 'black' };

/**
 * Moves the show: next, previous, a slide by key, or the black screen on and off. The winner's and the
 * citation's slides are never reached before the reveal: the presenter confirms the reveal on its own.
 * Returns false when the move is refused (nothing changes).
 */
export async function moveShow(db: Db, events: Events, show: Show, slides: Slide[], revealed: boolean, move: ShowMove, now: Date): Promise<boolean> {
  const at = slideIndexOf(slides, show.slideKey);
  let target = at;
  if (move.kind === 'black') {
    await saveShow(db, events, { ...show, black: !show.black }, now);
    return true;
  }
  if (move.kind === 'next') target = at + 1;
  else if (move.kind === 'previous') target = at - 1;
  else target = slides.findIndex((s) => s.key === move.key);
  const slide = slides[target];
  if (!slide || target === at) return false;
  if (SEALED_KINDS.includes(slide.kind) && !unsealed(show, revealed)) return false;
  await saveShow(db, events, { ...show, slideKey: slide.key, black: false }, now);
  return true;
}

/** Stores the show's new state and, once written, tells every screen that follows it (show.changed). */
async function saveShow(db: Db, events: Events, show: Show, now: Date): Promise<void> {
  await queries.saveShow(db, show, now);
  await events.emit('show.changed', { editionId: show.editionId });
}

/** Starts or ends a rehearsal; either way the show goes back to its first slide. */
export async function setRehearsal(db: Db, events: Events, show: Show, on: boolean, now: Date): Promise<void> {
  await saveShow(db, events, { ...show, rehearsal: on, rehearsalRevealed: false, slideKey: 'title', black: false }, now);
}

/** Who may vote in the hall and whether the bars stay hidden until the vote closes (C7). */
export async function setLiveSettings(db: Db, events: Events, show: Show, settings: { audience: LiveAudience; hideBars: boolean }, now: Date): Promise<void> {
  await saveShow(db, events, { ...show, liveAudience: settings.audience, liveHideBars: settings.hideBars }, now);
}

/**
 * The reveal from the presenter's view: in a rehearsal it only shows the placeholder winner (show.changed,
 * nothing published, nobody else told); for real it publishes the result (C3, winner.revealed) and puts
 * the winner's slide on the screen in the same transaction.
 */
export async function revealShow(db: Db, events: Events, editionId: number, actorId: number, now: Date): Promise<{ rehearsal: boolean }> {
  return events.transaction(db, async (trx, emit) => {
    const show = await queries.findShow(trx, editionId);
    if (show.rehearsal) {
      await queries.saveShow(trx, { ...show, rehearsalRevealed: true, slideKey: 'winner', black: false }, now);
      emit('show.changed', { editionId });
      return { rehearsal: true };
    }
    await revealIn(trx, emit, editionId, actorId, now);
    await queries.saveShow(trx, { ...show, slideKey: 'winner', black: false }, now);
    emit('show.changed', { editionId });
    return { rehearsal: false };
  });
}

/** C3: publishes the result. Needs a locked result; a second reveal changes nothing. Audited. */
export async function reveal(db: Db, events: Events, editionId: number, actorId: number, now: Date): Promise<{ revealedNow: boolean }> {
  return events.transaction(db, (trx, emit) => revealIn(trx, emit, editionId, actorId, now));
}

async function revealIn(trx: Queryable, emit: Emit, editionId: number, actorId: number, now: Date): Promise<{ revealedNow: boolean }> {
  // The edition's row first, then the result: an unlock (J7) holds the same row, so a reveal at the
  // same moment waits for it and then finds the result unlocked (the throw rolls the mark back).
  const changed = await queries.markRevealed(trx, editionId, now);
  const result = await lockedResult(trx, editionId);
  if (!result) throw new AppError(409, 'ceremony.errors.notLocked', undefined, 'ceremony.notLockedTitle');
  // The reveal shows vote counts and the people's choice (V3): never while colleagues still vote.
  const edition = (await editions.findById(trx, editionId))!;
  if (editions.phaseAt(edition, now).votingOpen) throw new AppError(409, 'ceremony.errors.votingOpen', undefined, 'ceremony.votingOpenTitle');
  if (changed > 0) {
    await record(trx, { actorId, action: 'ceremony.reveal', subjectType: 'edition', subjectId: editionId, details: { winnerNominationId: result.winnerId } }, now);
    const winner = result.finalists.find((f) => f.id === result.winnerId);
    emit('winner.revealed', { editionId, year: edition.year, title: edition.title, winner: { nominationId: result.winnerId, title: winner?.title ?? '' } });
  }
  return { revealedNow: changed > 0 };
}
