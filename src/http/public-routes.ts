// Routes open without sign-in: health checks, the language switch and the accessibility statement.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { isReachable } from '../db';
import { isLocale } from '../i18n';
import { LOCALE_COOKIE } from './locale';
import { safeReturnTo } from '../auth/session';
import * as users from '../users/service';
import { badRequest } from '../errors';

/** The probes: mounted before the session and the request log, so a probe leaves no trace. */
export function healthRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ok = await isReachable(deps.db);
    res.set('Cache-Control', 'no-store');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'unreachable' });
  });
  return router;
}

export function publicRoutes(deps: AppDeps): Router {
  const router = Router();

  // A small form in every page's header (works without JavaScript and before sign-in): a POST, so no
  // link or image elsewhere can change someone's language. The choice is remembered in a cookie, the
  // session and, when signed in, on the user.
  router.post('/lang', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const locale = body.locale;
    if (typeof locale !== 'string' || !isLocale(locale)) throw badRequest('errors.badRequest.text');
    res.cookie(LOCALE_COOKIE, locale, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.config.isProduction,
      maxAge: 365 * 24 * 60 * 60 * 1000,
    });
    if (req.session) req.session.locale = locale;
    if (req.viewer) await users.setLocale(deps.db, req.viewer.user.id, locale);
    res.redirect(303, safeReturnTo(body.next));
  });

  router.get('/accessibility', (req, res) => {
    res.render('accessibility', { title: req.t('a11y.title') });
  });

  return router;
}
