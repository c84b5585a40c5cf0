// Users as the rest of the app sees them; sign-in turns claims into a stored user here.
import type { Queryable } from '../db';
import * as queries from './queries';
import * as audit from '../audit/service';

export type { User, Identity } from './queries';
export const findById = queries.findById;
export const findWithJuryRole = queries.findWithJuryRole;
export const findByEmail = queries.findByEmail;
export const listDemoUsers = queries.listDemoUsers;
export const setLocale = queries.setLocale;

export type AdminPolicy = { adminEmails: string[] };

/**
 * Stores or refreshes the user from sign-in claims. `claimAdmin` is true when the token's groups or
 * roles make them admin (A2). Admin by claim or bootstrap e-mail is granted at sign-in; an in-app
 * promotion ('app') is kept whatever the claims say.
 */
export async function signInIdentity(
  db: Queryable,
  identity: queries.Identity,
  policy: AdminPolicy & { claimAdmin: boolean },
  now: Date,
): Promise<queries.User> {
  const user = await queries.upsertIdentity(db, identity, now);
  const bootstrap = policy.adminEmails.includes(identity.email.toLowerCase());
  const source = policy.claimAdmin ? 'claim' : bootstrap ? 'bootstrap' : null;
  if (source && !user.isAdmin) {
    await queries.setAdmin(db, user.id, true, source);
    await audit.record(db, { actorId: null, action: 'role.admin_granted', subjectType: 'user', subjectId: user.id, details: { source } }, now);
    return { ...user, isAdmin: true, adminSource: source };
  }
  if (!source && user.isAdmin && user.adminSource === 'claim') {
    // The group or app role was taken away in Entra ID.
    await queries.setAdmin(db, user.id, false, null);
    await audit.record(db, { actorId: null, action: 'role.admin_revoked', subjectType: 'user', subjectId: user.id, details: { source: 'claim' } }, now);
    return { ...user, isAdmin: false, adminSource: null };
  }
  return user;
}
