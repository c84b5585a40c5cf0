// /notifications: the in-app list (R7), mark as read. The header's unread count is read with the
// viewer (src/auth/guards.ts).
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { flash } from '../http/locale';
import { notFound } from '../errors';
import * as notifications from './service';

/** Only links inside the app may be followed (no open redirect). */
const safeLink = (link: string | null) => (link && link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : '/notifications');

export function notificationRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/notifications', async (req, res) => {
    const items = await notifications.list(deps.db, req.viewer!.user.id);
    res.render('notifications/index', {
      title: req.t('notifications.title'),
      items: items.map((n) => ({ ...n, text: notifications.render(req.locale, n.kind, 'text', n.params) })),
    });
  });

  router.get('/notifications/:id/open', async (req, res) => {
    const id = Number(req.params.id);
    const mine = Number.isInteger(id) ? await notifications.findForUser(deps.db, req.viewer!.user.id, id) : null;
    if (!mine) throw notFound();
    await notifications.markRead(deps.db, req.viewer!.user.id, id, deps.now());
    res.redirect(303, safeLink(mine.link));
  });

  router.post('/notifications/read', async (req, res) => {
    const raw = (req.body as Record<string, unknown>).id;
    const id = raw === undefined || raw === '' ? null : Number(raw);
    if (id !== null && !Number.isInteger(id)) throw notFound();
    await notifications.markRead(deps.db, req.viewer!.user.id, id, deps.now());
    flash(req, 'success', 'notifications.markedRead');
    res.redirect(303, '/notifications');
  });

  return router;
}
