// The jury's tables (db/migrations/005 and 006): members, scores, reviews, jäv, finalists and the result.
// Knex only; rows come back as plain typed objects.
import type { Queryable } from '../db';
import { selectArrays, toBool, toDate, toNumber } from '../db';

type Row = Record<string, unknown>;

export type JuryRole = { member: boolean; chair: boolean };

export async function juryRole(db: Queryable, editionId: number, userId: number): Promise<JuryRole> {
  const row = await db('jury_members').where({ edition_id: editionId, user_id: userId }).first();
  return { member: Boolean(row), chair: row ? toBool(row.is_chair) : false };
}

// ---- Members (J1) ----

export type JuryMember = { userId: number; name: string; email: string; department: string | null; isChair: boolean; anonymised: boolean };

export async function listMembers(db: Queryable, editionId: number): Promise<JuryMember[]> {
  const rows = await db('jury_members as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where('m.edition_id', editionId)
    .select('m.user_id', 'm.is_chair', 'u.name', 'u.email', 'u.department', 'u.anonymised_at')
    .orderBy('m.id');
  return rows.map((r: Row) => ({
    userId: Number(r.user_id),
    name: String(r.name),
    email: String(r.email),
    department: (r.department as string | null) ?? null,
    isChair: toBool(r.is_chair),
    anonymised: r.anonymised_at != null,
  }));
}

export async function insertMember(db: Queryable, editionId: number, userId: number, now: Date): Promise<void> {
  await db('jury_members').insert({ edition_id: editionId, user_id: userId, is_chair: false, created_at: now });
}

export async function deleteMember(db: Queryable, editionId: number, userId: number): Promise<number> {
  return db('jury_members').where({ edition_id: editionId, user_id: userId }).delete();
}

/** Makes one member the chair; the partial unique index allows only one, so the old chair goes first. */
export async function setChair(db: Queryable, editionId: number, userId: number): Promise<void> {
  await db('jury_members').where({ edition_id: editionId }).update({ is_chair: false });
  await db('jury_members').where({ edition_id: editionId, user_id: userId }).update({ is_chair: true });
}

export type UserHit = { id: number; name: string; email: string; department: string | null };

/** Users whose name or e-mail contains the text (case-insensitive for ASCII on SQLite, fully on PostgreSQL). */
export async function searchUsers(db: Queryable, text: string, limit: number): Promise<UserHit[]> {
  const like = `%${text.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
  const lower = like.toLowerCase();
  const rows = await db('users')
    .whereNull('anonymised_at')
    .where((q) =>
      q
        .whereRaw("lower(name) like ? escape '\\'", [lower])
        .orWhereRaw("name like ? escape '\\'", [like])
        .orWhereRaw("lower(email) like ? escape '\\'", [lower]),
    )
    .select('id', 'name', 'email', 'department')
    .orderBy('name')
    .limit(limit);
  return rows.map((r: Row) => ({ id: Number(r.id), name: String(r.name), email: String(r.email), department: (r.department as string | null) ?? null }));
}

// ---- Entries' attachments (the entries themselves come from the nominations service) ----

/** An entry's attachment as the scoring page shows it (J3, N7): never the stored file name. */
export type JuryAttachment = { id: number; name: string; mime: string; sizeBytes: number; width: number | null; height: number | null; hasThumbnail: boolean };

/** The attachments of one entry, in upload order: one statement. */
export async function listAttachments(db: Queryable, entryId: number): Promise<JuryAttachment[]> {
  const rows: Row[] = await db('attachments')
    .where({ nomination_id: entryId })
    .orderBy('id')
    .select('id', 'original_name', 'mime', 'size_bytes', 'width', 'height', 'has_thumbnail');
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.original_name),
    mime: String(r.mime),
    sizeBytes: toNumber(r.size_bytes),
    width: r.width === null || r.width === undefined ? null : Number(r.width),
    height: r.height === null || r.height === undefined ? null : Number(r.height),
    hasThumbnail: toBool(r.has_thumbnail),
  }));
}

// ---- Scores, reviews and jäv ----

export type Score = { entryId: number; jurorId: number; criterionId: number; value: number };

export async function listScores(db: Queryable, editionId: number, filter: { entryId?: number; jurorId?: number } = {}): Promise<Score[]> {
  const q = db('scores as s').join('nominations as n', 'n.id', 's.nomination_id').where('n.edition_id', editionId);
  if (filter.entryId !== undefined) q.andWhere('s.nomination_id', filter.entryId);
  if (filter.jurorId !== undefined) q.andWhere('s.juror_id', filter.jurorId);
  const rows: Row[] = await q.select('s.nomination_id', 's.juror_id', 's.criterion_id', 's.value');
  return rows.map((r) => ({ entryId: Number(r.nomination_id), jurorId: Number(r.juror_id), criterionId: Number(r.criterion_id), value: Number(r.value) }));
}

/**
 * Every score of the edition's published entries for the given criteria, read as one row per (entry,
 * juror) with a column per criterion: a quarter of the rows of listScores, which is what the ranking's
 * time went into (issue 9). Gives the same scores as listScores, filtered to those criteria.
 */
export async function listPublishedScores(db: Queryable, editionId: number, criterionIds: number[]): Promise<Score[]> {
  if (criterionIds.length === 0) return [];
  // One row per (entry, juror) with a column per criterion, read as arrays: 2,100 rows for 300 entries
  // and 7 jurors instead of 8,400 (selectArrays: no object per row).
  const rows = await selectArrays(
    db,
    db('nominations as n')
      .join('scores as s', 's.nomination_id', 'n.id')
      .where({ 'n.edition_id': editionId, 'n.status': 'published' })
      // Grouped by n.id (= s.nomination_id): the groups then come in the index's order, without a sort.
      .groupBy('n.id', 's.juror_id')
      .select('n.id as nomination_id', 's.juror_id', ...criterionIds.map((id, i) => db.raw('max(case when s.criterion_id = ? then s.value end) as ??', [id, `c${i}`]))),
  );
  const out: Score[] = [];
  for (const r of rows) {
    const entryId = Number(r[0]);
    const jurorId = Number(r[1]);
    for (let i = 0; i < criterionIds.length; i++) {
      const value = r[i + 2];
      if (value !== null && value !== undefined) out.push({ entryId, jurorId, criterionId: criterionIds[i], value: Number(value) });
    }
  }
  return out;
}

export async function upsertScore(db: Queryable, s: Score, now: Date): Promise<void> {
  await db('scores')
    .insert({ nomination_id: s.entryId, juror_id: s.jurorId, criterion_id: s.criterionId, value: s.value, updated_at: now })
    .onConflict(['nomination_id', 'juror_id', 'criterion_id'])
    .merge(['value', 'updated_at']);
}

export type Review = { entryId: number; jurorId: number; note: string; submittedAt: Date | null; updatedAt: Date | null };

export async function listReviews(db: Queryable, editionId: number, filter: { entryId?: number; jurorId?: number } = {}): Promise<Review[]> {
  const q = db('jury_reviews as r').join('nominations as n', 'n.id', 'r.nomination_id').where('n.edition_id', editionId);
  if (filter.entryId !== undefined) q.andWhere('r.nomination_id', filter.entryId);
  if (filter.jurorId !== undefined) q.andWhere('r.juror_id', filter.jurorId);
  const rows: Row[] = await q.select('r.nomination_id', 'r.juror_id', 'r.note', 'r.submitted_at', 'r.updated_at');
  return rows.map((r) => ({
    entryId: Number(r.nomination_id),
    jurorId: Number(r.juror_id),
    note: String(r.note ?? ''),
    submittedAt: toDate(r.submitted_at),
    updatedAt: toDate(r.updated_at),
  }));
}

/** The (entry, juror) pairs with a submitted review, without the notes: what the ranking counts. */
export async function listSubmittedPairs(db: Queryable, editionId: number): Promise<Array<{ entryId: number; jurorId: number }>> {
  const rows = await selectArrays(
    db,
    db('jury_reviews as r').join('nominations as n', 'n.id', 'r.nomination_id').where('n.edition_id', editionId).whereNotNull('r.submitted_at').select('r.nomination_id', 'r.juror_id'),
  );
  return rows.map((r) => ({ entryId: Number(r[0]), jurorId: Number(r[1]) }));
}

export async function upsertReview(db: Queryable, r: { entryId: number; jurorId: number; note: string; submittedAt?: Date }, now: Date): Promise<void> {
  const changes: Row = { note: r.note, updated_at: now };
  if (r.submittedAt) changes.submitted_at = r.submittedAt;
  await db('jury_reviews')
    .insert({ nomination_id: r.entryId, juror_id: r.jurorId, note: r.note, submitted_at: r.submittedAt ?? null, updated_at: now })
    .onConflict(['nomination_id', 'juror_id'])
    .merge(Object.keys(changes));
}

export type DeclaredConflict = { entryId: number; jurorId: number; reason: string; createdAt: Date | null };

export async function listDeclaredConflicts(db: Queryable, editionId: number): Promise<DeclaredConflict[]> {
  const rows: Row[] = await db('conflicts as c')
    .join('nominations as n', 'n.id', 'c.nomination_id')
    .where('n.edition_id', editionId)
    .select('c.nomination_id', 'c.juror_id', 'c.reason', 'c.created_at')
    .orderBy('c.id');
  return rows.map((r) => ({ entryId: Number(r.nomination_id), jurorId: Number(r.juror_id), reason: String(r.reason ?? ''), createdAt: toDate(r.created_at) }));
}

export async function insertConflict(db: Queryable, c: { entryId: number; jurorId: number; reason: string }, now: Date): Promise<void> {
  await db('conflicts').insert({ nomination_id: c.entryId, juror_id: c.jurorId, reason: c.reason, automatic: false, created_at: now });
}

export async function deleteConflict(db: Queryable, entryId: number, jurorId: number): Promise<number> {
  return db('conflicts').where({ nomination_id: entryId, juror_id: jurorId, automatic: false }).delete();
}

// ---- Decision (J7) ----

export type ResultRow = { winnerId: number | null; motivation: string; lockedAt: Date | null; lockedBy: number | null; finalistIds: number[] };

export async function findResult(db: Queryable, editionId: number): Promise<ResultRow | null> {
  const row = await db('results').where({ edition_id: editionId }).first();
  const finalists: Row[] = await db('finalists').where({ edition_id: editionId }).orderBy(['position', 'id']);
  if (!row && finalists.length === 0) return null;
  return {
    winnerId: row?.winner_nomination_id ? Number(row.winner_nomination_id) : null,
    motivation: String(row?.motivation ?? ''),
    lockedAt: toDate(row?.locked_at),
    lockedBy: row?.locked_by ? Number(row.locked_by) : null,
    finalistIds: finalists.map((f) => Number(f.nomination_id)),
  };
}

export async function saveDecision(
  db: Queryable,
  editionId: number,
  d: { finalistIds: number[]; winnerId: number | null; motivation: string },
  now: Date,
): Promise<void> {
  await db('finalists').where({ edition_id: editionId }).delete();
  if (d.finalistIds.length) {
    await db('finalists').insert(d.finalistIds.map((id, position) => ({ edition_id: editionId, nomination_id: id, position })));
  }
  await db('results')
    .insert({ edition_id: editionId, winner_nomination_id: d.winnerId, motivation: d.motivation, updated_at: now })
    .onConflict('edition_id')
    .merge(['winner_nomination_id', 'motivation', 'updated_at']);
}

export async function lockResult(db: Queryable, editionId: number, userId: number, now: Date): Promise<number> {
  return db('results').where({ edition_id: editionId }).whereNull('locked_at').update({ locked_at: now, locked_by: userId, updated_at: now });
}

export async function isLocked(db: Queryable, editionId: number): Promise<boolean> {
  const row = await db('results').where({ edition_id: editionId }).whereNotNull('locked_at').first('edition_id');
  return Boolean(row);
}

/** Unlocks a locked result (J7); 0 when it was not locked (a double submit, or a stale page). */
export async function unlockResult(db: Queryable, editionId: number, now: Date): Promise<number> {
  return db('results').where({ edition_id: editionId }).whereNotNull('locked_at').update({ locked_at: null, locked_by: null, updated_at: now });
}

/**
 * Whether the edition's result may still be unlocked: not revealed, not archived. Asked with an update
 * that changes nothing so that it holds the edition's row until the transaction ends: the reveal
 * (ceremony) marks that row, so an unlock and a reveal at the same moment run one after the other and
 * never leave a revealed edition without a locked result (PostgreSQL; SQLite runs one writer anyway).
 */
export async function holdUnrevealedEdition(db: Queryable, editionId: number): Promise<boolean> {
  const held = await db('editions').where({ id: editionId }).whereNull('revealed_at').whereNull('archived_at').update({ revealed_at: null });
  return held > 0;
}

export type ResultUnlock = { unlockedAt: Date; unlockedBy: number; unlockedByName: string; reason: string };

export async function insertUnlock(db: Queryable, u: { editionId: number; userId: number; reason: string }, now: Date): Promise<void> {
  await db('result_unlocks').insert({ edition_id: u.editionId, unlocked_by: u.userId, reason: u.reason, unlocked_at: now });
}

/** Every unlock of the edition's result, oldest first, with the name of who unlocked. */
export async function listUnlocks(db: Queryable, editionId: number): Promise<ResultUnlock[]> {
  const rows: Row[] = await db('result_unlocks as r')
    .join('users as u', 'u.id', 'r.unlocked_by')
    .where('r.edition_id', editionId)
    .select('r.unlocked_at', 'r.unlocked_by', 'r.reason', 'u.name')
    .orderBy('r.id');
  return rows.map((r) => ({ unlockedAt: toDate(r.unlocked_at)!, unlockedBy: Number(r.unlocked_by), unlockedByName: String(r.name), reason: String(r.reason) }));
}
