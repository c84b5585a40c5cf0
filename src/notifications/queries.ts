import type { Queryable } from '../db';
import { toDate } from '../db';

export type Notification = {
  id: number;
  userId: number;
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  readAt: Date | null;
  createdAt: Date;
};

type Row = Record<string, unknown>;

function parseParams(v: unknown): Record<string, string | number> {
  try {
    const parsed = JSON.parse(String(v ?? '{}'));
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

function toNotification(r: Row): Notification {
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    kind: String(r.kind),
    params: parseParams(r.params),
    link: (r.link as string | null) ?? null,
    readAt: toDate(r.read_at),
    createdAt: toDate(r.created_at) ?? new Date(0),
  };
}

export async function insert(db: Queryable, n: { userId: number; kind: string; params: Record<string, string | number>; link: string | null }, now: Date): Promise<number> {
  const [row] = await db('notifications')
    .insert({ user_id: n.userId, kind: n.kind, params: JSON.stringify(n.params), link: n.link, created_at: now })
    .returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function listForUser(db: Queryable, userId: number, limit = 100): Promise<Notification[]> {
  const rows = await db('notifications').where({ user_id: userId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
  return rows.map(toNotification);
}

export async function findForUser(db: Queryable, userId: number, id: number): Promise<Notification | null> {
  const row = await db('notifications').where({ id, user_id: userId }).first();
  return row ? toNotification(row) : null;
}

export async function markRead(db: Queryable, userId: number, id: number | null, now: Date): Promise<number> {
  const q = db('notifications').where({ user_id: userId }).whereNull('read_at');
  if (id !== null) q.andWhere({ id });
  return q.update({ read_at: now });
}

export async function markReadByLink(db: Queryable, userId: number, link: string, now: Date): Promise<number> {
  return db('notifications').where({ user_id: userId, link }).whereNull('read_at').update({ read_at: now });
}

export async function findRecipient(db: Queryable, userId: number): Promise<{ id: number; email: string; name: string; locale: 'sv' | 'en' | null } | null> {
  const row = await db('users').where({ id: userId }).first('id', 'email', 'name', 'locale', 'anonymised_at');
  if (!row) return null;
  return {
    id: Number(row.id),
    email: row.anonymised_at ? '' : String(row.email),
    name: String(row.name),
    locale: row.locale === 'sv' || row.locale === 'en' ? row.locale : null,
  };
}

/** Mails of a kind sent in the window, to this recipient and by this sender. */
export async function countMailSends(db: Queryable, m: { kind: string; recipient: string; senderId: number }, since: Date): Promise<{ toRecipient: number; bySender: number }> {
  const [toRecipient, bySender] = await Promise.all([
    db('mail_sends').where({ kind: m.kind, recipient: m.recipient }).where('sent_at', '>', since).count({ n: '*' }).first(),
    db('mail_sends').where({ kind: m.kind, sender_id: m.senderId }).where('sent_at', '>', since).count({ n: '*' }).first(),
  ]);
  return { toRecipient: Number(toRecipient?.n ?? 0), bySender: Number(bySender?.n ?? 0) };
}

export async function recordMailSend(db: Queryable, m: { kind: string; recipient: string; senderId: number }, now: Date): Promise<void> {
  await db('mail_sends').insert({ kind: m.kind, recipient: m.recipient, sender_id: m.senderId, sent_at: now });
}

export async function pruneMailSends(db: Queryable, before: Date): Promise<void> {
  await db('mail_sends').where('sent_at', '<', before).del();
}
