// Notifications the administration sends (R7): "nomination/voting is open" to everyone once per edition
// and phase, found by a periodic check of the phase engine; and reminders to jurors who have entries
// left to score. Mail and in-app notification go through notifications.notify() in each reader's
// language (users.locale, else DEFAULT_LOCALE).
import type { Db, Queryable } from '../db';
import { isUniqueViolation, toDate } from '../db';
import type { Locale } from '../i18n';
import { registerMessages } from '../i18n';
import type { Mailer } from '../mail';
import * as editions from '../editions/service';
import * as jury from '../jury/service';
import * as notifications from '../notifications/service';
import * as audit from '../audit/service';
import { AppError } from '../errors';
import { announcementMessages } from './messages';

registerMessages(announcementMessages);

export type AnnouncedPhase = 'nomination' | 'voting';

const LINKS: Record<AnnouncedPhase, string> = { nomination: '/nominate', voting: '/entries' };
const KINDS: Record<AnnouncedPhase, string> = { nomination: 'phase.nominationOpen', voting: 'phase.votingOpen' };

/** Claims the announcement; false when it was already made (by this or another instance). */
async function claim(db: Queryable, editionId: number, phase: AnnouncedPhase, now: Date): Promise<boolean> {
  try {
    await db('phase_announcements').insert({ edition_id: editionId, phase, recipients: 0, sent_at: now });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/**
 * Only openings of the last two days are announced: a phase that opened weeks ago (an upgrade, the demo
 * data) is old news. An admin's "open now" counts from the edition's last change.
 */
export const ANNOUNCE_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;

function recentlyOpened(openedAt: Date | null, now: Date): boolean {
  return openedAt !== null && openedAt <= now && now.getTime() - openedAt.getTime() <= ANNOUNCE_WINDOW_MS;
}

/**
 * Announces each phase of the current edition that has just opened and has not been announced yet. The
 * claim is written before sending, so a crash halfway sends to some people once rather than to
 * everyone twice. Returns the phases announced.
 */
export async function announceOpenPhases(db: Db, mailer: Mailer, now: Date, defaultLocale: Locale): Promise<AnnouncedPhase[]> {
  const current = await editions.current(db, now);
  if (!current) return [];
  const { edition, phase } = current;
  const open: AnnouncedPhase[] = [];
  if (phase.nominationOpen && recentlyOpened(edition.nominationOverride === 'open' ? edition.updatedAt : edition.nominationOpensAt, now)) open.push('nomination');
  if (phase.votingOpen && recentlyOpened(edition.votingOverride === 'open' ? edition.updatedAt : edition.votingOpensAt, now)) open.push('voting');
  const announced: AnnouncedPhase[] = [];
  for (const p of open) {
    if (!(await claim(db, edition.id, p, now))) continue;
    const recipients: Array<{ id: number }> = await db('users').whereNull('anonymised_at').select('id').orderBy('id');
    for (const r of recipients) {
      await notifications.notify(db, mailer, { userId: Number(r.id), kind: KINDS[p], params: { title: edition.title }, link: LINKS[p] }, now, defaultLocale);
    }
    await db('phase_announcements').where({ edition_id: edition.id, phase: p }).update({ recipients: recipients.length });
    await audit.record(db, { actorId: null, action: 'notify.phase_opened', subjectType: 'edition', subjectId: edition.id, details: { phase: p, recipients: recipients.length } }, now);
    announced.push(p);
  }
  return announced;
}

export const REMINDER_INTERVAL_MS = 60 * 60 * 1000;

/**
 * "Påminn juryn": notifies every juror of the current edition who has entries left to score. Only
 * while judging is open, and at most once an hour (a double click sends one reminder).
 */
export async function remindJury(db: Db, mailer: Mailer, actorId: number, now: Date, defaultLocale: Locale): Promise<number> {
  const current = await editions.current(db, now);
  if (!current || !current.phase.judgingOpen) throw new AppError(409, 'admin.remind.notJudging', undefined, 'admin.remind.title');
  const { edition } = current;
  const members = await jury.members(db, edition.id);
  const progress = await jury.memberProgress(db, edition.id);
  const behind = members.filter((m) => {
    const p = progress.get(m.userId);
    return p !== undefined && p.done < p.total;
  });
  // The audit line first: it is also the once-an-hour guard. Checked and written in one transaction
  // that holds the edition's row, so two clicks (or two admins, or two instances) at the same moment
  // send one reminder.
  await db.transaction(async (trx) => {
    await trx('editions').where({ id: edition.id }).update({ id: edition.id });
    const last = await trx('audit_log').where({ action: 'notify.jury_reminder', subject_type: 'edition', subject_id: edition.id }).max({ at: 'created_at' }).first();
    const lastAt = toDate(last?.at);
    if (lastAt && now.getTime() - lastAt.getTime() < REMINDER_INTERVAL_MS) throw new AppError(409, 'admin.remind.tooSoon', undefined, 'admin.remind.title');
    await audit.record(trx, { actorId, action: 'notify.jury_reminder', subjectType: 'edition', subjectId: edition.id, details: { jurors: behind.length } }, now);
  });
  for (const m of behind) {
    const p = progress.get(m.userId)!;
    await notifications.notify(db, mailer, { userId: m.userId, kind: 'jury.reminder', params: { title: edition.title, left: p.total - p.done, total: p.total, count: p.total - p.done }, link: '/jury' }, now, defaultLocale);
  }
  return behind.length;
}
