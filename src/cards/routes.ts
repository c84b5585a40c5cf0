// /admin/cards (C5): share cards of the winner and the finalists of every locked result, for admins.
import { Router } from 'express';
import type { AppDeps } from '../deps';
import { requireRole } from '../auth/guards';
import { registerMessages } from '../i18n';
import { notFound } from '../errors';
import * as editions from '../editions/service';
import * as ceremony from '../ceremony/service';
import { cardMessages } from './messages';
import { renderCard, type CardFormat } from './render';

registerMessages(cardMessages);

export function cardRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use('/admin/cards', requireRole('admin'));
  // Drawing a card takes a few hundred milliseconds; keep the latest ones (keyed by their full text).
  const cache = new Map<string, Promise<Buffer>>();
  const cached = (key: string, render: () => Promise<Buffer>) => {
    let png = cache.get(key);
    if (!png) {
      png = render();
      png.catch(() => cache.delete(key));
      cache.set(key, png);
      if (cache.size > 40) cache.delete(cache.keys().next().value as string);
    }
    return png;
  };

  const lockedEditions = async () => {
    const out = [];
    for (const edition of await editions.all(deps.db)) {
      const result = await ceremony.lockedResult(deps.db, edition.id);
      if (!result) continue;
      const winner = result.finalists.find((f) => f.id === result.winnerId);
      const entries = [...(winner ? [{ entry: winner, winner: true }] : []), ...result.finalists.filter((f) => f.id !== result.winnerId).map((entry) => ({ entry, winner: false }))];
      const revealed = editions.phaseAt(edition, deps.now()).revealed;
      // C1: before the ceremony, the slides whose texts will be small or split.
      const longTexts = revealed ? [] : ceremony.longTexts(result.finalists, result.winnerId, result.motivation);
      out.push({ edition, revealed, entries, longTexts });
    }
    return out;
  };

  router.get('/admin/cards', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const current = await editions.current(deps.db, deps.now());
    res.render('ceremony/cards', { title: req.t('cards.title'), list: await lockedEditions(), currentEditionId: current?.edition.id ?? null });
  });

  router.get('/admin/cards/:id/:file', async (req, res) => {
    const id = Number(req.params.id);
    const m = /^(square|wide)\.png$/.exec(String(req.params.file));
    if (!Number.isInteger(id) || !m) throw notFound();
    const format = m[1] as CardFormat;
    const found = (await lockedEditions()).flatMap((e) => e.entries.map((x) => ({ ...x, edition: e.edition }))).find((x) => x.entry.id === id);
    if (!found) throw notFound();
    const text = {
      award: found.edition.title,
      kind: req.t(found.winner ? 'cards.winner' : 'cards.finalist'),
      title: found.entry.title,
      lesson: found.entry.lesson,
      footer: req.t('cards.footer', { org: deps.config.orgName }),
    };
    const png = await cached(JSON.stringify([format, text]), () => renderCard(text, format));
    res.set('Content-Type', 'image/png');
    res.set('Cache-Control', 'private, no-store');
    if (req.query.inline !== '1') {
      res.set('Content-Disposition', `attachment; filename="arets-misstag-${found.edition.year}-${id}-${format}.png"`);
    }
    res.send(png);
  });

  return router;
}
