// Rules for users, roles and the audit log (R4, R5). Takes `now`; never sees req/res.
import type { Db, Queryable } from '../db';
import * as queries from './queries';
import * as userQueries from '../users/queries';
import * as audit from '../audit/service';
import { AppError, notFound } from '../errors';

export type { AuditLine } from './queries';
export type User = userQueries.User;

export const PAGE_SIZE = 50;

export async function findUsers(db: Queryable, q: string, adminsOnly: boolean, page: number) {
  const { users, total } = await queries.searchUsers(db, { q, adminsOnly, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  return { users, total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

export async function getUser(db: Queryable, id: number): Promise<User> {
  const user = Number.isSafeInteger(id) && id > 0 ? await userQueries.findById(db, id) : null;
  if (!user) throw notFound();
  return user;
}

/**
 * Promotes or demotes an admin (R5). The organisation must never be left without an admin: the last
 * one (yourself included) cannot be demoted. Checked and changed in one transaction so two admins
 * demoting each other at the same moment cannot both succeed.
 */
export async function setAdminRole(db: Db, actorId: number, targetId: number, makeAdmin: boolean, now: Date): Promise<{ changed: boolean; user: User }> {
  return db.transaction(async (trx) => {
    const target = await getUser(trx, targetId);
    if (target.isAdmin === makeAdmin) return { changed: false, user: target };
    if (makeAdmin && target.anonymisedAt) throw new AppError(409, 'admin.users.cannotPromoteAnonymised', undefined, 'errors.badRequest.title');
    if (!makeAdmin) {
      // Lock the admin rows on PostgreSQL so concurrent demotions serialise (SQLite has one writer).
      if (db.dialect.isPostgres) await trx.raw('select id from users where is_admin = true for update');
      const admins = await queries.countActiveAdmins(trx);
      if (admins <= 1) throw new AppError(409, actorId === targetId ? 'admin.users.cannotDemoteSelfLast' : 'admin.users.cannotDemoteLast', undefined, 'errors.badRequest.title');
    }
    await userQueries.setAdmin(trx, targetId, makeAdmin, makeAdmin ? 'app' : null);
    await audit.record(
      trx,
      {
        actorId,
        action: makeAdmin ? 'role.admin_granted' : 'role.admin_revoked',
        subjectType: 'user',
        subjectId: targetId,
        details: { source: 'app', previousSource: target.adminSource },
      },
      now,
    );
    return { changed: true, user: { ...target, isAdmin: makeAdmin, adminSource: makeAdmin ? 'app' : null } };
  });
}

export type AuditQuery = { who: string; action: string; from: Date | null; to: Date | null; page: number };

export async function auditPage(db: Queryable, q: AuditQuery) {
  const actorIds = q.who.trim() ? await queries.matchingUserIds(db, q.who) : undefined;
  const { lines, total } = await queries.searchAudit(db, {
    actorIds,
    action: q.action || undefined,
    from: q.from ?? undefined,
    to: q.to ?? undefined,
    limit: PAGE_SIZE,
    offset: (q.page - 1) * PAGE_SIZE,
  });
  return { lines, total, page: q.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), actions: await queries.distinctAuditActions(db) };
}
