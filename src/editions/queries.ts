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

/** The current edition: the newest one not archived (SPEC §3: only one is current at a time). */
export async function findCurrent(db: Queryable): Promise<Edition | null> {
  const row = await db('editions').whereNull('archived_at').orderBy('year', 'desc').first();
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

export type Criterion = {
  id: number;
  editionId: number;
  key: string;
  nameSv: string;
  nameEn: string;
  descriptionSv: string;
  descriptionEn: string;
  levels: Array<{ sv: string; en: string }>;
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
    levels: JSON.parse(String(r.levels ?? '[]')) as Array<{ sv: string; en: string }>,
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
