// Users and the audit log as administrators see them (R4, R5). knex only; rows normalised here.
import type { Queryable } from '../db';
import { toDate, toNumber } from '../db';
import { toUser, type User } from '../users/queries';
import { foldForSearch } from '../i18n';

export type UserSearch = { q?: string; adminsOnly?: boolean; limit: number; offset: number };

/**
 * Ids of the users whose name, e-mail or department contains the text, in name order. Matched in
 * JavaScript with Swedish case folding: SQLite's lower() only folds ASCII, so "åberg" would miss
 * "Åberg" there. A few thousand short rows is cheap for an admin page.
 */
export async function matchingUserIds(db: Queryable, text: string, adminsOnly = false): Promise<number[]> {
  const needle = foldForSearch(text.trim());
  const q = db('users').select('id', 'name', 'email', 'department');
  if (adminsOnly) q.where('is_admin', true);
  const rows: Array<{ id: number; name: string; email: string; department: string | null }> = await q;
  const collator = new Intl.Collator('sv', { sensitivity: 'base' });
  return rows
    .filter((r) => !needle || [r.name, r.email, r.department ?? ''].some((v) => foldForSearch(String(v)).includes(needle)))
    .sort((a, b) => collator.compare(a.name, b.name) || Number(a.id) - Number(b.id))
    .map((r) => Number(r.id));
}

export async function searchUsers(db: Queryable, s: UserSearch): Promise<{ users: User[]; total: number }> {
  const ids = await matchingUserIds(db, s.q ?? '', s.adminsOnly);
  const pageIds = ids.slice(s.offset, s.offset + s.limit);
  const rows = pageIds.length ? await db('users').whereIn('id', pageIds) : [];
  const byId = new Map(rows.map((r: Record<string, unknown>) => [Number(r.id), toUser(r)]));
  return { users: pageIds.map((id) => byId.get(id)).filter((u): u is User => Boolean(u)), total: ids.length };
}

/** Admins who can still act (anonymised accounts cannot sign in as themselves any more). */
export async function countActiveAdmins(db: Queryable): Promise<number> {
  const [{ n }] = await db('users').where('is_admin', true).whereNull('anonymised_at').count({ n: '*' });
  return toNumber(n);
}

export type AuditLine = {
  id: number;
  actorId: number | null;
  /** The actor's CURRENT name: an anonymised user shows as anonymised on old lines too. */
  actorName: string | null;
  action: string;
  subjectType: string | null;
  subjectId: number | null;
  /** The subject's current name: a user's name, an entry's or an edition's title. */
  subjectName: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
};

export type AuditFilter = { actorIds?: number[]; action?: string; from?: Date; to?: Date; limit: number; offset: number };

export async function searchAudit(db: Queryable, f: AuditFilter): Promise<{ lines: AuditLine[]; total: number }> {
  const base = db('audit_log as a')
    .leftJoin('users as actor', 'actor.id', 'a.actor_id')
    .leftJoin('users as subject', function () {
      this.on('subject.id', '=', 'a.subject_id').andOnVal('a.subject_type', '=', 'user');
    })
    .leftJoin('nominations as entry', function () {
      this.on('entry.id', '=', 'a.subject_id').andOnVal('a.subject_type', '=', 'nomination');
    })
    .leftJoin('editions as edition', function () {
      this.on('edition.id', '=', 'a.subject_id').andOnVal('a.subject_type', '=', 'edition');
    })
    .where((w) => {
      if (f.action) w.where('a.action', f.action);
      if (f.from) w.where('a.created_at', '>=', f.from);
      if (f.to) w.where('a.created_at', '<', f.to);
      if (f.actorIds) w.whereIn('a.actor_id', f.actorIds);
    });
  const [{ n }] = await base.clone().count({ n: '*' });
  const rows = await base
    .clone()
    .select('a.*', 'actor.name as actor_name', 'subject.name as subject_name', 'entry.title as entry_title', 'edition.title as edition_title')
    .orderBy([{ column: 'a.created_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
    .limit(f.limit)
    .offset(f.offset);
  return {
    total: toNumber(n),
    lines: rows.map((r: Record<string, unknown>) => ({
      id: Number(r.id),
      actorId: r.actor_id == null ? null : Number(r.actor_id),
      actorName: (r.actor_name as string | null) ?? null,
      action: String(r.action),
      subjectType: (r.subject_type as string | null) ?? null,
      subjectId: r.subject_id == null ? null : Number(r.subject_id),
      subjectName: ((r.subject_name ?? r.entry_title ?? r.edition_title) as string | null) ?? null,
      details: parseDetails(r.details),
      createdAt: toDate(r.created_at) ?? new Date(0),
    })),
  };
}

function parseDetails(v: unknown): Record<string, unknown> {
  try {
    const parsed = JSON.parse(String(v ?? '{}'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function distinctAuditActions(db: Queryable): Promise<string[]> {
  const rows = await db('audit_log').distinct('action').orderBy('action');
  return rows.map((r: { action: string }) => r.action);
}
