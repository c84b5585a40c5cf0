// Exports for admins (R3): entries, vote counts (never who voted; only once voting has closed, V3/V4)
// and jury scores as CSV for Excel, and the finalists report for the jury meeting. Every export is
// written to the audit log (R4).
import type { Queryable } from '../db';
import * as editions from '../editions/service';
import * as voting from '../voting/service';
import * as jury from '../jury/service';
import * as audit from '../audit/service';
import * as nominations from '../nominations/service';
import { translate, type Locale } from '../i18n';
import { AppError, notFound } from '../errors';
import { toStockholmLocal } from '../time';
import * as queries from './queries';
import { decimal, toCsv } from './csv';

export type CsvFile = { filename: string; csv: string; rows: number };

const when = (d: Date | null) => (d ? toStockholmLocal(d).replace('T', ' ') : '');

/** The edition asked for by year, else the current one (or the newest, when all are archived); 404 for a year that does not exist. */
export async function editionFor(db: Queryable, year: string, now: Date): Promise<editions.EditionWithPhase> {
  if (year) {
    const found = /^\d{4}$/.test(year) ? await editions.byYear(db, Number(year), now) : null;
    if (!found) throw notFound();
    return found;
  }
  const current = await editions.current(db, now);
  if (current) return current;
  const [newest] = await editions.all(db);
  if (!newest) throw notFound();
  return { edition: newest, phase: editions.phaseAt(newest, now) };
}

/** An entry as the exports write it; people's CURRENT names (anonymisation shows), never voters. */
export type EntryRow = {
  id: number;
  status: string;
  title: string;
  department: string | null;
  teamName: string | null;
  submitterName: string;
  showSubmitter: boolean;
  namedColleagues: Array<{ name: string; consent: string }>;
  whatHappened: string;
  lesson: string;
  changes: string;
  submittedAt: Date | null;
  publishedAt: Date | null;
};

/** Every entry of an edition that has been submitted (drafts are the submitter's own). */
async function entryRows(db: Queryable, editionId: number): Promise<EntryRow[]> {
  return (await nominations.submittedIn(db, editionId)).map(({ nomination: n, nominees }) => ({
    id: n.id,
    status: n.status,
    title: n.title,
    department: n.departmentName,
    teamName: n.teamName,
    submitterName: n.submitterName,
    showSubmitter: n.showSubmitter,
    namedColleagues: nominees.map((x) => ({ name: x.name, consent: x.consent })),
    whatHappened: n.whatHappened,
    lesson: n.lesson,
    changes: n.changes,
    submittedAt: n.submittedAt,
    publishedAt: n.publishedAt,
  }));
}

export async function entriesCsv(db: Queryable, e: editions.EditionWithPhase, locale: Locale, actorId: number, now: Date): Promise<CsvFile> {
  const t = (k: string) => translate(locale, k);
  const rows = await entryRows(db, e.edition.id);
  const csv = toCsv(
    ['id', 'edition', 'status', 'title', 'department', 'team', 'submitter', 'submitterShown', 'named', 'whatHappened', 'lesson', 'changes', 'submittedAt', 'publishedAt'].map((k) => t(`exports.col.${k}`)),
    rows.map((r) => [
      r.id,
      e.edition.year,
      t(`exports.status.${r.status}`),
      r.title,
      r.department,
      r.teamName,
      r.submitterName,
      r.showSubmitter ? t('exports.yes') : t('exports.no'),
      r.namedColleagues.map((n) => `${n.name} (${t(`exports.consent.${n.consent}`)})`).join(', '),
      r.whatHappened,
      r.lesson,
      r.changes,
      when(r.submittedAt),
      when(r.publishedAt),
    ]),
  );
  await audit.record(db, { actorId, action: 'export.entries', subjectType: 'edition', subjectId: e.edition.id, details: { year: e.edition.year, rows: rows.length } }, now);
  return { filename: `arets-misstag-${e.edition.year}-${t('exports.file.entries')}.csv`, csv, rows: rows.length };
}

/** Vote counts per entry. Refused while voting is open or before it (V3): only totals then. */
export async function votesCsv(db: Queryable, e: editions.EditionWithPhase, locale: Locale, actorId: number, now: Date): Promise<CsvFile> {
  if (!canExportVotes(e.phase)) throw new AppError(409, 'exports.votesNotYet', undefined, 'exports.title');
  const t = (k: string) => translate(locale, k);
  const standings = await voting.standings(db, e.edition.id);
  const departments = await nominations.departmentNames(db, standings.map((s) => s.nominationId));
  const csv = toCsv(
    ['id', 'title', 'department', 'votes'].map((k) => t(`exports.col.${k}`)),
    standings.map((s) => [s.nominationId, s.title, departments.get(s.nominationId) ?? '', s.votes]),
  );
  await audit.record(db, { actorId, action: 'export.votes', subjectType: 'edition', subjectId: e.edition.id, details: { year: e.edition.year, rows: standings.length } }, now);
  return { filename: `arets-misstag-${e.edition.year}-${t('exports.file.votes')}.csv`, csv, rows: standings.length };
}

export function canExportVotes(phase: editions.PhaseState): boolean {
  return voting.canSeeCounts({ admin: true, jury: false }, phase);
}

/** Every juror's scores per criterion (not their private notes). */
export async function scoresCsv(db: Queryable, e: editions.EditionWithPhase, locale: Locale, actorId: number, now: Date): Promise<CsvFile> {
  const t = (k: string) => translate(locale, k);
  const rows = await queries.scores(db, e.edition.id);
  const csv = toCsv(
    ['id', 'title', 'juror', 'criterion', 'weight', 'score', 'submitted'].map((k) => t(`exports.col.${k}`)),
    rows.map((r) => [r.entryId, r.title, r.jurorName, locale === 'en' ? r.criterionEn : r.criterionSv, decimal(r.weight, 1), r.value, r.submitted ? t('exports.yes') : t('exports.no')]),
  );
  await audit.record(db, { actorId, action: 'export.scores', subjectType: 'edition', subjectId: e.edition.id, details: { year: e.edition.year, rows: rows.length } }, now);
  return { filename: `arets-misstag-${e.edition.year}-${t('exports.file.scores')}.csv`, csv, rows: rows.length };
}

/**
 * The finalists report for the jury meeting: the chosen finalists, or — before the chair has chosen —
 * the best-ranked entries, each with its lesson and the jury's figures (and votes once voting closed).
 */
export async function finalistsReport(db: Queryable, e: editions.EditionWithPhase, actorId: number, compareText: (a: string, b: string) => number, now: Date) {
  const ranking = await jury.ranking(db, e.edition, e.phase, { id: actorId, admin: true, jury: false }, { key: 'normalized', dir: 'desc' }, compareText);
  const decision = await jury.decision(db, e.edition.id);
  const chosen = decision.finalistIds.length > 0;
  const ids = chosen ? decision.finalistIds : ranking.rows.slice(0, Math.max(e.edition.finalistCount * 2, 6)).map((r) => r.entryId);
  const entries = await entryRows(db, e.edition.id);
  const byId = new Map(entries.map((x) => [x.id, x]));
  const rankOf = new Map(ranking.rows.map((r, i) => [r.entryId, { ...r, place: i + 1 }]));
  const items = ids
    .map((id) => ({ entry: byId.get(id), figures: rankOf.get(id) ?? null, winner: decision.winnerId === id }))
    .filter((x): x is { entry: EntryRow; figures: (typeof ranking.rows)[number] & { place: number }; winner: boolean } => Boolean(x.entry && x.figures));
  await audit.record(db, { actorId, action: 'export.finalists', subjectType: 'edition', subjectId: e.edition.id, details: { year: e.edition.year, entries: items.length } }, now);
  return {
    edition: e.edition,
    chosen,
    locked: decision.lockedAt !== null,
    motivation: decision.motivation,
    votesShown: ranking.votesShown,
    jurors: ranking.jurors,
    minScores: ranking.minScores,
    items,
  };
}
