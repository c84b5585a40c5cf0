// The "To do" card on the home page (SPEC R10): what this person, in their roles, has waiting now.
// Each task comes from the feature that owns it, through that feature's service.
import type { Db } from '../db';
import type { Params } from '../i18n';
import type { Viewer } from '../auth/viewer';
import type { EditionWithPhase } from '../editions/service';
import * as nominations from '../nominations/service';
import * as voting from '../voting/service';
import * as jury from '../jury/service';

export type HomeTask = { key: string; params: Params; href: string };

export async function tasksFor(db: Db, viewer: Viewer, current: EditionWithPhase | null, now: Date, compareText: (a: string, b: string) => number): Promise<HomeTask[]> {
  const tasks: HomeTask[] = [];
  for (const q of await nominations.openConsentQuestions(db, viewer, now)) {
    tasks.push({ key: 'home.task.consent', params: { title: q.title }, href: `/consent/${q.token}` });
  }
  if (!current) return tasks;
  const { edition, phase } = current;
  for (const n of await nominations.unfinishedOf(db, viewer, edition.id)) {
    const open = n.status === 'draft' ? phase.nominationOpen : !phase.judgingStarted;
    if (!open) continue;
    tasks.push({ key: n.status === 'draft' ? 'home.task.draft' : 'home.task.changes', params: { title: n.title || '…' }, href: `/nominations/${n.id}/edit` });
  }
  if (phase.votingOpen) {
    const ballot = await voting.ballotFor(db, { id: viewer.user.id, email: viewer.user.email }, now);
    const left = ballot ? ballot.budget - ballot.used : 0;
    if (left > 0) tasks.push({ key: 'home.task.votes', params: { count: left }, href: '/entries' });
  }
  if (viewer.roles.jury && phase.judgingOpen) {
    const board = await jury.dashboard(db, edition.id, { id: viewer.user.id, email: viewer.user.email }, compareText);
    const left = board.toAssess - board.submitted;
    if (left > 0 && !board.locked) tasks.push({ key: 'home.task.score', params: { count: left }, href: '/jury' });
  }
  if (viewer.roles.admin) {
    const waiting = await nominations.waitingForModeration(db, edition.id);
    if (waiting > 0) tasks.push({ key: 'home.task.moderate', params: { count: waiting }, href: '/admin/moderation' });
  }
  return tasks;
}
