// Notifications (SPEC R7): every e-mail also appears in the app. notify() writes the in-app notification
// and sends the mail in the recipient's language. Call it AFTER the transaction that caused it has
// committed (a mail cannot be rolled back), passing the plain db.
import type { Queryable } from '../db';
import { registerMessages, translate, type Locale, type Params } from '../i18n';
import type { Mailer } from '../mail';
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
};

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
  return translate(locale, `notify.${kind}.${part}`, translated).replace(/\s+$/g, '').replace(/ {2,}/g, ' ');
}

export function absoluteLink(mailer: Mailer, link: string | null | undefined): string | null {
  if (!link) return null;
  return /^https?:\/\//.test(link) ? link : mailer.publicUrl + (link.startsWith('/') ? link : `/${link}`);
}

function mailText(locale: Locale, name: string, kind: string, params: Params, link: string | null): string {
  return [
    translate(locale, 'mail.greeting', { name }),
    '',
    render(locale, kind, 'body', params),
    '',
    ...(link ? [translate(locale, 'mail.open', { link }), ''] : []),
    '-- ',
    translate(locale, 'mail.footer'),
    '',
  ].join('\n');
}

/** Writes the in-app notification and e-mails the user in their language. Returns the notification id. */
export async function notify(db: Queryable, mailer: Mailer, input: NotificationInput, now: Date, defaultLocale: Locale = 'sv'): Promise<number | null> {
  const recipient = await queries.findRecipient(db, input.userId);
  if (!recipient) return null;
  const params = input.params ?? {};
  const id = await queries.insert(db, { userId: input.userId, kind: input.kind, params, link: input.link ?? null }, now);
  if (recipient.email) {
    await sendMail(mailer, { email: recipient.email, name: recipient.name, locale: recipient.locale ?? defaultLocale, kind: input.kind, params, link: input.link });
  }
  return id;
}

/** Only the e-mail, for someone who has no account yet (e.g. a colleague named by e-mail). */
export async function sendMail(
  mailer: Mailer,
  m: { email: string; name: string; locale: Locale; kind: string; params?: Params; link?: string | null },
): Promise<boolean> {
  const params = m.params ?? {};
  const link = absoluteLink(mailer, m.link);
  return mailer.send({
    to: m.email,
    subject: render(m.locale, m.kind, 'subject', params),
    text: mailText(m.locale, m.name, m.kind, params, link),
  });
}

export const list = queries.listForUser;
export const findForUser = queries.findForUser;

export async function markRead(db: Queryable, userId: number, id: number | null, now: Date): Promise<number> {
  return queries.markRead(db, userId, id, now);
}
