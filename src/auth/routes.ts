// /auth/*: sign-in page, Entra ID sign-in (AUTH_MODE=azure, see azure-routes.ts), demo sign-in
// (AUTH_MODE=dev only), sign-out.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import * as users from '../users/service';
import * as editions from '../editions/service';
import * as jury from '../jury/service';
import { establishSession, endSession, safeReturnTo } from './session';
import { AppError } from '../errors';
import { signInLimiter } from '../http/rate-limit';
import { createEntraSignIn } from './azure';
import { azureRoutes } from './azure-routes';

export function authRoutes(deps: AppDeps): Router {
  const router = Router();
  const { config, db } = deps;

  router.get('/auth/login', (req, res) => {
    if (typeof req.query.returnTo === 'string') req.session.returnTo = safeReturnTo(req.query.returnTo);
    // Already signed in (e.g. a bookmarked sign-in page): go where they were heading.
    if (req.viewer) return res.redirect(303, safeReturnTo(req.session.returnTo));
    if (config.authMode === 'dev') return res.redirect(303, '/auth/dev');
    res.render('auth/login', { title: req.t('auth.signInTitle') });
  });

  const entra = config.authMode === 'azure' ? createEntraSignIn(config, deps.logger) : undefined;
  if (entra) router.use(azureRoutes(deps, entra));

  if (config.authMode === 'dev') {
    router.get('/auth/dev', async (req, res) => {
      const demoUsers = await users.listDemoUsers(db);
      const current = await editions.current(db, deps.now());
      const withRoles = await Promise.all(
        demoUsers.map(async (u) => {
          const role = current ? await jury.juryRole(db, current.edition.id, u.id) : { member: false, chair: false };
          const roleKey = u.isAdmin ? 'roles.admin' : role.chair ? 'roles.chair' : role.member ? 'roles.jury' : 'roles.employee';
          return { ...u, roleLabel: req.t(roleKey) };
        }),
      );
      res.render('auth/dev', { title: req.t('auth.devTitle'), demoUsers: withRoles });
    });

    router.post('/auth/dev', signInLimiter(), async (req, res) => {
      const email = typeof req.body?.email === 'string' ? req.body.email : '';
      const user = email ? await users.findByEmail(db, email) : null;
      if (!user || user.tenantId !== 'demo') {
        throw new AppError(400, 'auth.devUnknownUser', undefined, 'auth.devTitle');
      }
      const returnTo = await establishSession(req, user.id);
      res.redirect(303, returnTo);
    });
  }

  const signOut = async (req: import('express').Request, res: import('express').Response) => {
    await endSession(req);
    res.clearCookie(deps.sessionCookieName);
    res.redirect(303, '/auth/signed-out');
  };
  router.post('/auth/logout', signOut);
  router.get('/auth/signed-out', async (req, res) => {
    const microsoftLogoutUrl = deps.microsoftLogoutUrl ?? (await entra?.logoutUrl());
    res.render('auth/signed-out', { title: req.t('auth.signedOut'), microsoftLogoutUrl });
  });

  return router;
}
