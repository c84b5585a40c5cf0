// Notifications (SPEC R7): the in-app list and the texts every notification and mail is written with.
// Writing them and sending the mail is the mail subscriber's work (./subscriber.ts), after the change
// that caused them has committed.
import type { Db, Queryable } from '../db';
import { registerMessages, translate, type Locale, type Params } from '../i18n';
import * as queries from './queries';
import { notificationMessages } from './messages';

registerMessages(notificationMessages);

export type { Notification } from './queries';

export type NotificationInput = {
  userId: number;
  /** e.g. 'consent.requested'; texts are `notify.<kind>.subject|text|body` in the i18n tables. */
  kind: string;
  params?: Params;
  /** A path in the app, e.g. /consent/abc; made absolute with PUBLIC_URL in the mail. */
  link?: string | null;
  /** false: the in-app notification only (e.g. the mail limit was reached). */
  mail?: boolean;
};

/**
 * The app is no mail relay: mails that one person's action sends to others (consent requests) are
 * limited per recipient and per sender per hour, counted in the database so the limit holds across
 * instances. Over the limit the mail is not sent (the in-app notification still is).
 */
export const MAIL_LIMITS = { perRecipientPerHour: 3, perSenderPerHour: 20 } as const;
const HOUR = 60 * 60 * 1000;

/** Whether this mail may go out now; if so it is counted. One transaction, so two requests cannot both take the last one. */
export async function reserveMail(db: Db, m: { kind: string; recipient: string; senderId: number }, now: Date): Promise<boolean> {
  const recipient = m.recipient.trim().toLowerCase();
  return db.transaction(async (trx) => {
    const sent = await queries.countMailSends(trx, { ...m, recipient }, new Date(now.getTime() - HOUR));
    if (sent.toRecipient >= MAIL_LIMITS.perRecipientPerHour || sent.bySender >= MAIL_LIMITS.perSenderPerHour) return false;
    await queries.recordMailSend(trx, { ...m, recipient }, now);
    await queries.pruneMailSends(trx, new Date(now.getTime() - 24 * HOUR));
    return true;
  });
}

/** Renders a notification (or mail) text for a reader. */
export function render(locale: Locale, kind: string, part: 'subject' | 'text' | 'body', params: Params = {}): string {
  const translated: Params = {};
  for (const [k, v] of Object.entries(params)) {
    // `<name>Quoted` holds someone's own words as typed: {<name>} shows them in the reader's quotation
    // marks (”…” in Swedish, “…” in English), or nothing when empty.
    const quoted = /^(\w+)Quoted$/.exec(k);
    if (quoted) {
      translated[quoted[1]] = v === '' ? '' : translate(locale, 'notify.quote', { text: v });
      continue;
    }
    // A param may name a message key (e.g. effect: 'notify.effect.removed'); translate it for the reader.
    translated[k] = typeof v === 'string' && /^notify\.[\w.]+$/.test(v) ? translate(locale, v) : v;
  }
  // trimEnd, not /\s+$/: that pattern retries every run of spaces inside the text (quadratic, SPEC §6).
  return translate(locale, `notify.${kind}.${part}`, translated).trimEnd().replace(/ {2,}/g, ' ');
}

export function absoluteLink(publicUrl: string, link: string | null | undefined): string | null {
  if (!link) return null;
  return /^https?:\/\//.test(link) ? link : publicUrl + (link.startsWith('/') ? link : `/${link}`);
}

export const findRecipient = queries.findRecipient;
export const insert = queries.insert;

export const list = queries.listForUser;
export const findForUser = queries.findForUser;

export async function markRead(db: Queryable, userId: number, id: number | null, now: Date): Promise<number> {
  return queries.markRead(db, userId, id, now);
}

/** Marks read the notifications that point at a link, e.g. a consent question once it is answered. */
export async function markReadByLink(db: Queryable, userId: number, link: string, now: Date): Promise<number> {
  return queries.markReadByLink(db, userId, link, now);
}
