// /live: the QR target of the ceremony (C2). Employees vote on their phones; plain forms, no script.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import type { Viewer } from '../types';
import { registerMessages } from '../i18n';
import { flash } from '../http/locale';
import { perUserLimiter } from '../http/rate-limit';
import * as editions from '../editions/service';
import { badRequest } from '../errors';
import { liveMessages } from './messages';
import * as live from './service';

registerMessages(liveMessages);

export function liveRoutes(deps: AppDeps): Router {
  const router = Router();
  const voteLimiter = perUserLimiter(30);

  router.get('/live', async (req, res) => {
    const viewer = req.viewer as Viewer;
    const now = deps.now();
    const current = await editions.current(deps.db, now);
    const poll = current ? await live.latestPoll(deps.db, current.edition.id) : null;
    const counts = poll ? await live.pollCounts(deps.db, poll) : null;
    const mine = poll ? await live.voterChoice(deps.db, poll.id, viewer.user.id) : null;
    res.set('Cache-Control', 'no-store');
    res.render('live/index', { title: req.t('live.title'), edition: current?.edition ?? null, poll, counts, mine });
  });

  router.post('/live/vote', voteLimiter, async (req, res) => {
    const viewer = req.viewer as Viewer;
    const pollId = Number(req.body?.poll);
    const nominationId = Number(req.body?.nomination);
    if (!Number.isInteger(pollId) || pollId <= 0) throw badRequest('live.errors.noPoll');
    if (!Number.isInteger(nominationId) || nominationId <= 0) throw badRequest('live.errors.notAFinalist');
    await live.vote(deps.db, deps.events, pollId, viewer.user.id, nominationId, deps.now());
    flash(req, 'success', 'live.voted');
    res.redirect(303, '/live');
  });

  return router;
}
