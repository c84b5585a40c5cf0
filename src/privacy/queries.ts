// Personal data (R6): what is stored about one person, and anonymisation. knex only. Their entries and the
// consent requests sent to them come from the nominations service; the reads of votes, jury work and
// live votes below join nominations only to name the entry beside each row of those features' tables.
import type { Queryable } from '../db';
import { toBool, toDate } from '../db';

type Row = Record<string, unknown>;
const iso = (v: unknown): string | null => toDate(v)?.toISOString() ?? null;

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
