// Personal data (R6): what is stored about one person, anonymisation and draft clean-up. knex only.
import type { Queryable } from '../db';
import { toBool, toDate } from '../db';

type Row = Record<string, unknown>;
const iso = (v: unknown): string | null => toDate(v)?.toISOString() ?? null;

export async function myNominations(db: Queryable, userId: number) {
  const rows: Row[] = await db('nominations as n')
    .leftJoin('editions as e', 'e.id', 'n.edition_id')
    .leftJoin('departments as d', 'd.id', 'n.department_id')
    .where('n.submitter_id', userId)
    .select('n.*', 'e.year as edition_year', 'd.name as department_name')
    .orderBy('n.id');
  const ids = rows.map((r) => Number(r.id));
  const nominees: Row[] = ids.length ? await db('nominees').whereIn('nomination_id', ids).orderBy('id') : [];
  const attachments: Row[] = ids.length ? await db('attachments').whereIn('nomination_id', ids).orderBy('id') : [];
  return rows.map((r) => ({
    id: Number(r.id),
    edition: Number(r.edition_year),
    status: String(r.status),
    title: String(r.title ?? ''),
    whatHappened: String(r.what_happened ?? ''),
    lesson: String(r.lesson ?? ''),
    changes: String(r.changes ?? ''),
    department: (r.department_name as string | null) ?? null,
    teamName: (r.team_name as string | null) ?? null,
    includesSelf: toBool(r.includes_self),
    showSubmitter: toBool(r.show_submitter),
    declinePolicy: String(r.decline_policy),
    eligibilityConfirmed: toBool(r.eligibility_confirmed),
    moderatorMessage: (r.moderator_message as string | null) ?? null,
    rejectionReason: (r.rejection_reason as string | null) ?? null,
    submittedAt: iso(r.submitted_at),
    publishedAt: iso(r.published_at),
    withdrawnAt: iso(r.withdrawn_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    // The colleagues I named: their name as I typed it and whether they agreed, never their address.
    namedColleagues: nominees
      .filter((x) => Number(x.nomination_id) === Number(r.id))
      .map((x) => ({ name: String(x.name), consent: String(x.consent) })),
    attachments: attachments
      .filter((x) => Number(x.nomination_id) === Number(r.id))
      .map((x) => ({ name: String(x.original_name), type: String(x.mime), sizeBytes: Number(x.size_bytes), uploadedAt: iso(x.created_at) })),
  }));
}

/** Consent requests sent to me (I am named in someone's entry), matched on my account or my address. */
export async function consentsAskedOfMe(db: Queryable, userId: number, email: string) {
  const rows: Row[] = await db('nominees as x')
    .join('nominations as n', 'n.id', 'x.nomination_id')
    .leftJoin('editions as e', 'e.id', 'n.edition_id')
    .where((w) => w.where('x.user_id', userId).orWhereRaw('lower(x.email) = ?', [email.toLowerCase()]))
    .select('x.*', 'n.title as entry_title', 'e.year as edition_year')
    .orderBy('x.id');
  return rows.map((r) => ({
    entryId: Number(r.nomination_id),
    entryTitle: String(r.entry_title ?? ''),
    edition: Number(r.edition_year),
    nameShown: String(r.name),
    email: String(r.email),
    consent: String(r.consent),
    message: (r.message as string | null) ?? null,
    requestedAt: iso(r.requested_at),
    respondedAt: iso(r.responded_at),
  }));
}

/** My people's-choice votes; after archive the link is erased (V4) so none are found. */
export async function myVotes(db: Queryable, userId: number) {
  const rows: Row[] = await db('votes as v')
    .join('nominations as n', 'n.id', 'v.nomination_id')
    .join('editions as e', 'e.id', 'v.edition_id')
    .where('v.voter_id', userId)
    .select('v.*', 'n.title as entry_title', 'e.year as edition_year')
    .orderBy('v.id');
  return rows.map((r) => ({ edition: Number(r.edition_year), entryId: Number(r.nomination_id), entryTitle: String(r.entry_title ?? ''), castAt: iso(r.created_at) }));
}

export async function myLiveVotes(db: Queryable, userId: number) {
  const rows: Row[] = await db('live_votes as v').join('nominations as n', 'n.id', 'v.nomination_id').where('v.voter_id', userId).select('v.*', 'n.title as entry_title').orderBy('v.id');
  return rows.map((r) => ({ pollId: Number(r.poll_id), entryId: Number(r.nomination_id), entryTitle: String(r.entry_title ?? ''), at: iso(r.updated_at) }));
}

/** Only my own scores, notes and declared conflicts: never another juror's. */
export async function myJuryWork(db: Queryable, userId: number) {
  const scores: Row[] = await db('scores as s')
    .join('criteria as c', 'c.id', 's.criterion_id')
    .join('nominations as n', 'n.id', 's.nomination_id')
    .where('s.juror_id', userId)
    .select('s.*', 'c.key as criterion_key', 'n.title as entry_title')
    .orderBy('s.id');
  const reviews: Row[] = await db('jury_reviews as r').join('nominations as n', 'n.id', 'r.nomination_id').where('r.juror_id', userId).select('r.*', 'n.title as entry_title').orderBy('r.id');
  const conflicts: Row[] = await db('conflicts as c').join('nominations as n', 'n.id', 'c.nomination_id').where('c.juror_id', userId).select('c.*', 'n.title as entry_title').orderBy('c.id');
  const memberships: Row[] = await db('jury_members as j').join('editions as e', 'e.id', 'j.edition_id').where('j.user_id', userId).select('j.*', 'e.year as edition_year').orderBy('e.year');
  return {
    memberships: memberships.map((r) => ({ edition: Number(r.edition_year), chair: toBool(r.is_chair) })),
    scores: scores.map((r) => ({ entryId: Number(r.nomination_id), entryTitle: String(r.entry_title ?? ''), criterion: String(r.criterion_key), value: Number(r.value), updatedAt: iso(r.updated_at) })),
    notes: reviews.map((r) => ({ entryId: Number(r.nomination_id), entryTitle: String(r.entry_title ?? ''), note: String(r.note ?? ''), submittedAt: iso(r.submitted_at), updatedAt: iso(r.updated_at) })),
    conflicts: conflicts.map((r) => ({ entryId: Number(r.nomination_id), entryTitle: String(r.entry_title ?? ''), reason: String(r.reason ?? ''), automatic: toBool(r.automatic), declaredAt: iso(r.created_at) })),
  };
}

export async function myNotifications(db: Queryable, userId: number) {
  const rows: Row[] = await db('notifications').where({ user_id: userId }).orderBy('id');
  return rows.map((r) => ({ kind: String(r.kind), params: parseJson(r.params), link: (r.link as string | null) ?? null, createdAt: iso(r.created_at), readAt: iso(r.read_at) }));
}

/** What I did that the audit log remembers (the action, not other people's details). */
export async function myAuditTrail(db: Queryable, userId: number) {
  const rows: Row[] = await db('audit_log').where({ actor_id: userId }).orWhere((w) => w.where({ subject_type: 'user', subject_id: userId })).orderBy('id');
  return rows.map((r) => ({ action: String(r.action), byMe: Number(r.actor_id) === userId, at: iso(r.created_at) }));
}

function parseJson(v: unknown): unknown {
  try {
    return JSON.parse(String(v ?? '{}'));
  } catch {
    return {};
  }
}

export async function updateUserForAnonymisation(db: Queryable, userId: number, fields: { name: string; email: string }, now: Date): Promise<void> {
  await db('users').where({ id: userId }).update({ name: fields.name, email: fields.email, department: null, is_admin: false, admin_source: null, anonymised_at: now });
}

export async function anonymiseNominees(db: Queryable, userId: number, oldEmail: string, fields: { name: string; email: string }): Promise<void> {
  await db('nominees')
    .where((w) => w.where('user_id', userId).orWhereRaw('lower(email) = ?', [oldEmail.toLowerCase()]))
    .update({ name: fields.name, email: fields.email, user_id: userId });
}

/**
 * Replaces a name inside the JSON text of a column (notification params, audit details), so lines
 * written before the anonymisation no longer show it.
 */
export async function replaceInJsonColumn(db: Queryable, table: 'notifications' | 'audit_log', column: 'params' | 'details', from: string, to: string): Promise<number> {
  if (!from) return 0;
  const rows: Row[] = await db(table).select('id', column).where(column, 'like', `%${from}%`);
  let changed = 0;
  for (const r of rows) {
    const text = String(r[column]);
    if (!text.includes(from)) continue; // SQLite's like ignores ASCII case
    await db(table).where({ id: r.id }).update({ [column]: text.split(from).join(to) });
    changed++;
  }
  return changed;
}

export async function deleteSessionsOf(db: Queryable, userId: number): Promise<void> {
  await db('sessions').where('sess', 'like', `%"userId":${userId},%`).orWhere('sess', 'like', `%"userId":${userId}}%`).delete();
}

export type StaleDraft = { id: number; storageNames: string[] };

export async function staleDrafts(db: Queryable, olderThan: Date): Promise<StaleDraft[]> {
  const rows: Row[] = await db('nominations').where({ status: 'draft' }).where('updated_at', '<', olderThan).select('id');
  const ids = rows.map((r) => Number(r.id));
  const files: Row[] = ids.length ? await db('attachments').whereIn('nomination_id', ids).select('nomination_id', 'storage_name') : [];
  return ids.map((id) => ({ id, storageNames: files.filter((f) => Number(f.nomination_id) === id).map((f) => String(f.storage_name)) }));
}

export async function deleteNominations(db: Queryable, ids: number[]): Promise<void> {
  if (ids.length) await db('nominations').whereIn('id', ids).where({ status: 'draft' }).delete();
}
