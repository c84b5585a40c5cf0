import type { Queryable } from '../db';
import { toBool, toDate } from '../db';

export type User = {
  id: number;
  tenantId: string;
  objectId: string;
  email: string;
  name: string;
  department: string | null;
  locale: 'sv' | 'en' | null;
  isAdmin: boolean;
  adminSource: string | null;
  anonymisedAt: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
};

type Row = Record<string, unknown>;

export function toUser(r: Row): User {
  return {
    id: Number(r.id),
    tenantId: String(r.tenant_id),
    objectId: String(r.object_id),
    email: String(r.email),
    name: String(r.name),
    department: (r.department as string | null) ?? null,
    locale: r.locale === 'sv' || r.locale === 'en' ? r.locale : null,
    isAdmin: toBool(r.is_admin),
    adminSource: (r.admin_source as string | null) ?? null,
    anonymisedAt: toDate(r.anonymised_at),
    lastSignInAt: toDate(r.last_sign_in_at),
    createdAt: toDate(r.created_at) ?? new Date(0),
  };
}

export async function findById(db: Queryable, id: number): Promise<User | null> {
  const row = await db('users').where({ id }).first();
  return row ? toUser(row) : null;
}

/**
 * The signed-in user with their jury role in the given edition, in one query (loadViewer runs on every
 * request; it used to take three).
 */
export async function findWithJuryRole(
  db: Queryable,
  id: number,
  editionId: number | null,
): Promise<{ user: User; jury: { member: boolean; chair: boolean }; unreadNotifications: number } | null> {
  // One statement per request for who is asking: the user, their jury seat and the header's unread count.
  const row = await db('users as u')
    .leftJoin('jury_members as jm', (join) => {
      join.on('jm.user_id', '=', 'u.id').andOn('jm.edition_id', '=', db.raw('?', [editionId ?? -1]));
    })
    .where('u.id', id)
    .first(
      'u.*',
      'jm.id as jury_member_id',
      'jm.is_chair as jury_is_chair',
      db('notifications').count('*').where('user_id', id).whereNull('read_at').as('unread_notifications'),
    );
  if (!row) return null;
  const member = row.jury_member_id !== null && row.jury_member_id !== undefined;
  return { user: toUser(row), jury: { member, chair: member && toBool(row.jury_is_chair) }, unreadNotifications: Number(row.unread_notifications ?? 0) };
}

export async function findByEmail(db: Queryable, email: string): Promise<User | null> {
  const row = await db('users').whereRaw('lower(email) = ?', [email.trim().toLowerCase()]).orderBy('id').first();
  return row ? toUser(row) : null;
}

export async function findByIdentity(db: Queryable, tenantId: string, objectId: string): Promise<User | null> {
  const row = await db('users').where({ tenant_id: tenantId, object_id: objectId }).first();
  return row ? toUser(row) : null;
}

export type Identity = {
  tenantId: string;
  objectId: string;
  email: string;
  name: string;
  department: string | null;
};

/** Insert or refresh a user from sign-in claims; returns the stored user. */
export async function upsertIdentity(db: Queryable, identity: Identity, now: Date): Promise<User> {
  const existing = await findByIdentity(db, identity.tenantId, identity.objectId);
  if (existing) {
    const changes: Row = { last_sign_in_at: now };
    if (!existing.anonymisedAt) {
      Object.assign(changes, { email: identity.email, name: identity.name, department: identity.department });
    }
    await db('users').where({ id: existing.id }).update(changes);
    return (await findById(db, existing.id)) as User;
  }
  const [row] = await db('users')
    .insert({
      tenant_id: identity.tenantId,
      object_id: identity.objectId,
      email: identity.email,
      name: identity.name,
      department: identity.department,
      is_admin: false,
      created_at: now,
      last_sign_in_at: now,
    })
    .returning('id');
  return (await findById(db, Number(typeof row === 'object' ? row.id : row))) as User;
}

export async function setAdmin(db: Queryable, userId: number, isAdmin: boolean, source: string | null): Promise<void> {
  await db('users').where({ id: userId }).update({ is_admin: isAdmin, admin_source: isAdmin ? source : null });
}

export async function setLocale(db: Queryable, userId: number, locale: 'sv' | 'en'): Promise<void> {
  await db('users').where({ id: userId }).update({ locale });
}

export async function listDemoUsers(db: Queryable): Promise<User[]> {
  const rows = await db('users').where({ tenant_id: 'demo' }).orderBy('id');
  return rows.map(toUser);
}
