// GET /ceremony/:year/calendar.ics: the ceremony's calendar invitation (R10), in the reader's language.
// Not for an edition still in setup unless the reader is an admin (employees do not see it yet).
import { Router } from 'express';
import type { AppDeps } from '../deps';
import * as editions from '../editions/service';
import { notFound } from '../errors';
import type { Viewer } from '../auth/viewer';
import { calendarFileName, ceremonyInvitation } from './service';

export function calendarRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/ceremony/:year/calendar.ics', async (req, res) => {
    const year = /^\d{4}$/.test(req.params.year) ? Number(req.params.year) : NaN;
    const found = Number.isInteger(year) ? await editions.byYear(deps.db, year, deps.now()) : null;
    if (!found || (found.phase.stage === 'setup' && !(req.viewer as Viewer).roles.admin)) throw notFound();
    const ics = ceremonyInvitation(found.edition, deps.config.publicUrl, req.locale);
    if (!ics) throw notFound();
    res.set('Content-Type', 'text/calendar; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="${calendarFileName(year)}"`);
    res.set('Cache-Control', 'no-cache');
    res.send(ics);
  });

  return router;
}
