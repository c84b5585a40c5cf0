// /archive and /archive/:year (C4). Each lesson links to its permanent page /entries/:id.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { registerMessages } from '../i18n';
import { notFound } from '../errors';
import { editionTitle } from '../http/locale';
import { archiveMessages } from './messages';
import * as archive from './service';

registerMessages(archiveMessages);

export function archiveRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/archive', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 200) : '';
    const now = deps.now();
    const [editions, results] = await Promise.all([archive.overview(deps.db, now), q.trim() ? archive.search(deps.db, q, now) : Promise.resolve(null)]);
    res.render('archive/index', { title: req.t('archive.title'), editions, q, results });
  });

  router.get('/archive/:year', async (req, res) => {
    const year = Number(req.params.year);
    if (!Number.isInteger(year)) throw notFound();
    const found = await archive.year(deps.db, year, deps.now());
    if (!found) throw notFound();
    const sorted = [...found.entries].sort((a, b) => res.locals.fmt.collator.compare(a.title, b.title));
    res.render('archive/year', { title: editionTitle(req.locale, found.edition.title), a: found, entries: sorted });
  });

  return router;
}
