// The statistics dashboard (R2): numbers for the current edition and the charts drawn from them.
// Only totals are counted; a vote count per entry never appears here (V3).
import type { Queryable } from '../db';
import * as editions from '../editions/service';
import * as voting from '../voting/service';
import * as jury from '../jury/service';
import * as nominations from '../nominations/service';
import type { Formatters } from '../i18n';
import { toStockholmLocal } from '../time';
import * as queries from './queries';
import * as svg from './svg';

const DAY = 24 * 60 * 60 * 1000;

export type Dashboard = NonNullable<Awaited<ReturnType<typeof dashboard>>>;

/** Submitted and published entries per department of the edition, in the departments' order; then those without one. */
async function perDepartment(db: Queryable, editionId: number) {
  const departments = await editions.departments(db, editionId);
  const byId = await nominations.countsByDepartment(db, editionId);
  const rows: Array<{ name: string | null; submitted: number; published: number }> = departments.map((d) => ({
    name: d.name,
    ...(byId.get(d.id) ?? { submitted: 0, published: 0 }),
  }));
  const none = byId.get(null);
  if (none) rows.push({ name: null, ...none });
  return rows;
}

export async function dashboard(db: Queryable, now: Date) {
  const current = await editions.current(db, now);
  if (!current) return null;
  const { edition, phase } = current;
  // One query at a time: SQLite has a single connection, and the pages are small.
  const departments = await perDepartment(db, edition.id);
  const totals = await voting.participation(db, edition.id);
  const signedIn = await queries.signedInEmployees(db);
  const times = await queries.voteTimes(db, edition.id);
  const statuses = await nominations.statusCounts(db, edition.id);
  const { oldest } = await nominations.moderationBacklog(db, edition.id);
  const members = await jury.members(db, edition.id);
  const progress = await jury.memberProgress(db, edition.id);
  return {
    edition: { id: edition.id, year: edition.year, title: edition.title },
    phase,
    departments,
    participation: { ...totals, signedIn, share: signedIn > 0 ? totals.voters / signedIn : 0 },
    votesByDay: votesPerDay(times, edition.votingOpensAt, edition.votingClosesAt, now),
    backlog: {
      awaitingConsent: statuses.awaiting_consent ?? 0,
      inModeration: statuses.in_moderation ?? 0,
      changesRequested: statuses.changes_requested ?? 0,
      oldestInModeration: oldest,
      drafts: statuses.draft ?? 0,
    },
    // All jurors together: reviews submitted of reviews to do (entries they are not recused from).
    juryProgress: [...progress.values()].reduce((sum, p) => ({ done: sum.done + p.done, total: sum.total + p.total }), { done: 0, total: 0 }),
    jury: members.map((m) => ({ name: m.name, scored: progress.get(m.userId)?.done ?? 0, total: progress.get(m.userId)?.total ?? 0 })),
  };
}

/**
 * Votes per calendar day in Europe/Stockholm, every day from voting's opening (or the first vote) to
 * today, the closing day or the last vote, so quiet days show as zero.
 */
export function votesPerDay(times: Date[], opensAt: Date | null, closesAt: Date | null, now: Date): Array<{ day: string; count: number }> {
  const dayOf = (d: Date) => toStockholmLocal(d).slice(0, 10);
  const counts = new Map<string, number>();
  for (const t of times) counts.set(dayOf(t), (counts.get(dayOf(t)) ?? 0) + 1);
  const starts = [...counts.keys()];
  if (opensAt && opensAt <= now) starts.push(dayOf(opensAt));
  if (starts.length === 0) return [];
  const first = starts.sort()[0];
  const ends = [...counts.keys(), closesAt && closesAt < now ? dayOf(closesAt) : dayOf(now)];
  const last = ends.sort()[ends.length - 1];
  const out: Array<{ day: string; count: number }> = [];
  // Walk calendar days on a UTC noon anchor so daylight-saving changes never skip or repeat a day.
  for (let d = new Date(`${first}T12:00:00Z`); out.length < 400; d = new Date(d.getTime() + DAY)) {
    const key = d.toISOString().slice(0, 10);
    out.push({ day: key, count: counts.get(key) ?? 0 });
    if (key >= last) break;
  }
  return out;
}

type T = (key: string, params?: Record<string, string | number>) => string;

/** The SVG markup of each chart, labelled in the reader's language. */
export function charts(d: Dashboard | null, t: T, fmt: Formatters) {
  if (!d) return null;
  const n = (v: number) => fmt.number(v);
  return {
    departments: svg.horizontalBars({
      label: t('stats.departments.chartLabel'),
      rows: d.departments.map((r) => ({ label: r.name ?? t('stats.departments.none'), values: [r.submitted, r.published] })),
      series: [
        { name: t('stats.departments.submitted'), className: 'chart__bar--a' },
        { name: t('stats.departments.published'), className: 'chart__bar--b' },
      ],
      format: n,
    }),
    participation: svg.progressBars({
      label: t('stats.participation.chartLabel', { share: fmt.number(d.participation.share * 100, 0) }),
      rows: [{ label: t('stats.participation.voters'), done: d.participation.voters, total: d.participation.signedIn }],
      format: (done, total) => `${n(done)} / ${n(total)}`,
    }),
    votesByDay: svg.columns({ label: t('stats.votes.chartLabel'), points: d.votesByDay.map((p) => ({ label: fmt.dayMonth(p.day), value: p.count })), format: n }),
    backlog: svg.horizontalBars({
      label: t('stats.backlog.chartLabel'),
      rows: [
        { label: t('stats.backlog.inModeration'), values: [d.backlog.inModeration] },
        { label: t('stats.backlog.changesRequested'), values: [d.backlog.changesRequested] },
        { label: t('stats.backlog.awaitingConsent'), values: [d.backlog.awaitingConsent] },
      ],
      series: [{ name: t('stats.backlog.count'), className: 'chart__bar--a' }],
      format: n,
    }),
    jury: svg.progressBars({
      label: t('stats.jury.chartLabel'),
      rows: d.jury.map((j) => ({ label: j.name, done: j.scored, total: j.total })),
      format: (done, total) => `${n(done)} / ${n(total)}`,
    }),
  };
}
