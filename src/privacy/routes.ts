// "Mina uppgifter" (/me, R6): what is stored about me, and all of it as a JSON download.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { registerMessages } from '../i18n';
import { privacyMessages } from './messages';
import * as service from './service';
import * as audit from '../audit/service';
import { toStockholmLocal } from '../time';

registerMessages(privacyMessages);

export function privacyRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/me', async (req, res) => {
    const viewer = req.viewer!;
    const data = await service.exportMyData(deps.db, viewer.user.id, deps.now());
    res.render('me/index', {
      title: req.t('me.title'),
      profile: data.profile,
      counts: {
        nominations: data.nominations.length,
        consents: data.consentRequests.length,
        votes: data.votes.length,
        jury: data.jury.scores.length + data.jury.notes.length,
        notifications: data.notifications.length,
      },
      draftMaxAgeDays: deps.config.draftMaxAgeDays,
    });
  });

  // A POST (a button on /me): the download is audited, and a GET changes nothing.
  router.post('/me/data.json', async (req, res) => {
    const now = deps.now();
    const userId = req.viewer!.user.id;
    const data = await service.exportMyData(deps.db, userId, now);
    await audit.record(deps.db, { actorId: userId, action: 'privacy.data_downloaded', subjectType: 'user', subjectId: userId }, now);
    res.set('Cache-Control', 'no-store');
    res.attachment(`mina-uppgifter-${toStockholmLocal(now).slice(0, 10)}.json`);
    res.type('application/json').send(JSON.stringify(data, null, 2));
  });

  return router;
}
