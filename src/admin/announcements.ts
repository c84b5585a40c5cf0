// What the administration announces (R7): "nomination/voting is open" to everyone once per edition and
// phase, found by a periodic check of the phase engine (phase.opened); and reminders to jury members who
// have entries left to score (jury.reminded). The subscribers (src/events/subscribers.ts) mail them.
import type { Db, Queryable } from '../db';
import { toDate } from '../db';
import { registerMessages } from '../i18n';
import type { AnnouncedPhase, Events } from '../events';
import * as editions from '../editions/service';
import * as jury from '../jury/service';
import * as audit from '../audit/service';
import { AppError } from '../errors';
import { announcementMessages } from './messages';

registerMessages(announcementMessages);

export type { AnnouncedPhase };

/** Claims the announcement; false when it was already made (by this or another instance). */
async function claim(db: Queryable, editionId: number, phase: AnnouncedPhase, now: Date): Promise<boolean> {
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
  const open: AnnouncedPhase[] = [];
  if (phase.nominationOpen && recentlyOpened(edition.nominationOverride === 'open' ? edition.updatedAt : edition.nominationOpensAt, now)) open.push('nomination');
  if (phase.votingOpen && recentlyOpened(edition.votingOverride === 'open' ? edition.updatedAt : edition.votingOpensAt, now)) open.push('voting');
  const announced: AnnouncedPhase[] = [];
  for (const p of open) {
    const claimed = await events.transaction(db, async (trx, emit) => {
      if (!(await claim(trx, edition.id, p, now))) return false;
      const recipients: Array<{ id: number }> = await trx('users').whereNull('anonymised_at').select('id').orderBy('id');
      await trx('phase_announcements').where({ edition_id: edition.id, phase: p }).update({ recipients: recipients.length });
      await audit.record(trx, { actorId: null, action: 'notify.phase_opened', subjectType: 'edition', subjectId: edition.id, details: { phase: p, recipients: recipients.length } }, now);
      emit('phase.opened', { editionId: edition.id, year: edition.year, title: edition.title, phase: p, recipientIds: recipients.map((r) => Number(r.id)) });
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
    emit('jury.reminded', { editionId: edition.id, title: edition.title, jurors });
  });
  return behind.length;
}
