// The home page: the current edition, its phase and the one action that matters now for this person.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import * as editions from '../editions/service';
import * as ceremony from '../ceremony/service';
import type { Viewer } from '../types';

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

export function homeRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const viewer = req.viewer as Viewer;
    const current = await editions.current(deps.db, deps.now());
    const criteria = current ? await editions.criteria(deps.db, current.edition.id) : [];
    const action = primaryAction(viewer, current?.phase ?? null);
    // After the reveal (C8) the home page leads with the winner and the jury's citation.
    const result = current?.phase.revealed ? await ceremony.lockedResult(deps.db, current.edition.id) : null;
    const winner = result ? { entry: result.finalists.find((f) => f.id === result.winnerId) ?? null, motivation: result.motivation } : null;
    // Nominating stays possible while voting is open; offer it as a second action then.
    const secondary: HomeAction | null =
      current?.phase.nominationOpen && action.href !== '/nominate' ? { href: '/nominate', labelKey: 'home.action.nominate' } : null;
    const roleKeys = [
      'roles.employee',
      ...(viewer.roles.jury ? [viewer.roles.chair ? 'roles.chair' : 'roles.jury'] : []),
      ...(viewer.roles.admin ? ['roles.admin'] : []),
    ];
    res.render('home', {
      title: req.t('app.name'),
      current,
      criteria,
      action,
      secondary,
      winner: winner?.entry ? winner : null,
      roles: roleKeys.map((k) => req.t(k)).join(', '),
    });
  });

  return router;
}
