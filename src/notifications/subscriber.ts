// The mail subscriber (SPEC R7): turns events into in-app notifications and e-mails, each in the reader's
// language (users.locale, else DEFAULT_LOCALE). The only place in the app that sends mail; it runs after
// the change has committed (src/events), so a mail never tells of something that was rolled back.
import type { Config } from '../config';
import type { Db } from '../db';
import type { Events } from '../events';
import type { Locale, Params } from '../i18n';
import { formatters, translate } from '../i18n';
import type { MailAttachment, Mailer } from '../mail';
import * as editions from '../editions/service';
import * as jury from '../jury/service';
import { calendarFileName, ceremonyInvitation } from '../calendar/service';
import { absoluteLink, findRecipient, insert, render, reserveMail, type NotificationInput } from './service';

export type MailSubscriberDeps = { db: Db; mailer: Mailer; config: Pick<Config, 'defaultLocale'>; now: () => Date };

/** More for one reader's mail: a paragraph after the body and files (e.g. a calendar invitation). */
type MailExtras = (locale: Locale) => { lines: string[]; attachments: MailAttachment[] };

const PHASE_KINDS = { nomination: 'phase.nominationOpen', voting: 'phase.votingOpen' } as const;
const PHASE_LINKS = { nomination: '/nominate', voting: '/entries' } as const;
const MODERATION_KINDS = { publish: 'moderation.published', request_changes: 'moderation.changesRequested', reject: 'moderation.rejected' } as const;

export function mailSubscriber(events: Events, deps: MailSubscriberDeps): void {
  const tell = (input: NotificationInput) => notify(deps, input);

  events.on('consent.requested', async (e) => {
    const link = `/consent/${e.nominee.consentToken}`;
    const params = { title: e.title, submitter: e.submitter || 'notify.someone' };
    // The app is no mail relay: limited per recipient and per sender; the request stays in the app.
    const mail = await reserveMail(deps.db, { kind: 'consent.requested', recipient: e.nominee.email, senderId: e.submitterId }, deps.now());
    if (e.nominee.userId) await tell({ userId: e.nominee.userId, kind: 'consent.requested', params, link, mail });
    // Someone named by e-mail who has no account yet gets the mail only.
    else if (mail) await sendMail(deps.mailer, { email: e.nominee.email, name: e.nominee.name, locale: deps.config.defaultLocale, kind: 'consent.requested', params, link });
  });

  events.on('consent.answered', async (e) => {
    const effect = e.answer === 'given' ? '' : e.declinePolicy === 'remove' ? 'notify.effect.removed' : 'notify.effect.keptUnpublished';
    await tell({ userId: e.submitterId, kind: `consent.${e.answer}`, params: { name: e.nomineeName, title: e.title, messageQuoted: e.message, effect }, link: '/nominations/mine' });
  });

  events.on('moderation.decided', async (e) => {
    const params: Params = { title: e.title };
    if (e.decision === 'request_changes') params.message = e.text;
    if (e.decision === 'reject') params.reason = e.text;
    const link = e.decision === 'publish' ? `/entries/${e.nominationId}` : e.decision === 'request_changes' ? `/nominations/${e.nominationId}/edit` : '/nominations/mine';
    await tell({ userId: e.submitterId, kind: MODERATION_KINDS[e.decision], params, link });
  });

  events.on('phase.opened', async (e) => {
    // Voting is the last announcement everyone gets before the ceremony: it brings the invitation (R10).
    const edition = e.phase === 'voting' ? await editions.findById(deps.db, e.editionId) : null;
    const invitation: MailExtras | undefined =
      edition?.ceremonyAt
        ? (locale) => ({
            lines: [translate(locale, 'calendar.mailLine', { date: formatters(locale).dateTime(edition.ceremonyAt) })],
            attachments: [{ filename: calendarFileName(edition.year), content: ceremonyInvitation(edition, deps.mailer.publicUrl, locale)!, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }],
          })
        : undefined;
    for (const userId of e.recipientIds) await notify(deps, { userId, kind: PHASE_KINDS[e.phase], params: { title: e.title }, link: PHASE_LINKS[e.phase] }, invitation);
  });

  events.on('jury.reminded', async (e) => {
    for (const j of e.jurors) await tell({ userId: j.userId, kind: 'jury.reminder', params: { title: e.title, left: j.left, total: j.total, count: j.left }, link: '/jury' });
  });

  // A sealed result opening again must not go unnoticed: the rest of the jury is told.
  events.on('result.unlocked', async (e) => {
    const params = { title: e.title, name: e.actor.name, reasonQuoted: e.reason };
    for (const m of await jury.members(deps.db, e.editionId)) {
      if (m.userId !== e.actor.id) await tell({ userId: m.userId, kind: 'jury.unlocked', params, link: '/jury/decision' });
    }
  });
}

/** Writes the in-app notification and e-mails the user in their language. Returns the notification id. */
export async function notify(deps: MailSubscriberDeps, input: NotificationInput, extras?: MailExtras): Promise<number | null> {
  const recipient = await findRecipient(deps.db, input.userId);
  if (!recipient) return null;
  const params = input.params ?? {};
  const id = await insert(deps.db, { userId: input.userId, kind: input.kind, params, link: input.link ?? null }, deps.now());
  if (recipient.email && input.mail !== false) {
    const locale = recipient.locale ?? deps.config.defaultLocale;
    await sendMail(deps.mailer, { email: recipient.email, name: recipient.name, locale, kind: input.kind, params, link: input.link }, extras?.(locale));
  }
  return id;
}

type MailParts = { greeting: string; body: string; extra: string[]; link: string | null; open: string | null; footer: string };

function mailParts(locale: Locale, name: string, kind: string, params: Params, link: string | null, extra: string[]): MailParts {
  return {
    greeting: translate(locale, 'mail.greeting', { name }),
    body: render(locale, kind, 'body', params),
    extra,
    link,
    open: link ? translate(locale, 'mail.open', { link }) : null,
    footer: translate(locale, 'mail.footer'),
  };
}

function mailText(p: MailParts): string {
  return [p.greeting, '', p.body, '', ...p.extra.flatMap((l) => [l, '']), ...(p.open ? [p.open, ''] : []), '-- ', p.footer, ''].join('\n');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const paragraphs = (s: string) => s.split(/\n{2,}/).map((para) => `<p>${escapeHtml(para).replace(/\n/g, '<br>')}</p>`);

/**
 * The HTML part beside the text: the same words as simple semantic HTML in the reader's language (lang
 * on <html>, a real link with the page's address as its text, no layout tables, no images), so screen
 * readers and mail programs that prefer HTML read it as well as the text.
 */
function mailHtml(locale: Locale, subject: string, p: MailParts): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${locale}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body>',
    '<main>',
    `<p>${escapeHtml(p.greeting)}</p>`,
    ...paragraphs(p.body),
    ...p.extra.flatMap(paragraphs),
    ...(p.link ? [`<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.open ?? p.link)}</a></p>`] : []),
    '</main>',
    `<footer><p>${escapeHtml(p.footer)}</p></footer>`,
    '</body>',
    '</html>',
  ].join('\n');
}

async function sendMail(
  mailer: Mailer,
  m: { email: string; name: string; locale: Locale; kind: string; params?: Params; link?: string | null },
  extras?: { lines: string[]; attachments: MailAttachment[] },
): Promise<boolean> {
  const params = m.params ?? {};
  const link = absoluteLink(mailer.publicUrl, m.link);
  const subject = render(m.locale, m.kind, 'subject', params);
  const parts = mailParts(m.locale, m.name, m.kind, params, link, extras?.lines ?? []);
  return mailer.send({
    to: m.email,
    subject,
    text: mailText(parts),
    html: mailHtml(m.locale, subject, parts),
    ...(extras?.attachments.length ? { attachments: extras.attachments } : {}),
  });
}
