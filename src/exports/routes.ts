// /admin/exports: CSV downloads and the printable finalists report (R3). Admins only; all audited.
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import { requireRole } from '../auth/guards';
import { registerMessages } from '../i18n';
import * as editions from '../editions/service';
import { exportMessages } from './messages';
import * as service from './service';
import type { CsvFile } from './service';

registerMessages(exportMessages);

function sendCsv(res: Response, file: CsvFile): void {
  res.set('Cache-Control', 'no-store');
  res.attachment(file.filename);
  res.type('text/csv; charset=utf-8').send(file.csv);
}

export function exportRoutes(deps: AppDeps): Router {
  const router = Router();
  const admin = requireRole('admin');
  const year = (q: unknown) => (typeof q === 'string' ? q.trim().slice(0, 4) : '');

  router.get('/admin/exports', admin, async (req, res) => {
    const now = deps.now();
    const chosen = await service.editionFor(deps.db, year(req.query.year), now);
    const all = await editions.all(deps.db);
    res.render('admin/exports', { title: req.t('exports.title'), chosen, all, canExportVotes: service.canExportVotes(chosen.phase) });
  });

  // Each download is audited (R4), so it is a POST from the exports page (a form per export, no script
  // needed): a GET changes nothing, and no link or prefetch can write an audit line in someone's name.
  const chosenYear = (req: Request) => year((req.body as Record<string, unknown> | undefined)?.year);

  router.post('/admin/exports/entries.csv', admin, async (req, res) => {
    const now = deps.now();
    const e = await service.editionFor(deps.db, chosenYear(req), now);
    sendCsv(res, await service.entriesCsv(deps.db, e, req.locale, req.viewer!.user.id, now));
  });

  router.post('/admin/exports/votes.csv', admin, async (req, res) => {
    const now = deps.now();
    const e = await service.editionFor(deps.db, chosenYear(req), now);
    sendCsv(res, await service.votesCsv(deps.db, e, req.locale, req.viewer!.user.id, now));
  });

  router.post('/admin/exports/scores.csv', admin, async (req, res) => {
    const now = deps.now();
    const e = await service.editionFor(deps.db, chosenYear(req), now);
    sendCsv(res, await service.scoresCsv(deps.db, e, req.locale, req.viewer!.user.id, now));
  });

  router.post('/admin/exports/finalists', admin, async (req, res) => {
    const now = deps.now();
    const e = await service.editionFor(deps.db, chosenYear(req), now);
    const report = await service.finalistsReport(deps.db, e, req.viewer!.user.id, res.locals.fmt.collator.compare, now);
    res.set('Cache-Control', 'no-store');
    res.render('admin/finalists-report', { title: req.t('report.title', { year: e.edition.year }), report, printedAt: now });
  });

  return router;
}
