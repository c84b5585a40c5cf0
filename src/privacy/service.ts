// Personal data (R6): "my data" as JSON, anonymising a person, and deleting forgotten drafts.
// Every function takes `now`; nothing here sees req/res.
import type { Db, Queryable } from '../db';
import * as queries from './queries';
import * as userQueries from '../users/queries';
import * as audit from '../audit/service';
import * as editions from '../editions/service';
import * as nominations from '../nominations/service';
import * as attachmentFiles from '../attachments/files';
import { AppError, notFound } from '../errors';

/** The name an anonymised person gets everywhere (pages, exports, old audit lines). */
export const ANONYMISED_NAME = 'Anonymiserad användare';
/** `.invalid` is reserved (RFC 2606): mail to it can never be delivered. */
export const anonymisedEmail = (userId: number): string => `anonymiserad-${userId}@anonymised.invalid`;

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

async function myNominations(db: Queryable, userId: number, years: ReadonlyMap<number, number>) {
  return (await nominations.allBySubmitter(db, userId)).map(({ nomination: n, nominees, attachments }) => ({
    id: n.id,
    edition: years.get(n.editionId) ?? 0,
    status: n.status,
    title: n.title,
    whatHappened: n.whatHappened,
    lesson: n.lesson,
    changes: n.changes,
    department: n.departmentName,
    teamName: n.teamName,
    includesSelf: n.includesSelf,
    showSubmitter: n.showSubmitter,
    declinePolicy: n.declinePolicy,
    eligibilityConfirmed: n.eligibilityConfirmed,
    moderatorMessage: n.moderatorMessage,
    rejectionReason: n.rejectionReason,
    submittedAt: iso(n.submittedAt),
    publishedAt: iso(n.publishedAt),
    withdrawnAt: iso(n.withdrawnAt),
    createdAt: iso(n.createdAt),
    updatedAt: iso(n.updatedAt),
    // The colleagues I named: their name as I typed it and whether they agreed, never their address.
    namedColleagues: nominees.map((x) => ({ name: x.name, consent: x.consent })),
    attachments: attachments.map((x) => ({ name: x.originalName, type: x.mime, sizeBytes: x.sizeBytes, uploadedAt: iso(x.createdAt) })),
  }));
}

/** Consent requests sent to me (I am named in someone's entry), matched on my account or my address. */
async function consentsAskedOfMe(db: Queryable, userId: number, email: string, years: ReadonlyMap<number, number>) {
  return (await nominations.consentRequestsOf(db, userId, email)).map(({ nominee: r, nomination: n }) => ({
    entryId: n.id,
    entryTitle: n.title,
    edition: years.get(n.editionId) ?? 0,
    nameShown: r.name,
    email: r.email,
    consent: r.consent,
    message: r.message,
    requestedAt: iso(r.requestedAt),
    respondedAt: iso(r.respondedAt),
  }));
}

/** Everything stored about one person, and nothing about anyone else (GDPR art. 15 and 20). */
export async function exportMyData(db: Queryable, userId: number, now: Date) {
  const user = await userQueries.findById(db, userId);
  if (!user) throw notFound();
  const years = new Map((await editions.all(db)).map((e) => [e.id, e.year]));
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
    nominations: await myNominations(db, userId, years),
    consentRequests: await consentsAskedOfMe(db, userId, user.email, years),
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
    const found = await nominations.staleDrafts(trx, olderThan);
    await nominations.deleteDrafts(trx, found.map((d) => d.id));
    if (found.length) await audit.record(trx, { actorId: null, action: 'drafts.deleted', details: { count: found.length, maxAgeDays } }, now);
    return found;
  });
  for (const name of drafts.flatMap((d) => d.storageNames)) await attachmentFiles.remove(dataDir, name);
  return drafts.length;
}
