// /notifications: the in-app list (R7), mark as read. The header's unread count is read with the
// viewer (src/auth/guards.ts).
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { flash } from '../http/locale';
import { notFound } from '../errors';
import * as notifications from './service';
import * as nominations from '../nominations/service';

/** Only links inside the app may be followed (no open redirect). */
const safeLink = (link: string | null) => (link && link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\') ? link : '/notifications');

export function notificationRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/notifications', async (req, res) => {
    const [items, questions] = await Promise.all([
      notifications.list(deps.db, req.viewer!.user.id),
      nominations.openConsentQuestions(deps.db, req.viewer!, deps.now()),
    ]);
    // A consent question is shown until it is answered (R10), whether or not it was stored as a
    // notification; the stored one is not listed twice.
    const text = (n: notifications.Notification) => notifications.render(req.locale, n.kind, 'text', n.params);
    const stored = new Map(items.filter((n) => n.link).map((n) => [n.link as string, n]));
    res.render('notifications/index', {
      title: req.t('notifications.title'),
      // The stored notification says who asked; a colleague named by e-mail before signing in has none.
      questions: questions.map((q) => {
        const n = stored.get(`/consent/${q.token}`);
        return { ...q, text: n ? text(n) : req.t('notifications.waiting.consent', { title: q.title }) };
      }),
      items: items.filter((n) => !(n.link && questions.some((q) => `/consent/${q.token}` === n.link))).map((n) => ({ ...n, text: text(n) })),
    });
  });

  // A POST (a button): opening marks the notification read, and a GET changes nothing.
  router.post('/notifications/:id/open', async (req, res) => {
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
