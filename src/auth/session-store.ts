// express-session store in the application database (SPEC A5): sessions survive restarts and are
// shared by several app instances.
import session from 'express-session';
import type { Knex } from 'knex';
import { toDate } from '../db';

const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;

export class KnexSessionStore extends session.Store {
  private pruneTimer?: NodeJS.Timeout;

  constructor(private readonly db: Knex, options: { pruneIntervalMs?: number } = {}) {
    super();
    if (options.pruneIntervalMs) {
      this.pruneTimer = setInterval(() => void this.prune().catch(() => undefined), options.pruneIntervalMs);
      this.pruneTimer.unref();
    }
  }

  private expiry(sess: session.SessionData): Date {
    const cookieExpires = sess.cookie?.expires ? new Date(sess.cookie.expires) : null;
    return cookieExpires && !Number.isNaN(cookieExpires.getTime()) ? cookieExpires : new Date(Date.now() + DEFAULT_TTL_MS);
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    this.db('sessions')
      .where({ sid })
      .first()
      .then((row) => {
        if (!row) return cb(null, null);
        const expires = toDate(row.expires_at);
        if (expires && expires.getTime() <= Date.now()) return cb(null, null);
        cb(null, JSON.parse(String(row.sess)) as session.SessionData);
      })
      .catch((err) => cb(err));
  }

  override set(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const row = { sid, sess: JSON.stringify(sess), expires_at: this.expiry(sess) };
    this.db('sessions')
      .insert(row)
      .onConflict('sid')
      .merge(['sess', 'expires_at'])
      .then(() => cb?.())
      .catch((err) => cb?.(err));
  }

  override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    this.db('sessions')
      .where({ sid })
      .update({ expires_at: this.expiry(sess) })
      .then(() => cb?.())
      .catch((err) => cb?.(err));
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.db('sessions')
      .where({ sid })
      .delete()
      .then(() => cb?.())
      .catch((err) => cb?.(err));
  }

  async prune(): Promise<number> {
    return this.db('sessions').where('expires_at', '<=', new Date()).delete();
  }

  close(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }
}
