// Signed-in sessions without a sign-in: rows in the `sessions` table shaped as express-session stores
// them, and the cookie signed the way express-session signs it (`s:` + cookie-signature of the id).
// The bench and the crash test use this to have thousands of distinct signed-in users at once.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { sign } from 'cookie-signature';

export type BenchSession = { userId: number; sid: string; cookie: string; csrfToken: string };

const MAX_AGE_MS = 8 * 60 * 60 * 1000;

export async function createSessions(
  db: Knex,
  userIds: number[],
  options: { secret: string; cookieName: string; secure: boolean; now?: Date },
): Promise<BenchSession[]> {
  const now = options.now ?? new Date();
  const expires = new Date(now.getTime() + MAX_AGE_MS);
  const sessions = userIds.map((userId) => {
    const sid = crypto.randomBytes(24).toString('base64url');
    const csrfToken = crypto.randomBytes(32).toString('base64url');
    const value = encodeURIComponent(`s:${sign(sid, options.secret)}`);
    return { userId, sid, csrfToken, cookie: `${options.cookieName}=${value}` };
  });
  const rows = sessions.map((s) => ({
    sid: s.sid,
    expires_at: expires,
    sess: JSON.stringify({
      cookie: { originalMaxAge: MAX_AGE_MS, expires: expires.toISOString(), secure: options.secure, httpOnly: true, path: '/', sameSite: 'lax' },
      userId: s.userId,
      csrfToken: s.csrfToken,
    }),
  }));
  for (let i = 0; i < rows.length; i += 500) await db('sessions').insert(rows.slice(i, i + 500));
  return sessions;
}
