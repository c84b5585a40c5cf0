// Personal data (R6): "my data" as JSON, anonymising a person, and deleting forgotten drafts.
// Every function takes `now`; nothing here sees req/res.
import type { Db, Queryable } from '../db';
import * as queries from './queries';
import * as userQueries from '../users/queries';
import * as audit from '../audit/service';
import * as attachmentFiles from '../attachments/files';
import { AppError, notFound } from '../errors';

/** The name an anonymised person gets everywhere (pages, exports, old audit lines). */
export const ANONYMISED_NAME = 'Anonymiserad användare';
/** `.invalid` is reserved (RFC 2606): mail to it can never be delivered. */
export const anonymisedEmail = (userId: number): string => `anonymiserad-${userId}@anonymised.invalid`;

/** Everything stored about one person, and nothing about anyone else (GDPR art. 15 and 20). */
export async function exportMyData(db: Queryable, userId: number, now: Date) {
  const user = await userQueries.findById(db, userId);
  if (!user) throw notFound();
  return {
    exportedAt: now.toISOString(),
    profile: {
      name: user.name,
      email: user.email,
      department: user.department,
      language: user.locale,
      admin: user.isAdmin,
      firstSignedInAt: user.createdAt.toISOString(),
      lastSignedInAt: user.lastSignInAt?.toISOString() ?? null,
      anonymisedAt: user.anonymisedAt?.toISOString() ?? null,
    },
    nominations: await queries.myNominations(db, userId),
    consentRequests: await queries.consentsAskedOfMe(db, userId, user.email),
    votes: await queries.myVotes(db, userId),
    liveVotes: await queries.myLiveVotes(db, userId),
    jury: await queries.myJuryWork(db, userId),
    notifications: await queries.myNotifications(db, userId),
    activity: await queries.myAuditTrail(db, userId),
  };
}

export type MyData = Awaited<ReturnType<typeof exportMyData>>;

/**
 * Anonymises a person (R6): name, e-mail and department go; their entries, votes and scores stay.
 * Their name is also taken out of the named-colleague rows, notifications and old audit details, and
 * their sessions end. The last admin cannot be anonymised, nor can admins anonymise themselves here.
 */
export async function anonymiseUser(db: Db, actorId: number, targetId: number, now: Date): Promise<void> {
  await db.transaction(async (trx) => {
    const target = Number.isSafeInteger(targetId) && targetId > 0 ? await userQueries.findById(trx, targetId) : null;
    if (!target) throw notFound();
    if (target.anonymisedAt) return;
    if (actorId === targetId) throw new AppError(409, 'privacy.anonymise.notYourself', undefined, 'errors.badRequest.title');
    const replacement = { name: ANONYMISED_NAME, email: anonymisedEmail(targetId) };
    await queries.updateUserForAnonymisation(trx, targetId, replacement, now);
    await queries.anonymiseNominees(trx, targetId, target.email, replacement);
    for (const old of new Set([target.name, target.email])) {
      await queries.replaceInJsonColumn(trx, 'notifications', 'params', old, old === target.email ? replacement.email : replacement.name);
      await queries.replaceInJsonColumn(trx, 'audit_log', 'details', old, old === target.email ? replacement.email : replacement.name);
    }
    await queries.deleteSessionsOf(trx, targetId);
    await audit.record(trx, { actorId, action: 'user.anonymised', subjectType: 'user', subjectId: targetId }, now);
  });
}

/**
 * Deletes drafts not touched for `maxAgeDays` (R6), with their attachment files. Returns how many.
 * Files are removed after the rows are gone, so a crash in between leaves orphan files, never rows
 * that point at missing files.
 */
export async function deleteStaleDrafts(db: Db, now: Date, maxAgeDays: number, dataDir: string): Promise<number> {
  const olderThan = new Date(now.getTime() - maxAgeDays * 24 * 60 * 60 * 1000);
  const drafts = await db.transaction(async (trx) => {
    const found = await queries.staleDrafts(trx, olderThan);
    await queries.deleteNominations(trx, found.map((d) => d.id));
    if (found.length) await audit.record(trx, { actorId: null, action: 'drafts.deleted', details: { count: found.length, maxAgeDays } }, now);
    return found;
  });
  for (const name of drafts.flatMap((d) => d.storageNames)) await attachmentFiles.remove(dataDir, name);
  return drafts.length;
}
