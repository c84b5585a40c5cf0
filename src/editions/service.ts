// Editions as the rest of the app sees them: the current one and its phase at a given instant.
import type { Queryable } from '../db';
import * as queries from './queries';
import { cachedRead } from '../read-cache';
import { phaseAt, type PhaseState } from './phases';
import { DEFAULT_CRITERIA, DEFAULT_DEPARTMENTS } from './defaults';

export type { Edition, Department, Criterion } from './queries';
export type { PhaseState, Stage } from './phases';
export { phaseAt } from './phases';

export type EditionWithPhase = { edition: queries.Edition; phase: PhaseState };

export async function current(db: Queryable, now: Date): Promise<EditionWithPhase | null> {
  // Kept in memory (src/read-cache.ts): the viewer's roles, the voting panel and the page all ask.
  const edition = await cachedRead(db, 'editions.current', ['editions'], () => queries.findCurrent(db));
  return edition ? { edition, phase: phaseAt(edition, now) } : null;
}

export async function byYear(db: Queryable, year: number, now: Date): Promise<EditionWithPhase | null> {
  const edition = await queries.findByYear(db, year);
  return edition ? { edition, phase: phaseAt(edition, now) } : null;
}

// An edition's departments and criteria: on nearly every page (gallery filter, home, forms) and changed
// only by an admin, so read from memory until the table is written (src/read-cache.ts). Callers must
// not change the arrays they get.
export const departments = (db: Queryable, editionId: number) => cachedRead(db, `editions.departments:${editionId}`, ['departments'], () => queries.listDepartments(db, editionId));
export const criteria = (db: Queryable, editionId: number) => cachedRead(db, `editions.criteria:${editionId}`, ['criteria'], () => queries.listCriteria(db, editionId));
export const all = queries.listAll;
// Not from memory: the ceremony's screens render from it when another instance announces a change (a
// reveal), and a copy kept here for a second would render the old state with no later change to fix it.
export const findById = queries.findById;
/**
 * From memory, for a page a person opens (the entry page reads it twice): on another instance it may be
 * up to a second old (src/read-cache.ts), which the next page view puts right. Not for anything that
 * renders on a change notice.
 */
export const findByIdForPage = (db: Queryable, id: number) => cachedRead(db, `editions.byId:${id}`, ['editions'], () => queries.findById(db, id));

/** A new edition with the default criteria and departments (or the ones given). */
export async function create(
  db: Queryable,
  fields: queries.NewEdition,
  now: Date,
  options: { departments?: string[] } = {},
): Promise<number> {
  const id = await queries.insertEdition(db, fields, now);
  await queries.insertDepartments(db, id, options.departments ?? DEFAULT_DEPARTMENTS);
  await queries.insertCriteria(db, id, DEFAULT_CRITERIA);
  return id;
}
