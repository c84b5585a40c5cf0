// Who may see what. `loadViewer` resolves the signed-in user and their roles once per request;
// `requireSignIn` sends signed-out visitors to sign-in (pages) or answers 401 (JSON/XHR);
// `requireRole` guards a router by role.
import type { NextFunction, Request, Response } from 'express';
import type { Db } from '../db';
import * as users from '../users/service';
import * as editions from '../editions/service';
import { AppError, forbidden } from '../errors';

export function loadViewer(db: Db, now: () => Date) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const userId = req.session?.userId;
    if (userId) {
      // The current edition comes from memory (src/read-cache.ts); user and jury role come in one query.
      const current = await editions.current(db, now());
      const found = await users.findWithJuryRole(db, userId, current?.edition.id ?? null);
      if (!found) {
        delete req.session.userId;
      } else {
        req.viewer = { user: found.user, roles: { admin: found.user.isAdmin, jury: found.jury.member, chair: found.jury.chair } };
        // The header shows it on pages; read with the user (src/users/queries.ts).
        res.locals.unreadCount = req.method === 'GET' ? found.unreadNotifications : 0;
      }
    }
    res.locals.viewer = req.viewer ?? null;
    next();
  };
}

export function wantsJson(req: Request): boolean {
  if (req.xhr) return true;
  const accept = req.get('accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function requireSignIn(req: Request, res: Response, next: NextFunction): void {
  if (req.viewer) return next();
  if (wantsJson(req) || req.method !== 'GET') {
    return next(new AppError(401, 'errors.unauthorized.text', undefined, 'auth.signInTitle'));
  }
  req.session.returnTo = req.originalUrl;
  res.redirect(303, '/auth/login');
}

export type Role = 'admin' | 'jury' | 'chair';

export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const v = req.viewer;
    if (!v) return next(new AppError(401, 'errors.unauthorized.text'));
    if (roles.some((r) => v.roles[r])) return next();
    next(forbidden());
  };
}
