// The home page (SPEC R10): what this person has to do, the current edition as its phase is now, and —
// between editions — last year's lessons. The template is split into partials under views/home/.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import * as editions from '../editions/service';
import * as archive from '../archive/service';
import * as ceremony from '../ceremony/service';
import type { Viewer } from '../auth/viewer';
import { tasksFor } from './tasks';

export type HomeAction = { href: string; labelKey: string };

/** The one thing to do now, by role and phase (jury and admin duties first, then taking part). */
export function primaryAction(viewer: Viewer, phase: editions.PhaseState | null): HomeAction {
  if (!phase) return { href: '/archive', labelKey: 'home.action.archive' };
  if (viewer.roles.jury && phase.judgingOpen) return { href: '/jury', labelKey: 'home.action.score' };
  if (viewer.roles.admin && (phase.stage === 'setup' || phase.stage === 'ceremony')) return { href: '/admin', labelKey: 'home.action.admin' };
  if (phase.votingOpen) return { href: '/entries', labelKey: 'home.action.vote' };
  if (phase.nominationOpen) return { href: '/nominate', labelKey: 'home.action.nominate' };
  if (phase.stage === 'archived' || phase.revealed) return { href: '/archive', labelKey: 'home.action.archive' };
  return { href: '/entries', labelKey: 'home.action.entries' };
}

/**
 * The edition card's heading and lead, from what is open now rather than from the stage alone, so a
 * manual override (voting closed early, nomination reopened) reads right.
 */
export function phaseHeadline(p: editions.PhaseState): string {
  if (p.archived) return 'home.now.archived';
  if (p.revealed) return 'home.now.revealed';
  if (p.ceremonyDue) return 'home.now.ceremony';
  if (p.nominationOpen && p.votingOpen) return 'home.now.nominationAndVoting';
  if (p.votingOpen) return 'home.now.voting';
  if (p.nominationOpen) return 'home.now.nomination';
  if (p.judgingStarted) return 'home.now.judging';
  if (p.votingClosed) return 'home.now.votingClosed';
  if (p.stage === 'nomination') return 'home.now.betweenNominationAndVoting';
  return 'home.now.setup';
}

export type TimelineStep = { key: string; from: Date | null; to: Date | null; state: 'done' | 'open' | 'upcoming' };

export function timeline(e: editions.Edition, p: editions.PhaseState): TimelineStep[] {
  const laterStage = (s: editions.Stage) => ['voting', 'judging', 'ceremony', 'archived'].includes(s);
  return [
    { key: 'nomination', from: e.nominationOpensAt, to: e.nominationClosesAt, state: p.nominationOpen ? 'open' : p.stage === 'nomination' || laterStage(p.stage) ? 'done' : 'upcoming' },
    { key: 'voting', from: e.votingOpensAt, to: e.votingClosesAt, state: p.votingOpen ? 'open' : p.votingClosed ? 'done' : 'upcoming' },
    { key: 'judging', from: e.judgingOpensAt, to: e.judgingClosesAt, state: p.judgingOpen ? 'open' : p.judgingStarted ? 'done' : 'upcoming' },
    { key: 'ceremony', from: e.ceremonyAt, to: null, state: p.revealed || p.archived ? 'done' : p.ceremonyDue ? 'open' : 'upcoming' },
  ];
}

export function homeRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const viewer = req.viewer as Viewer;
    const now = deps.now();
    const found = await editions.current(deps.db, now);
    // An edition still being set up (intro copied from last year, dates not confirmed) is for admins only.
    const current = found && (found.phase.stage !== 'setup' || viewer.roles.admin) ? found : null;
    const showEdition = current && !current.phase.archived ? current : null;
    const [criteria, tasks] = await Promise.all([
      showEdition ? editions.criteria(deps.db, showEdition.edition.id) : Promise.resolve([]),
      tasksFor(deps.db, viewer, showEdition, now, res.locals.fmt.collator.compare),
    ]);
    // Between editions, last year's lessons invite you in.
    let lastYear: Awaited<ReturnType<typeof archive.year>> = null;
    if (!showEdition) {
      const newest = (await archive.shownEditions(deps.db, now))[0];
      lastYear = newest ? await archive.year(deps.db, newest.year, now) : null;
    }
    const action = primaryAction(viewer, showEdition?.phase ?? null);
    // After the reveal (C8) the home page leads with the winner and the jury's citation.
    const result = showEdition?.phase.revealed ? await ceremony.lockedResult(deps.db, showEdition.edition.id) : null;
    const winnerEntry = result ? (result.finalists.find((f) => f.id === result.winnerId) ?? null) : null;
    // Nominating stays possible while voting is open; offer it as a second action then.
    const secondary: HomeAction | null =
      showEdition?.phase.nominationOpen && action.href !== '/nominate' ? { href: '/nominate', labelKey: 'home.action.nominate' } : null;
    res.render('home', {
      title: req.t('app.name'),
      current: showEdition,
      headline: showEdition ? phaseHeadline(showEdition.phase) : null,
      steps: showEdition ? timeline(showEdition.edition, showEdition.phase) : [],
      criteria,
      tasks,
      lastYear,
      action,
      secondary,
      winner: result && winnerEntry ? { entry: winnerEntry, motivation: result.motivation } : null,
    });
  });

  return router;
}
