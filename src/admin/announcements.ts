// What the administration announces (R7): "nomination/voting is open" to everyone and "judging is open"
// to the jury, once per edition and phase, found by a periodic check of the phase engine and run at once
// when an admin opens a phase by hand (phase.opened); a daily digest to the admins while entries wait for
// moderation (moderation.waiting); and reminders to jury members who have entries left to score
// (jury.reminded). The subscribers (src/events/subscribers.ts) mail them.
import type { Db, Queryable } from '../db';
import { toDate } from '../db';
import { registerMessages } from '../i18n';
import type { AnnouncedPhase, Events } from '../events';
import * as editions from '../editions/service';
import * as jury from '../jury/service';
import * as audit from '../audit/service';
import { AppError } from '../errors';
import { toStockholmLocal } from '../time';
import * as nominations from '../nominations/service';
import { announcementMessages } from './messages';

registerMessages(announcementMessages);

export type { AnnouncedPhase };

/**
 * Claims an announcement; false when it was already made (by this or another instance). `phase` is a
 * phase name or another once-only key of at most 16 characters (the daily digest: 'digest:YYYYMMDD').
 */
async function claim(db: Queryable, editionId: number, phase: string, now: Date): Promise<boolean> {
  // ON CONFLICT DO NOTHING rather than catching the unique violation: on PostgreSQL a failed statement
  // would abort the transaction the claim is part of. A second instance waits for the first to commit.
  const rows = await db('phase_announcements').insert({ edition_id: editionId, phase, recipients: 0, sent_at: now }).onConflict(['edition_id', 'phase']).ignore().returning('id');
  return rows.length === 1;
}

/**
 * Only openings of the last two days are announced: a phase that opened weeks ago (an upgrade, the demo
 * data) is old news. An admin's "open now" counts from the edition's last change.
 */
export const ANNOUNCE_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;

function recentlyOpened(openedAt: Date | null, now: Date): boolean {
  return openedAt !== null && openedAt <= now && now.getTime() - openedAt.getTime() <= ANNOUNCE_WINDOW_MS;
}

/** Whether an open phase counts as just opened (and so is announced, once): by its date or by hand. */
export function openedRecently(edition: editions.Edition, phase: AnnouncedPhase, now: Date): boolean {
  return recentlyOpened(edition[`${phase}Override`] === 'open' ? edition.updatedAt : edition[`${phase}OpensAt`], now);
}

export async function wasAnnounced(db: Queryable, editionId: number, phase: string): Promise<boolean> {
  return Boolean(await db('phase_announcements').where({ edition_id: editionId, phase }).first('id'));
}

/** Everyone an opening of nomination or voting is announced to. */
async function everyone(db: Queryable): Promise<number[]> {
  return (await db('users').whereNull('anonymised_at').select('id').orderBy('id')).map((r: { id: unknown }) => Number(r.id));
}

export async function everyoneCount(db: Queryable): Promise<number> {
  return Number((await db('users').whereNull('anonymised_at').count({ n: '*' }))[0].n);
}

/** Judging's closing date, when it has one that applies (not when an admin opened judging by hand). */
function judgingDue(edition: editions.Edition): string | null {
  return edition.judgingClosesAt && edition.judgingOverride !== 'open' ? edition.judgingClosesAt.toISOString() : null;
}

/**
 * Announces each phase of the current edition that has just opened and has not been announced yet. The
 * claim commits before the subscribers send, so a crash halfway sends to some people once rather than
 * to everyone twice; a claim that fails to commit is tried again at the next check. Returns the phases
 * announced.
 */
export async function announceOpenPhases(db: Db, events: Events, now: Date): Promise<AnnouncedPhase[]> {
  const current = await editions.current(db, now);
  if (!current) return [];
  const { edition, phase } = current;
  const open = (['nomination', 'voting', 'judging'] as const).filter((p) => phase[`${p}Open`] && openedRecently(edition, p, now));
  const announced: AnnouncedPhase[] = [];
  for (const p of open) {
    const claimed = await events.transaction(db, async (trx, emit) => {
      if (!(await claim(trx, edition.id, p, now))) return false;
      // Judging concerns the jury only: each member is sent to their own list, with the closing date.
      const recipients = p === 'judging' ? (await jury.members(trx, edition.id)).map((m) => m.userId) : await everyone(trx);
      await trx('phase_announcements').where({ edition_id: edition.id, phase: p }).update({ recipients: recipients.length });
      await audit.record(trx, { actorId: null, action: 'notify.phase_opened', subjectType: 'edition', subjectId: edition.id, details: { phase: p, recipients: recipients.length } }, now);
      emit('phase.opened', { editionId: edition.id, year: edition.year, title: edition.title, phase: p, recipientIds: recipients, dueAt: p === 'judging' ? judgingDue(edition) : null });
      return true;
    });
    if (claimed) announced.push(p);
  }
  return announced;
}

export const REMINDER_INTERVAL_MS = 60 * 60 * 1000;

/**
 * "Påminn juryn": notifies every juror of the current edition who has entries left to score. Only
 * while judging is open, and at most once an hour (a double click sends one reminder).
 */
export async function remindJury(db: Db, events: Events, actorId: number, now: Date): Promise<number> {
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
  await events.transaction(db, async (trx, emit) => {
    await trx('editions').where({ id: edition.id }).update({ id: edition.id });
    const last = await trx('audit_log').where({ action: 'notify.jury_reminder', subject_type: 'edition', subject_id: edition.id }).max({ at: 'created_at' }).first();
    const lastAt = toDate(last?.at);
    if (lastAt && now.getTime() - lastAt.getTime() < REMINDER_INTERVAL_MS) throw new AppError(409, 'admin.remind.tooSoon', undefined, 'admin.remind.title');
    await audit.record(trx, { actorId, action: 'notify.jury_reminder', subjectType: 'edition', subjectId: edition.id, details: { jurors: behind.length } }, now);
    const jurors = behind.map((m) => {
      const p = progress.get(m.userId)!;
      return { userId: m.userId, left: p.total - p.done, total: p.total };
    });
    // The message says what is asked: how many entries are left, and by when when judging has an end.
    emit('jury.reminded', { editionId: edition.id, title: edition.title, jurors, dueAt: judgingDue(edition) });
  });
  return behind.length;
}

/** The digest goes out once a day, at the first check after this hour (Stockholm time). */
export const DIGEST_HOUR = 8;

/**
 * A daily digest to every admin while entries of the current edition wait for moderation: how many,
 * and since when. Once per Stockholm day (claimed like an announcement, so several instances send one),
 * not before DIGEST_HOUR. Returns the number of admins told (0 when nothing waits or it was sent today).
 */
export async function sendModerationDigest(db: Db, events: Events, now: Date): Promise<number> {
  const current = await editions.current(db, now);
  if (!current) return 0;
  const local = toStockholmLocal(now);
  if (Number(local.slice(11, 13)) < DIGEST_HOUR) return 0;
  const { edition } = current;
  const waiting = await nominations.moderationBacklog(db, edition.id);
  if (waiting.count === 0) return 0;
  return events.transaction(db, async (trx, emit) => {
    if (!(await claim(trx, edition.id, `digest:${local.slice(0, 10).replace(/-/g, '')}`, now))) return 0;
    const adminIds = (await trx('users').where({ is_admin: true }).whereNull('anonymised_at').select('id').orderBy('id')).map((r: { id: unknown }) => Number(r.id));
    await audit.record(trx, { actorId: null, action: 'notify.moderation_digest', subjectType: 'edition', subjectId: edition.id, details: { waiting: waiting.count, admins: adminIds.length } }, now);
    emit('moderation.waiting', { editionId: edition.id, title: edition.title, count: waiting.count, sinceAt: (waiting.oldest ?? now).toISOString(), adminIds });
    return adminIds.length;
  });
}
