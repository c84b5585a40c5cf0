// Nominations, nominees (consent) and attachments: knex only, rows normalised to plain objects.
import type { Queryable } from '../db';
import { toBool, toDate, toNumber } from '../db';

export type Status = 'draft' | 'awaiting_consent' | 'in_moderation' | 'changes_requested' | 'published' | 'rejected' | 'withdrawn';
export type Consent = 'pending' | 'given' | 'declined' | 'withdrawn';
export type DeclinePolicy = 'remove' | 'keep_unpublished';

export type Nomination = {
  id: number;
  editionId: number;
  submitterId: number;
  submitterName: string;
  status: Status;
  title: string;
  whatHappened: string;
  lesson: string;
  changes: string;
  departmentId: number | null;
  departmentName: string | null;
  teamName: string | null;
  includesSelf: boolean;
  showSubmitter: boolean;
  declinePolicy: DeclinePolicy;
  eligibilityConfirmed: boolean;
  moderatorMessage: string | null;
  rejectionReason: string | null;
  version: number;
  submittedAt: Date | null;
  publishedAt: Date | null;
  withdrawnAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export type Nominee = {
  id: number;
  nominationId: number;
  userId: number | null;
  name: string;
  email: string;
  consent: Consent;
  consentToken: string;
  message: string | null;
  requestedAt: Date | null;
  respondedAt: Date | null;
};

export type Attachment = {
  id: number;
  nominationId: number;
  storageName: string;
  originalName: string;
  mime: string;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  hasThumbnail: boolean;
  createdAt: Date;
};

type Row = Record<string, unknown>;

function toNomination(r: Row): Nomination {
  return {
    id: Number(r.id),
    editionId: Number(r.edition_id),
    submitterId: Number(r.submitter_id),
    submitterName: String(r.submitter_name ?? ''),
    status: String(r.status) as Status,
    title: String(r.title ?? ''),
    whatHappened: String(r.what_happened ?? ''),
    lesson: String(r.lesson ?? ''),
    changes: String(r.changes ?? ''),
    departmentId: r.department_id === null || r.department_id === undefined ? null : Number(r.department_id),
    departmentName: (r.department_name as string | null) ?? null,
    teamName: (r.team_name as string | null) || null,
    includesSelf: toBool(r.includes_self),
    showSubmitter: toBool(r.show_submitter),
    declinePolicy: r.decline_policy === 'keep_unpublished' ? 'keep_unpublished' : 'remove',
    eligibilityConfirmed: toBool(r.eligibility_confirmed),
    moderatorMessage: (r.moderator_message as string | null) ?? null,
    rejectionReason: (r.rejection_reason as string | null) ?? null,
    version: Number(r.version),
    submittedAt: toDate(r.submitted_at),
    publishedAt: toDate(r.published_at),
    withdrawnAt: toDate(r.withdrawn_at),
    createdAt: toDate(r.created_at) ?? new Date(0),
    updatedAt: toDate(r.updated_at) ?? new Date(0),
  };
}

function toNominee(r: Row): Nominee {
  return {
    id: Number(r.id),
    nominationId: Number(r.nomination_id),
    userId: r.user_id === null || r.user_id === undefined ? null : Number(r.user_id),
    name: String(r.name),
    email: String(r.email),
    consent: String(r.consent) as Consent,
    consentToken: String(r.consent_token),
    message: (r.message as string | null) ?? null,
    requestedAt: toDate(r.requested_at),
    respondedAt: toDate(r.responded_at),
  };
}

function toAttachment(r: Row): Attachment {
  return {
    id: Number(r.id),
    nominationId: Number(r.nomination_id),
    storageName: String(r.storage_name),
    originalName: String(r.original_name),
    mime: String(r.mime),
    sizeBytes: toNumber(r.size_bytes),
    width: r.width === null || r.width === undefined ? null : Number(r.width),
    height: r.height === null || r.height === undefined ? null : Number(r.height),
    hasThumbnail: toBool(r.has_thumbnail),
    createdAt: toDate(r.created_at) ?? new Date(0),
  };
}

/** The columns toNomination() maps: every column but the search text and the form key, which only filter. */
const NOMINATION_COLUMNS = [
  'id', 'edition_id', 'submitter_id', 'status', 'title', 'what_happened', 'lesson', 'changes', 'department_id', 'team_name', 'includes_self', 'show_submitter',
  'decline_policy', 'eligibility_confirmed', 'moderator_message', 'rejection_reason', 'version', 'submitted_at', 'published_at', 'withdrawn_at', 'created_at', 'updated_at',
].map((c) => `n.${c}`);

const base = (db: Queryable) =>
  db('nominations as n')
    .leftJoin('users as u', 'u.id', 'n.submitter_id')
    .leftJoin('departments as d', 'd.id', 'n.department_id')
    .select(...NOMINATION_COLUMNS, 'u.name as submitter_name', 'd.name as department_name');

export async function findById(db: Queryable, id: number): Promise<Nomination | null> {
  const row = await base(db).where('n.id', id).first();
  return row ? toNomination(row) : null;
}

export async function findByFormKey(db: Queryable, submitterId: number, formKey: string): Promise<Nomination | null> {
  const row = await base(db).where({ 'n.submitter_id': submitterId, 'n.form_key': formKey }).first();
  return row ? toNomination(row) : null;
}

export async function listBySubmitter(db: Queryable, submitterId: number): Promise<Nomination[]> {
  const rows = await base(db).where('n.submitter_id', submitterId).orderBy('n.updated_at', 'desc').orderBy('n.id', 'desc');
  return rows.map(toNomination);
}

export async function listByIds(db: Queryable, ids: number[]): Promise<Nomination[]> {
  if (!ids.length) return [];
  const rows = await base(db).whereIn('n.id', ids);
  return rows.map(toNomination);
}

/** Status, edition and version of entries by id: whether a card kept in memory is still the entry as it is. */
export async function statesOf(db: Queryable, ids: number[]): Promise<Map<number, { status: Status; editionId: number; version: number; updatedAt: Date }>> {
  if (!ids.length) return new Map();
  const rows: Row[] = await db('nominations').whereIn('id', ids).select('id', 'status', 'edition_id', 'version', 'updated_at');
  return new Map(rows.map((r) => [Number(r.id), { status: String(r.status) as Status, editionId: Number(r.edition_id), version: Number(r.version), updatedAt: toDate(r.updated_at) ?? new Date(0) }]));
}

export async function listByStatus(db: Queryable, editionId: number, statuses: Status[]): Promise<Nomination[]> {
  const rows = await base(db).where('n.edition_id', editionId).whereIn('n.status', statuses).orderBy('n.submitted_at', 'asc').orderBy('n.id', 'asc');
  return rows.map(toNomination);
}

export type NominationFields = {
  title: string;
  whatHappened: string;
  lesson: string;
  changes: string;
  departmentId: number | null;
  teamName: string | null;
  includesSelf: boolean;
  showSubmitter: boolean;
  declinePolicy: DeclinePolicy;
  eligibilityConfirmed: boolean;
  searchText: string;
};

function fieldColumns(f: NominationFields): Row {
  return {
    title: f.title,
    what_happened: f.whatHappened,
    lesson: f.lesson,
    changes: f.changes,
    department_id: f.departmentId,
    team_name: f.teamName,
    includes_self: f.includesSelf,
    show_submitter: f.showSubmitter,
    decline_policy: f.declinePolicy,
    eligibility_confirmed: f.eligibilityConfirmed,
    search_text: f.searchText,
  };
}

export async function insertNomination(db: Queryable, n: { editionId: number; submitterId: number; formKey: string | null; fields: NominationFields }, now: Date): Promise<number> {
  const [row] = await db('nominations')
    .insert({ edition_id: n.editionId, submitter_id: n.submitterId, form_key: n.formKey, status: 'draft', ...fieldColumns(n.fields), created_at: now, updated_at: now })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

/** Optimistic update: only when the stored version is `version`; returns whether it changed. */
export async function updateFields(db: Queryable, id: number, version: number, fields: NominationFields, now: Date): Promise<boolean> {
  const n = await db('nominations').where({ id, version }).update({ ...fieldColumns(fields), version: version + 1, updated_at: now });
  return n === 1;
}

export async function updateStatus(db: Queryable, id: number, changes: Partial<{ status: Status; submittedAt: Date | null; publishedAt: Date | null; withdrawnAt: Date | null; moderatorMessage: string | null; rejectionReason: string | null }>, now: Date): Promise<void> {
  const row: Row = { updated_at: now };
  if (changes.status !== undefined) row.status = changes.status;
  if (changes.submittedAt !== undefined) row.submitted_at = changes.submittedAt;
  if (changes.publishedAt !== undefined) row.published_at = changes.publishedAt;
  if (changes.withdrawnAt !== undefined) row.withdrawn_at = changes.withdrawnAt;
  if (changes.moderatorMessage !== undefined) row.moderator_message = changes.moderatorMessage;
  if (changes.rejectionReason !== undefined) row.rejection_reason = changes.rejectionReason;
  await db('nominations').where({ id }).update(row);
}

/** Moderator typo fixes: texts only, a new version. */
export async function updateTexts(db: Queryable, id: number, t: { title: string; whatHappened: string; lesson: string; changes: string; teamName: string | null; searchText: string }, now: Date): Promise<void> {
  await db('nominations')
    .where({ id })
    .update({ title: t.title, what_happened: t.whatHappened, lesson: t.lesson, changes: t.changes, team_name: t.teamName, search_text: t.searchText, updated_at: now, version: db.raw('version + 1') });
}

// Nominees

export async function nomineesOf(db: Queryable, nominationIds: number[]): Promise<Nominee[]> {
  if (!nominationIds.length) return [];
  const rows = await db('nominees').whereIn('nomination_id', nominationIds).orderBy('id');
  return rows.map(toNominee);
}

export async function findNomineeByToken(db: Queryable, token: string): Promise<Nominee | null> {
  const row = await db('nominees').where({ consent_token: token }).first();
  return row ? toNominee(row) : null;
}

export async function insertNominee(db: Queryable, n: { nominationId: number; userId: number | null; name: string; email: string; token: string }, now: Date): Promise<void> {
  await db('nominees').insert({ nomination_id: n.nominationId, user_id: n.userId, name: n.name, email: n.email, consent: 'pending', consent_token: n.token, created_at: now });
}

export async function updateNomineeIdentity(db: Queryable, id: number, n: { userId: number | null; name: string }): Promise<void> {
  await db('nominees').where({ id }).update({ user_id: n.userId, name: n.name });
}

export async function deleteNominees(db: Queryable, ids: number[]): Promise<void> {
  if (ids.length) await db('nominees').whereIn('id', ids).delete();
}

export async function markRequested(db: Queryable, ids: number[], now: Date): Promise<void> {
  if (ids.length) await db('nominees').whereIn('id', ids).update({ requested_at: now });
}

/** Asks again: a given consent goes back to pending and is requested anew (the text it was given for changed). */
export async function resetConsent(db: Queryable, ids: number[]): Promise<void> {
  if (ids.length) await db('nominees').whereIn('id', ids).update({ consent: 'pending', message: null, requested_at: null, responded_at: null });
}

export async function setConsent(db: Queryable, id: number, c: { consent: Consent; message: string | null; userId: number }, now: Date): Promise<void> {
  await db('nominees').where({ id }).update({ consent: c.consent, message: c.message, user_id: c.userId, responded_at: now });
}

/** Consent requests addressed to a person: by user id, or by e-mail for those named before their first sign-in. */
export async function nomineesForPerson(db: Queryable, userId: number, email: string): Promise<Nominee[]> {
  const rows = await db('nominees')
    .where((q) => q.where({ user_id: userId }).orWhereRaw('lower(email) = ?', [email.toLowerCase()]))
    .orderBy('id', 'desc');
  return rows.map(toNominee);
}

export async function isInvolved(db: Queryable, userId: number, nominationId: number): Promise<boolean> {
  const submitted = await db('nominations').where({ id: nominationId, submitter_id: userId }).first('id');
  if (submitted) return true;
  const user = await db('users').where({ id: userId }).first('email');
  const named = await db('nominees')
    .where({ nomination_id: nominationId })
    .andWhere((q) => q.where({ user_id: userId }).orWhereRaw('lower(email) = ?', [String(user?.email ?? '').toLowerCase()]))
    .first('id');
  return Boolean(named);
}

export async function involvedNominationIds(db: Queryable, userId: number, editionId: number): Promise<number[]> {
  const user = await db('users').where({ id: userId }).first('email');
  const email = String(user?.email ?? '').toLowerCase();
  const rows = await db('nominations as n')
    .leftJoin('nominees as e', 'e.nomination_id', 'n.id')
    .where('n.edition_id', editionId)
    .andWhere((q) => q.where('n.submitter_id', userId).orWhere('e.user_id', userId).orWhereRaw('lower(e.email) = ?', [email]))
    .distinct('n.id');
  return rows.map((r: Row) => Number(r.id));
}

// Attachments

/** Bytes of attachments stored on the nominations this user submitted (the upload quota counts them). */
export async function storedBytesOf(db: Queryable, userId: number): Promise<number> {
  const row = await db('attachments as a').join('nominations as n', 'n.id', 'a.nomination_id').where('n.submitter_id', userId).sum({ bytes: 'a.size_bytes' }).first();
  return Number(row?.bytes ?? 0);
}

export async function attachmentsOf(db: Queryable, nominationIds: number[]): Promise<Attachment[]> {
  if (!nominationIds.length) return [];
  const rows = await db('attachments').whereIn('nomination_id', nominationIds).orderBy('id');
  return rows.map(toAttachment);
}

export async function findAttachment(db: Queryable, id: number): Promise<Attachment | null> {
  const row = await db('attachments').where({ id }).first();
  return row ? toAttachment(row) : null;
}

export async function insertAttachment(db: Queryable, a: Omit<Attachment, 'id' | 'createdAt'>, now: Date): Promise<void> {
  await db('attachments').insert({
    nomination_id: a.nominationId,
    storage_name: a.storageName,
    original_name: a.originalName,
    mime: a.mime,
    size_bytes: a.sizeBytes,
    width: a.width,
    height: a.height,
    has_thumbnail: a.hasThumbnail,
    created_at: now,
  });
}

export async function deleteAttachments(db: Queryable, nominationId: number, ids: number[]): Promise<void> {
  if (ids.length) await db('attachments').where({ nomination_id: nominationId }).whereIn('id', ids).delete();
}

// Gallery

export type PublishedFilter = { editionId: number; q?: string; departmentId?: number | null };

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Ids of published entries matching the filter (the gallery orders them per visitor in the service). */
export async function publishedIds(db: Queryable, f: PublishedFilter): Promise<number[]> {
  const q = db('nominations').where({ edition_id: f.editionId, status: 'published' });
  if (f.departmentId) q.andWhere({ department_id: f.departmentId });
  if (f.q) {
    for (const word of f.q.split(/\s+/).filter(Boolean).slice(0, 8)) {
      q.andWhereRaw("search_text like ? escape '\\'", [`%${escapeLike(word)}%`]);
    }
  }
  const rows = await q.select('id', 'published_at').orderBy('published_at', 'desc').orderBy('id', 'desc');
  return rows.map((r: Row) => Number(r.id));
}

/** Demo/other users to choose a named colleague from (N1), by name. */
export async function listColleagues(db: Queryable, exceptUserId: number, limit: number): Promise<Array<{ id: number; name: string; email: string; department: string | null }>> {
  const rows = await db('users').whereNot({ id: exceptUserId }).whereNull('anonymised_at').orderBy('name').limit(limit).select('id', 'name', 'email', 'department');
  return rows.map((r: Row) => ({ id: Number(r.id), name: String(r.name), email: String(r.email), department: (r.department as string | null) ?? null }));
}

export async function searchColleagues(db: Queryable, exceptUserId: number, folded: string, limit: number): Promise<Array<{ id: number; name: string; email: string; department: string | null }>> {
  const like = `%${escapeLike(folded)}%`;
  const rows = await db('users')
    .whereNot({ id: exceptUserId })
    .whereNull('anonymised_at')
    .andWhere((q) => q.whereRaw("lower(name) like ? escape '\\'", [like]).orWhereRaw("lower(email) like ? escape '\\'", [like]))
    .orderBy('name')
    .limit(limit)
    .select('id', 'name', 'email', 'department');
  return rows.map((r: Row) => ({ id: Number(r.id), name: String(r.name), email: String(r.email), department: (r.department as string | null) ?? null }));
}

export async function findUser(db: Queryable, by: { id?: number; email?: string }): Promise<{ id: number; name: string; email: string } | null> {
  const q = db('users').whereNull('anonymised_at');
  if (by.id !== undefined) q.where({ id: by.id });
  else if (by.email) q.whereRaw('lower(email) = ?', [by.email.toLowerCase()]);
  else return null;
  const row = await q.orderBy('id').first('id', 'name', 'email');
  return row ? { id: Number(row.id), name: String(row.name), email: String(row.email) } : null;
}

/** Entries of an edition waiting for a moderator, and when the oldest was submitted. */
export async function waitingForModeration(db: Queryable, editionId: number): Promise<{ count: number; oldest: Date | null }> {
  const row = await db('nominations').where({ edition_id: editionId, status: 'in_moderation' }).count({ n: '*' }).min({ at: 'submitted_at' }).first();
  return { count: toNumber(row?.n ?? 0), oldest: toDate(row?.at) };
}

// ---------------------------------------------------------------- reads for the other features
// Voting, the jury, the ceremony, the archive, the exports, privacy, live and the statistics read
// nominations through the service; the rows are mapped here only.

/** A nomination's identity and state without its texts: what a vote or a poll needs of it. */
export type NominationRef = Pick<Nomination, 'id' | 'editionId' | 'status' | 'title' | 'submitterId' | 'showSubmitter'>;

function toRef(r: Row): NominationRef {
  return {
    id: Number(r.id),
    editionId: Number(r.edition_id),
    status: String(r.status) as Status,
    title: String(r.title ?? ''),
    submitterId: Number(r.submitter_id),
    showSubmitter: toBool(r.show_submitter),
  };
}

const REF_COLUMNS = ['id', 'edition_id', 'status', 'title', 'submitter_id', 'show_submitter'];

export async function findRef(db: Queryable, id: number): Promise<NominationRef | null> {
  const row = await db('nominations').where({ id }).first(REF_COLUMNS);
  return row ? toRef(row) : null;
}

export async function refsByIds(db: Queryable, ids: number[]): Promise<NominationRef[]> {
  if (!ids.length) return [];
  const rows: Row[] = await db('nominations').whereIn('id', ids).select(REF_COLUMNS);
  return rows.map(toRef);
}

/** Named colleagues who have not declined (a declined colleague is no longer named in the entry). */
function namedIn(db: Queryable, userId: number, email: string) {
  return db('nominees')
    .select('nomination_id')
    .whereNotIn('consent', ['declined', 'withdrawn'])
    .andWhere((q) => q.where('user_id', userId).orWhereRaw('lower(email) = ?', [email.trim().toLowerCase()]));
}

/** Entries of the edition the user submitted or is named in (and has not declined): their own (V1). */
export async function ownEntryIds(db: Queryable, editionId: number, userId: number, email: string): Promise<number[]> {
  // A union of two index lookups: one statement with `or` walked every entry of the edition (a tenth of
  // the statements' time on a gallery page).
  const rows = await db('nominations')
    .where({ submitter_id: userId, edition_id: editionId })
    .select('id')
    .union((q) => q.from(namedIn(db, userId, email).as('x')).join('nominations as n', 'n.id', 'x.nomination_id').where('n.edition_id', editionId).select('n.id'));
  return rows.map((r: Row) => Number(r.id));
}

export async function isOwnEntry(db: Queryable, nominationId: number, userId: number, email: string): Promise<boolean> {
  const row = await db('nominations')
    .where('id', nominationId)
    .andWhere((q) => q.where('submitter_id', userId).orWhereIn('id', namedIn(db, userId, email)))
    .first('id');
  return Boolean(row);
}

/**
 * The published entries of these editions, newest edition first and then by id; with `folded`, those
 * whose folded search text (Swedish case folding, N6) contains it.
 */
export async function listPublishedIn(db: Queryable, editionIds: number[], options: { folded?: string; limit?: number } = {}): Promise<Nomination[]> {
  if (editionIds.length === 0) return [];
  const q = base(db).join('editions as e', 'e.id', 'n.edition_id').where('n.status', 'published').whereIn('n.edition_id', editionIds);
  if (options.folded) q.andWhereRaw("n.search_text like ? escape '\\'", [`%${escapeLike(options.folded)}%`]);
  q.orderBy([{ column: 'e.year', order: 'desc' }, { column: 'n.id' }]);
  if (options.limit !== undefined) q.limit(options.limit);
  return (await q).map(toNomination);
}

/** How many published entries each of these editions has. */
export async function countPublishedIn(db: Queryable, editionIds: number[]): Promise<Map<number, number>> {
  if (editionIds.length === 0) return new Map();
  const rows: Row[] = await db('nominations').where('status', 'published').whereIn('edition_id', editionIds).groupBy('edition_id').select('edition_id').count({ n: '*' });
  return new Map(rows.map((r) => [Number(r.edition_id), toNumber(r.n)]));
}

/** Every entry of an edition that has been submitted (drafts are the submitter's own), by id. */
export async function listSubmittedIn(db: Queryable, editionId: number): Promise<Nomination[]> {
  const rows = await base(db).where('n.edition_id', editionId).whereNot('n.status', 'draft').orderBy('n.id');
  return rows.map(toNomination);
}

// Drafts nobody finishes (R6): deleted with their attachment rows after a while.

export type StaleDraft = { id: number; storageNames: string[] };

export async function staleDrafts(db: Queryable, olderThan: Date): Promise<StaleDraft[]> {
  const rows: Row[] = await db('nominations').where({ status: 'draft' }).where('updated_at', '<', olderThan).select('id');
  const ids = rows.map((r) => Number(r.id));
  const files: Row[] = ids.length ? await db('attachments').whereIn('nomination_id', ids).select('nomination_id', 'storage_name') : [];
  return ids.map((id) => ({ id, storageNames: files.filter((f) => Number(f.nomination_id) === id).map((f) => String(f.storage_name)) }));
}

export async function deleteDrafts(db: Queryable, ids: number[]): Promise<void> {
  if (ids.length) await db('nominations').whereIn('id', ids).where({ status: 'draft' }).delete();
}

// Counts for the statistics (R2): totals only.

/** Entries of an edition per department (null: none chosen), submitted (not drafts or withdrawn) and published. */
export async function countsByDepartment(db: Queryable, editionId: number): Promise<Map<number | null, { submitted: number; published: number }>> {
  const rows: Row[] = await db('nominations')
    .where({ edition_id: editionId })
    .whereNotIn('status', ['draft', 'withdrawn'])
    .groupBy('department_id')
    .select('department_id')
    .count({ submitted: '*' })
    .select(db.raw("sum(case when status = 'published' then 1 else 0 end) as published"));
  return new Map(rows.map((c) => [c.department_id == null ? null : Number(c.department_id), { submitted: toNumber(c.submitted), published: toNumber(c.published) }]));
}

/** How many entries of an edition are in each status. */
export async function statusCounts(db: Queryable, editionId: number): Promise<Partial<Record<Status, number>>> {
  const rows: Row[] = await db('nominations').where({ edition_id: editionId }).groupBy('status').select('status').count({ n: '*' });
  return Object.fromEntries(rows.map((r) => [String(r.status), toNumber(r.n)]));
}

// The jury's reads (J2–J5): the published entries of an edition.

/** The published entries of an edition by id, or just one of them. */
export async function listPublishedOf(db: Queryable, editionId: number, onlyId?: number): Promise<Nomination[]> {
  const q = base(db).where({ 'n.edition_id': editionId, 'n.status': 'published' }).orderBy('n.id');
  if (onlyId !== undefined) q.andWhere('n.id', onlyId);
  return (await q).map(toNomination);
}

/** How many attachments each entry has (entries without any are left out). */
export async function attachmentCounts(db: Queryable, ids: number[]): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const rows: Row[] = await db('attachments').whereIn('nomination_id', ids).groupBy('nomination_id').select('nomination_id').count({ n: '*' });
  return new Map(rows.map((r) => [Number(r.nomination_id), toNumber(r.n)]));
}

/** The published entries of an edition without their texts, by id (the ranking reads only these). */
export async function listPublishedRefs(db: Queryable, editionId: number): Promise<NominationRef[]> {
  const rows: Row[] = await db('nominations').where({ edition_id: editionId, status: 'published' }).select(REF_COLUMNS).orderBy('id');
  return rows.map(toRef);
}

/** The named colleagues of an edition's published entries, in one read. */
export async function nomineesOfPublishedIn(db: Queryable, editionId: number): Promise<Nominee[]> {
  const rows: Row[] = await db('nominees as e')
    .join('nominations as n', 'n.id', 'e.nomination_id')
    .where({ 'n.edition_id': editionId, 'n.status': 'published' })
    .select('e.*')
    .orderBy('e.id');
  return rows.map(toNominee);
}
