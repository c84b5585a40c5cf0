// The archive and lessons bank (C4): editions whose result has been revealed (C3) or that are archived,
// with winner, finalists, the colleagues' choice and every published entry; search across all years.
// Per-entry vote counts are read for the jury and admins only (V3, C4).
import type { Queryable } from '../db';
import * as editions from '../editions/service';
import * as ceremony from '../ceremony/service';
import * as nominations from '../nominations/service';
import { foldForSearch } from '../i18n';

/** A published entry as the archive lists it. */
export type ArchivedEntry = {
  id: number;
  editionId: number;
  year: number;
  title: string;
  lesson: string;
  teamName: string | null;
  department: string | null;
  publishedAt: Date | null;
};

function archived(n: nominations.Nomination, years: ReadonlyMap<number, number>): ArchivedEntry {
  return { id: n.id, editionId: n.editionId, year: years.get(n.editionId) ?? 0, title: n.title, lesson: n.lesson, teamName: n.teamName, department: n.departmentName, publishedAt: n.publishedAt };
}

const yearsOf = (shown: editions.Edition[]) => new Map(shown.map((e) => [e.id, e.year]));

export type ArchivedEdition = {
  edition: editions.Edition;
  result: ceremony.LockedResult | null;
  winner: ceremony.ResultEntry | null;
  /** Finalists other than the winner, in the chair's order. */
  finalists: ceremony.ResultEntry[];
  /** Per-entry counts: for the jury, admins and exports only (V3); views show them to no one else. */
  votes: ReadonlyMap<number, number>;
  /** The colleagues' choice: the entries with the most votes (more than one on a tie), none without votes. */
  peoplesChoiceIds: number[];
};

export function peoplesChoiceOf(votes: ReadonlyMap<number, number>): number[] {
  const most = Math.max(0, ...votes.values());
  return most > 0 ? [...votes].filter(([, n]) => n === most).map(([id]) => id) : [];
}

/** Editions that are in the archive now: revealed or archived. Newest first. */
export async function shownEditions(db: Queryable, now: Date): Promise<editions.Edition[]> {
  const all = await editions.all(db);
  return all.filter((e) => {
    const p = editions.phaseAt(e, now);
    return p.revealed || p.archived;
  });
}

async function withResult(db: Queryable, edition: editions.Edition): Promise<ArchivedEdition> {
  const result = await ceremony.lockedResult(db, edition.id);
  const votes = await ceremony.voteCounts(db, edition.id);
  const winner = result?.finalists.find((f) => f.id === result.winnerId) ?? null;
  const finalists = result ? result.finalists.filter((f) => f.id !== result.winnerId) : [];
  return { edition, result, winner, finalists, votes, peoplesChoiceIds: peoplesChoiceOf(votes) };
}

export async function overview(db: Queryable, now: Date): Promise<Array<ArchivedEdition & { entryCount: number }>> {
  const shown = await shownEditions(db, now);
  const counts = await nominations.countPublishedIn(db, shown.map((e) => e.id));
  const out = [];
  for (const edition of shown) {
    out.push({ ...(await withResult(db, edition)), entryCount: counts.get(edition.id) ?? 0 });
  }
  return out;
}

/** One archived year: its result and every published entry with its people's vote count (V3: staff only). */
export async function year(db: Queryable, y: number, now: Date): Promise<(ArchivedEdition & { entries: Array<ArchivedEntry & { votes: number }> }) | null> {
  const edition = (await shownEditions(db, now)).find((e) => e.year === y);
  if (!edition) return null;
  const found = await withResult(db, edition);
  const list = await nominations.listPublishedIn(db, [edition.id]);
  const years = yearsOf([edition]);
  return { ...found, entries: list.map((n) => ({ ...archived(n, years), votes: found.votes.get(n.id) ?? 0 })) };
}

/** Search across all archived years; an empty query finds nothing. */
export async function search(db: Queryable, q: string, now: Date): Promise<ArchivedEntry[]> {
  const folded = foldForSearch(q.trim());
  if (!folded) return [];
  const shown = await shownEditions(db, now);
  const list = await nominations.listPublishedIn(db, shown.map((e) => e.id), { folded, limit: 200 });
  const years = yearsOf(shown);
  return list.map((n) => archived(n, years));
}

export type Award = {
  kind: 'winner' | 'finalist' | null;
  votes: number;
  year: number;
  peoplesChoice: boolean;
  /** The jury's citation, on the winner only (C8). */
  motivation: string | null;
};

/**
 * What an entry won, for a badge on its page: only once its edition's result is revealed (C3), else
 * null. For the nominations feature's entry page: `award` local for views/archive/badge.ejs.
 */
export async function awardFor(db: Queryable, nominationId: number, now: Date): Promise<Award | null> {
  const n = await nominations.findRef(db, nominationId);
  return n ? awardForEntry(db, n, now) : null;
}

/** The same for an entry already read, for the entry page: no second read of it, its edition from memory. */
export async function awardForEntry(db: Queryable, n: { id: number; status: string; editionId: number }, now: Date): Promise<Award | null> {
  const nominationId = n.id;
  if (n.status !== 'published') return null;
  const edition = await editions.findByIdForPage(db, n.editionId);
  if (!edition) return null;
  const p = editions.phaseAt(edition, now);
  if (!p.revealed && !p.archived) return null;
  const result = await ceremony.lockedResult(db, edition.id);
  const counts = await ceremony.voteCounts(db, edition.id);
  const votes = counts.get(nominationId) ?? 0;
  const peoplesChoice = peoplesChoiceOf(counts).includes(nominationId);
  const kind = result?.winnerId === nominationId ? 'winner' : result?.finalists.some((f) => f.id === nominationId) ? 'finalist' : null;
  return { kind, votes, year: edition.year, peoplesChoice, motivation: kind === 'winner' && result ? result.motivation : null };
}
