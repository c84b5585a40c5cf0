// Routes open without sign-in: health checks, the language switch and the accessibility statement.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { isReachable } from '../db';
import { isLocale } from '../i18n';
import { LOCALE_COOKIE } from './locale';
import { safeReturnTo } from '../auth/session';
import * as users from '../users/service';
import { notFound } from '../errors';

export function publicRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const ok = await isReachable(deps.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'unreachable' });
  });

  // A plain link (works without JavaScript and before sign-in); the choice is remembered in a cookie,
  // the session and, when signed in, on the user.
  router.get('/lang/:locale', async (req, res) => {
    const locale = req.params.locale;
    if (!isLocale(locale)) throw notFound();
    res.cookie(LOCALE_COOKIE, locale, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.isProduction,
      maxAge: 365 * 24 * 60 * 60 * 1000,
    });
    if (req.session) req.session.locale = locale;
    if (req.viewer) await users.setLocale(deps.db, req.viewer.user.id, locale);
    res.redirect(303, safeReturnTo(req.query.next));
  });

  router.get('/accessibility', (req, res) => {
    res.render('accessibility', { title: req.t('a11y.title') });
  });

  return router;
}
