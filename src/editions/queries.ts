import type { Queryable } from '../db';
import { toDate } from '../db';
import type { EditionTimeline, Override } from './phases';

export type Edition = EditionTimeline & {
  id: number;
  year: number;
  title: string;
  introSv: string | null;
  introEn: string | null;
  voteBudget: number;
  finalistCount: number;
  minScores: number;
  /** Goes up each time the ceremony's date changes (the calendar invitation's SEQUENCE, R10). */
  ceremonySequence: number;
  /** When the ceremony's date was last changed; null if never since the edition was made. */
  ceremonyChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

type Row = Record<string, unknown>;

const override = (v: unknown): Override => (v === 'open' || v === 'closed' ? v : null);

export function toEdition(r: Row): Edition {
  return {
    id: Number(r.id),
    year: Number(r.year),
    title: String(r.title),
    introSv: (r.intro_sv as string | null) ?? null,
    introEn: (r.intro_en as string | null) ?? null,
    voteBudget: Number(r.vote_budget),
    finalistCount: Number(r.finalist_count),
    minScores: Number(r.min_scores),
    ceremonySequence: Number(r.ceremony_sequence ?? 0),
    ceremonyChangedAt: toDate(r.ceremony_changed_at),
    nominationOpensAt: toDate(r.nomination_opens_at),
    nominationClosesAt: toDate(r.nomination_closes_at),
    votingOpensAt: toDate(r.voting_opens_at),
    votingClosesAt: toDate(r.voting_closes_at),
    judgingOpensAt: toDate(r.judging_opens_at),
    judgingClosesAt: toDate(r.judging_closes_at),
    ceremonyAt: toDate(r.ceremony_at),
    nominationOverride: override(r.nomination_override),
    votingOverride: override(r.voting_override),
    judgingOverride: override(r.judging_override),
    revealedAt: toDate(r.revealed_at),
    archivedAt: toDate(r.archived_at),
    createdAt: toDate(r.created_at) ?? new Date(0),
    updatedAt: toDate(r.updated_at) ?? new Date(0),
  };
}

/**
 * The current edition (SPEC §3: only one is current at a time): the oldest one not yet archived. Next
 * year's edition can be prepared (copied in edition setup) while this year's runs; it becomes current
 * when this one is archived.
 */
export async function findCurrent(db: Queryable): Promise<Edition | null> {
  const row = await db('editions').whereNull('archived_at').orderBy('year', 'asc').first();
  return row ? toEdition(row) : null;
}

export async function findByYear(db: Queryable, year: number): Promise<Edition | null> {
  const row = await db('editions').where({ year }).first();
  return row ? toEdition(row) : null;
}

export async function findById(db: Queryable, id: number): Promise<Edition | null> {
  const row = await db('editions').where({ id }).first();
  return row ? toEdition(row) : null;
}

export async function listAll(db: Queryable): Promise<Edition[]> {
  const rows = await db('editions').orderBy('year', 'desc');
  return rows.map(toEdition);
}

export type Department = { id: number; editionId: number; name: string; sortOrder: number };

export async function listDepartments(db: Queryable, editionId: number): Promise<Department[]> {
  const rows = await db('departments').where({ edition_id: editionId }).orderBy(['sort_order', 'name']);
  return rows.map((r: Row) => ({
    id: Number(r.id),
    editionId: Number(r.edition_id),
    name: String(r.name),
    sortOrder: Number(r.sort_order),
  }));
}

/** What one level (1–5) of a criterion's scale means, in both languages (SPEC J2). */
export type LevelText = { sv: string; en: string };

export type Criterion = {
  id: number;
  editionId: number;
  key: string;
  nameSv: string;
  nameEn: string;
  descriptionSv: string;
  descriptionEn: string;
  levels: LevelText[];
  weight: number;
  sortOrder: number;
};

export async function listCriteria(db: Queryable, editionId: number): Promise<Criterion[]> {
  const rows = await db('criteria').where({ edition_id: editionId }).orderBy(['sort_order', 'id']);
  return rows.map((r: Row) => ({
    id: Number(r.id),
    editionId: Number(r.edition_id),
    key: String(r.key),
    nameSv: String(r.name_sv),
    nameEn: String(r.name_en),
    descriptionSv: String(r.description_sv ?? ''),
    descriptionEn: String(r.description_en ?? ''),
    levels: JSON.parse(String(r.levels ?? '[]')) as LevelText[],
    weight: Number(r.weight),
    sortOrder: Number(r.sort_order),
  }));
}

export type NewEdition = {
  year: number;
  title: string;
  introSv?: string | null;
  introEn?: string | null;
  voteBudget?: number;
  finalistCount?: number;
  minScores?: number;
  nominationOpensAt?: Date | null;
  nominationClosesAt?: Date | null;
  votingOpensAt?: Date | null;
  votingClosesAt?: Date | null;
  judgingOpensAt?: Date | null;
  judgingClosesAt?: Date | null;
  ceremonyAt?: Date | null;
  revealedAt?: Date | null;
  archivedAt?: Date | null;
};

export async function insertEdition(db: Queryable, e: NewEdition, now: Date): Promise<number> {
  const [row] = await db('editions')
    .insert({
      year: e.year,
      title: e.title,
      intro_sv: e.introSv ?? null,
      intro_en: e.introEn ?? null,
      vote_budget: e.voteBudget ?? 1,
      finalist_count: e.finalistCount ?? 3,
      min_scores: e.minScores ?? 3,
      nomination_opens_at: e.nominationOpensAt ?? null,
      nomination_closes_at: e.nominationClosesAt ?? null,
      voting_opens_at: e.votingOpensAt ?? null,
      voting_closes_at: e.votingClosesAt ?? null,
      judging_opens_at: e.judgingOpensAt ?? null,
      judging_closes_at: e.judgingClosesAt ?? null,
      ceremony_at: e.ceremonyAt ?? null,
      revealed_at: e.revealedAt ?? null,
      archived_at: e.archivedAt ?? null,
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function insertDepartments(db: Queryable, editionId: number, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await db('departments').insert(names.map((name, i) => ({ edition_id: editionId, name, sort_order: i })));
}

export async function insertCriteria(
  db: Queryable,
  editionId: number,
  criteria: Array<Omit<Criterion, 'id' | 'editionId' | 'sortOrder'>>,
): Promise<void> {
  if (criteria.length === 0) return;
  await db('criteria').insert(
    criteria.map((c, i) => ({
      edition_id: editionId,
      key: c.key,
      name_sv: c.nameSv,
      name_en: c.nameEn,
      description_sv: c.descriptionSv,
      description_en: c.descriptionEn,
      levels: JSON.stringify(c.levels),
      weight: c.weight,
      sort_order: i,
    })),
  );
}

// ---- Edition setup (R1): writes used by the admin pages -------------------------------------------

export type EditionSettings = {
  title: string;
  introSv: string | null;
  introEn: string | null;
  voteBudget: number;
  finalistCount: number;
  nominationOpensAt: Date | null;
  nominationClosesAt: Date | null;
  votingOpensAt: Date | null;
  votingClosesAt: Date | null;
  judgingOpensAt: Date | null;
  judgingClosesAt: Date | null;
  ceremonyAt: Date | null;
};

export async function updateSettings(db: Queryable, id: number, s: EditionSettings, now: Date, ceremonyMoved = false): Promise<void> {
  await db('editions').where({ id }).update({
    ...(ceremonyMoved ? { ceremony_sequence: db.raw('ceremony_sequence + 1'), ceremony_changed_at: now } : {}),
    title: s.title,
    intro_sv: s.introSv,
    intro_en: s.introEn,
    vote_budget: s.voteBudget,
    finalist_count: s.finalistCount,
    nomination_opens_at: s.nominationOpensAt,
    nomination_closes_at: s.nominationClosesAt,
    voting_opens_at: s.votingOpensAt,
    voting_closes_at: s.votingClosesAt,
    judging_opens_at: s.judgingOpensAt,
    judging_closes_at: s.judgingClosesAt,
    ceremony_at: s.ceremonyAt,
    updated_at: now,
  });
}

export type PhaseName = 'nomination' | 'voting' | 'judging';

export async function setOverride(db: Queryable, id: number, phase: PhaseName, value: Override, now: Date): Promise<void> {
  await db('editions').where({ id }).update({ [`${phase}_override`]: value, updated_at: now });
}

export async function setArchived(db: Queryable, id: number, now: Date): Promise<number> {
  return db('editions').where({ id }).whereNull('archived_at').update({ archived_at: now, updated_at: now });
}

/**
 * How many nominations use each department of the edition (a used department cannot be removed).
 * Read here and not through the nominations service: nominations depends on editions (phases, departments),
 * so editions asking nominations would be an import cycle.
 */
export async function departmentUse(db: Queryable, editionId: number): Promise<Map<number, number>> {
  const rows = await db('nominations').where({ edition_id: editionId }).whereNotNull('department_id').groupBy('department_id').select('department_id').count({ n: '*' });
  return new Map(rows.map((r: Row) => [Number(r.department_id), Number(r.n)]));
}

export async function deleteDepartment(db: Queryable, id: number): Promise<void> {
  await db('departments').where({ id }).del();
}

export async function updateDepartmentOrder(db: Queryable, id: number, sortOrder: number): Promise<void> {
  await db('departments').where({ id }).update({ sort_order: sortOrder });
}

export async function insertDepartment(db: Queryable, editionId: number, name: string, sortOrder: number): Promise<void> {
  await db('departments').insert({ edition_id: editionId, name, sort_order: sortOrder });
}

type CriterionEdit = { nameSv: string; nameEn: string; descriptionSv: string; descriptionEn: string; weight: number; sortOrder: number };

/** `levels` null keeps the stored level texts. */
export async function updateCriterion(db: Queryable, id: number, c: CriterionEdit & { levels: LevelText[] | null }): Promise<void> {
  await db('criteria').where({ id }).update({
    name_sv: c.nameSv,
    name_en: c.nameEn,
    description_sv: c.descriptionSv,
    description_en: c.descriptionEn,
    ...(c.levels ? { levels: JSON.stringify(c.levels) } : {}),
    weight: c.weight,
    sort_order: c.sortOrder,
  });
}

export async function deleteCriterion(db: Queryable, id: number): Promise<void> {
  await db('criteria').where({ id }).del();
}

export async function insertCriterion(
  db: Queryable,
  editionId: number,
  c: CriterionEdit & { key: string; levels: LevelText[] },
): Promise<void> {
  await db('criteria').insert({
    edition_id: editionId,
    key: c.key,
    name_sv: c.nameSv,
    name_en: c.nameEn,
    description_sv: c.descriptionSv,
    description_en: c.descriptionEn,
    levels: JSON.stringify(c.levels),
    weight: c.weight,
    sort_order: c.sortOrder,
  });
}

export async function criterionHasScores(db: Queryable, criterionId: number): Promise<boolean> {
  return Boolean(await db('scores').where({ criterion_id: criterionId }).first('id'));
}
