// Edition setup for admins (SPEC R1): save the settings, open or close a phase early, copy the edition
// to next year, archive it. Every change is audited (R4). Kept apart from service.ts, which the whole
// app reads, because archiving also calls into voting (V4: the voter links are erased).
import type { Knex } from 'knex';
import type { Db, Queryable } from '../db';
import { ValidationError, conflict, notFound, type FieldErrors } from '../errors';
import * as audit from '../audit/service';
import * as voting from '../voting/service';
import * as queries from './queries';
import * as editionService from './service';
import { phaseAt } from './phases';
import { nextTitle, shiftOneYear, type ParsedSettings } from './validation';
import { DEFAULT_LEVELS } from './defaults';

async function editableEdition(db: Queryable, id: number): Promise<queries.Edition> {
  const edition = await queries.findById(db, id);
  if (!edition) throw notFound();
  if (edition.archivedAt) throw conflict('editions.error.archived');
  return edition;
}

function slug(text: string): string {
  const s = text
    .toLocaleLowerCase('sv-SE')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30);
  return s || 'criterion';
}

/** Saves what the form holds. Throws ValidationError (without a view) for problems that need the database. */
export async function saveSettings(db: Knex, editionId: number, parsed: ParsedSettings, actorId: number, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    const edition = await editableEdition(trx, editionId);
    const errors: FieldErrors = {};

    // Departments: keep the ones still listed (in the new order), add new ones, remove unused ones.
    const existing = await queries.listDepartments(trx, editionId);
    const use = await queries.departmentUse(trx, editionId);
    const byName = new Map(existing.map((d) => [d.name.toLocaleLowerCase('sv-SE'), d]));
    const wanted = new Set(parsed.departments.map((n) => n.toLocaleLowerCase('sv-SE')));
    for (const d of existing) {
      if (wanted.has(d.name.toLocaleLowerCase('sv-SE'))) continue;
      if ((use.get(d.id) ?? 0) > 0) {
        errors.departments = { key: 'editions.error.departmentInUse', params: { name: d.name } };
        continue;
      }
      await queries.deleteDepartment(trx, d.id);
    }
    for (const [i, name] of parsed.departments.entries()) {
      const found = byName.get(name.toLocaleLowerCase('sv-SE'));
      if (found) await queries.updateDepartmentOrder(trx, found.id, i);
      else await queries.insertDepartment(trx, editionId, name, i);
    }

    // Criteria: names, weights and level texts; new ones get a key (and the general level texts if the
    // form sent none); a criterion with scores cannot be removed.
    const criteria = await queries.listCriteria(trx, editionId);
    const known = new Map(criteria.map((c) => [c.id, c]));
    const keys = new Set(criteria.map((c) => c.key));
    let order = 0;
    for (const row of parsed.criteria) {
      if (row.id !== null && !known.has(row.id)) {
        errors.criteria = { key: 'editions.error.criterionUnknown' };
        continue;
      }
      if (row.remove) {
        if (row.id === null) continue;
        if (await queries.criterionHasScores(trx, row.id)) {
          errors.criteria = { key: 'editions.error.criterionScored', params: { name: known.get(row.id)!.nameSv } };
          continue;
        }
        await queries.deleteCriterion(trx, row.id);
        continue;
      }
      if (row.id !== null) {
        await queries.updateCriterion(trx, row.id, { ...row, sortOrder: order++ });
      } else {
        let key = slug(row.nameEn || row.nameSv);
        for (let n = 2; keys.has(key); n++) key = `${slug(row.nameEn || row.nameSv)}-${n}`;
        keys.add(key);
        await queries.insertCriterion(trx, editionId, { ...row, key, sortOrder: order++, levels: row.levels ?? DEFAULT_LEVELS.map((l) => ({ ...l })) });
      }
    }

    // Lowering the budget below what someone has already used would leave them over it.
    if (parsed.settings.voteBudget < edition.voteBudget) {
      const used = await voting.largestBallot(trx, editionId);
      if (used > parsed.settings.voteBudget) errors.voteBudget = { key: 'editions.error.budgetBelowUsed', params: { used } };
    }

    if (Object.keys(errors).length > 0) throw new ValidationError(errors); // rolls everything back

    const ceremonyMoved = (edition.ceremonyAt?.getTime() ?? null) !== (parsed.settings.ceremonyAt?.getTime() ?? null);
    await queries.updateSettings(trx, editionId, parsed.settings, now, ceremonyMoved);
    const before = edition as unknown as Record<string, unknown>;
    const changed = Object.entries(parsed.settings)
      .filter(([k, v]) => (v instanceof Date ? v.getTime() : v) !== (before[k] instanceof Date ? (before[k] as Date).getTime() : before[k]))
      .map(([k]) => k);
    await audit.record(
      trx,
      { actorId, action: 'edition.updated', subjectType: 'edition', subjectId: editionId, details: { year: edition.year, changed, departments: parsed.departments.length, criteria: parsed.criteria.filter((c) => !c.remove).length } },
      now,
    );
  });
}

export type OverrideChoice = 'open' | 'closed' | 'dates';

/** Opens or closes a phase now, or goes back to following the dates (SPEC §3). */
export async function setPhaseOverride(db: Knex, editionId: number, phase: queries.PhaseName, choice: OverrideChoice, actorId: number, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    const edition = await editableEdition(trx, editionId);
    const value = choice === 'dates' ? null : choice;
    await queries.setOverride(trx, editionId, phase, value, now);
    const after = phaseAt({ ...edition, [`${phase}Override`]: value }, now);
    await audit.record(
      trx,
      { actorId, action: 'phase.override', subjectType: 'edition', subjectId: editionId, details: { year: edition.year, phase, override: choice, previous: edition[`${phase}Override`] ?? 'dates', openNow: after[`${phase}Open`] } },
      now,
    );
  });
}

/** A new edition with the default criteria and departments (e.g. the first one on a new installation). */
export async function createEdition(db: Knex, year: number, title: string, actorId: number, now: Date): Promise<number> {
  return db.transaction(async (trx) => {
    if (await queries.findByYear(trx, year)) throw new ValidationError({ year: { key: 'editions.error.yearExists', params: { year } } });
    // An older year would become the current edition (the oldest one not archived): only later years.
    const latest = Math.max(0, ...(await queries.listAll(trx)).map((e) => e.year));
    if (year < latest) throw new ValidationError({ year: { key: 'editions.error.yearTooEarly', params: { year: latest } } });
    const id = await editionService.create(trx, { year, title }, now);
    await audit.record(trx, { actorId, action: 'edition.created', subjectType: 'edition', subjectId: id, details: { year } }, now);
    return id;
  });
}

/** Next year's edition with this one's settings, dates a year later, criteria and departments (R1). */
export async function copyToNextYear(db: Knex, editionId: number, actorId: number, now: Date): Promise<{ id: number; year: number }> {
  return db.transaction(async (trx) => {
    const source = await queries.findById(trx, editionId);
    if (!source) throw notFound();
    const year = source.year + 1;
    if (await queries.findByYear(trx, year)) throw conflict('editions.error.yearExists', { year });
    const id = await queries.insertEdition(
      trx,
      {
        year,
        title: nextTitle(source.title, source.year),
        introSv: source.introSv,
        introEn: source.introEn,
        voteBudget: source.voteBudget,
        finalistCount: source.finalistCount,
        minScores: source.minScores,
        nominationOpensAt: shiftOneYear(source.nominationOpensAt),
        nominationClosesAt: shiftOneYear(source.nominationClosesAt),
        votingOpensAt: shiftOneYear(source.votingOpensAt),
        votingClosesAt: shiftOneYear(source.votingClosesAt),
        judgingOpensAt: shiftOneYear(source.judgingOpensAt),
        judgingClosesAt: shiftOneYear(source.judgingClosesAt),
        ceremonyAt: shiftOneYear(source.ceremonyAt),
      },
      now,
    );
    await queries.insertDepartments(trx, id, (await queries.listDepartments(trx, editionId)).map((d) => d.name));
    await queries.insertCriteria(trx, id, await queries.listCriteria(trx, editionId));
    await audit.record(trx, { actorId, action: 'edition.created', subjectType: 'edition', subjectId: id, details: { year, copiedFrom: source.year } }, now);
    return { id, year };
  });
}

/**
 * Archives the edition and, in the same transaction, turns its votes into counts (V4, R6); then scrubs
 * the database files so the erased ballots are gone for a forensic reader too.
 */
export async function archive(db: Db, editionId: number, actorId: number, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    const edition = await editableEdition(trx, editionId);
    await queries.setArchived(trx, editionId, now);
    const erased = await voting.eraseVoterLinks(trx, editionId);
    await audit.record(trx, { actorId, action: 'edition.archived', subjectType: 'edition', subjectId: editionId, details: { year: edition.year, voterLinksErased: erased } }, now);
  });
  await voting.scrubErasedBallots(db);
}
