// express-session store in the application database (SPEC A5): sessions survive restarts and are
// shared by several app instances.
import session from 'express-session';
import type { Knex } from 'knex';
import { toDate } from '../db';
import { systemClock, type Clock } from '../clock';

const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;

/**
 * Sessions roll (every answer pushes the expiry 8 hours on), which made every page view an UPDATE of
 * its session row. A touch that would move the stored expiry by less than this is skipped: a session
 * may then end up to this much earlier than 8 hours after its last request, and a page view reads.
 */
const TOUCH_AFTER_MS = 5 * 60 * 1000;
const REMEMBERED_EXPIRIES = 10_000;

export class KnexSessionStore extends session.Store {
  private pruneTimer?: NodeJS.Timeout;
  /** The expiry each recently read or written session has in the table (sid → ms). */
  private readonly storedExpiry = new Map<string, number>();

  private readonly now: Clock;

  constructor(private readonly db: Knex, options: { pruneIntervalMs?: number; now?: Clock } = {}) {
    super();
    this.now = options.now ?? systemClock;
    if (options.pruneIntervalMs) {
      this.pruneTimer = setInterval(() => void this.prune().catch(() => undefined), options.pruneIntervalMs);
      this.pruneTimer.unref();
    }
  }

  /** The session's end by the app's clock: its cookie's lifetime from now (the cookie's own Expires is
   * express-session's wall-clock reading, which the store does not trust). */
  private expiry(sess: session.SessionData): Date {
    const maxAge = sess.cookie?.originalMaxAge;
    return new Date(this.now().getTime() + (typeof maxAge === 'number' && maxAge > 0 ? maxAge : DEFAULT_TTL_MS));
  }

  override get(sid: string, cb: (err: unknown, session?: session.SessionData | null) => void): void {
    this.db('sessions')
      .where({ sid })
      .first()
      .then((row) => {
        if (!row) return cb(null, null);
        const expires = toDate(row.expires_at);
        if (expires && expires.getTime() <= this.now().getTime()) return cb(null, null);
        if (expires) this.remember(sid, expires.getTime());
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
      .then(() => {
        this.remember(sid, row.expires_at.getTime());
        cb?.();
      })
      .catch((err) => cb?.(err));
  }

  override touch(sid: string, sess: session.SessionData, cb?: (err?: unknown) => void): void {
    const expires = this.expiry(sess);
    const stored = this.storedExpiry.get(sid);
    if (stored !== undefined && expires.getTime() - stored < TOUCH_AFTER_MS) {
      cb?.();
      return;
    }
    this.db('sessions')
      .where({ sid })
      .update({ expires_at: expires })
      .then(() => {
        this.remember(sid, expires.getTime());
        cb?.();
      })
      .catch((err) => cb?.(err));
  }

  private remember(sid: string, expiresAt: number): void {
    this.storedExpiry.delete(sid);
    if (this.storedExpiry.size >= REMEMBERED_EXPIRIES) this.storedExpiry.delete(this.storedExpiry.keys().next().value as string);
    this.storedExpiry.set(sid, expiresAt);
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.storedExpiry.delete(sid);
    this.db('sessions')
      .where({ sid })
      .delete()
      .then(() => cb?.())
      .catch((err) => cb?.(err));
  }

  async prune(): Promise<number> {
    return this.db('sessions').where('expires_at', '<=', this.now()).delete();
  }

  close(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }
}
