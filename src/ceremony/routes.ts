// Presentation mode /ceremony/:year (C1), the presenter's controls for the live vote (C2) and the
// reveal (C3). Every slide is in the page; without JavaScript ?slide=N shows one and links move on.
import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import type { AppDeps } from '../deps';
import type { Viewer } from '../types';
import { registerMessages } from '../i18n';
import { wantsJson } from '../auth/guards';
import { forbidden } from '../errors';
import { flash } from '../http/locale';
import type { LiveBus } from '../live/bus';
import * as live from '../live/service';
import { createLiveFeeds } from '../live/stream';
import { ceremonyMessages } from './messages';
import * as ceremony from './service';

registerMessages(ceremonyMessages);

export function ceremonyRoutes(deps: AppDeps, bus: LiveBus): Router {
  const router = Router();
  const liveUrl = `${deps.config.publicUrl}/live`;
  let qr: Promise<string> | undefined;
  // An SVG QR code as a data: URI (the CSP allows img data:), sharp at any projector size.
  const qrDataUri = () =>
    (qr ??= QRCode.toString(liveUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`));

  const accessFor = (req: Request) => ceremony.access(deps.db, req.viewer as Viewer, Number(req.params.year), deps.now());

  const presenterAccess = async (req: Request) => {
    const a = await accessFor(req);
    if (!a.presenter) throw forbidden();
    return a;
  };

  /** Counts of the edition's newest live poll, for the chart (numbers only). */
  const liveCounts = async (editionId: number) => {
    const poll = await live.latestPoll(deps.db, editionId);
    if (!poll) return { pollId: null, open: false, total: 0, options: [] };
    const c = await live.pollCounts(deps.db, poll);
    return { pollId: c.pollId, open: c.open, total: c.total, options: c.options.map((o) => ({ nominationId: o.nominationId, votes: o.votes })) };
  };

  const feeds = createLiveFeeds(bus, liveCounts);

  const slidesFor = async (editionId: number, revealed: boolean, votingClosed: boolean) => {
    const result = await ceremony.lockedResult(deps.db, editionId);
    if (!result) return null;
    // Vote counts stay hidden until voting has closed (V3).
    const peoples = votingClosed || revealed ? await ceremony.peoplesChoice(deps.db, editionId) : [];
    const withLive = !revealed || (await live.latestPoll(deps.db, editionId)) !== null;
    return { result, slides: ceremony.buildSlides(result, peoples, withLive) };
  };

  const slideIndex = (slides: ceremony.Slide[], kind: ceremony.Slide['kind']) => slides.findIndex((s) => s.kind === kind) + 1;

  router.get('/ceremony/:year', async (req, res) => {
    const { edition, phase, presenter } = await accessFor(req);
    res.set('Cache-Control', 'no-store');
    const built = await slidesFor(edition.id, phase.revealed, phase.votingClosed);
    if (!built) {
      res.render('ceremony/not-locked', { title: req.t('ceremony.notLockedTitle'), edition });
      return;
    }
    const { slides } = built;
    const requested = Number(req.query.slide);
    let current = Number.isInteger(requested) && requested >= 1 && requested <= slides.length ? requested : 1;
    // The winner slide is reached through the reveal, never by typing its number before it.
    const winnerAt = slideIndex(slides, 'winner');
    if (!phase.revealed && current === winnerAt) current = winnerAt - 1;
    const counts = await liveCounts(edition.id);
    const titles = new Map(built.result.finalists.map((f) => [f.id, f.title]));
    res.render('ceremony/show', {
      layout: false,
      title: req.t('ceremony.title', { year: edition.year }),
      edition,
      revealed: phase.revealed,
      presenter,
      slides,
      current,
      counts,
      titles,
      liveUrl,
      liveUrlText: liveUrl.replace(/^https?:\/\//, ''),
      qr: await qrDataUri(),
      leaveHref: presenter ? ((req.viewer as Viewer).roles.admin ? '/admin' : '/') : `/archive/${edition.year}`,
    });
  });

  router.post('/ceremony/:year/reveal', async (req, res) => {
    const { edition, phase } = await presenterAccess(req);
    await ceremony.reveal(deps.db, deps.events, edition.id, (req.viewer as Viewer).user.id, deps.now());
    if (wantsJson(req)) {
      res.json({ revealed: true });
      return;
    }
    const built = await slidesFor(edition.id, true, phase.votingClosed);
    flash(req, 'success', 'ceremony.revealed');
    res.redirect(303, `/ceremony/${edition.year}?slide=${built ? slideIndex(built.slides, 'winner') : 1}`);
  });

  for (const action of ['open', 'close'] as const) {
    router.post(`/ceremony/:year/live/${action}`, async (req, res) => {
      const { edition, phase } = await presenterAccess(req);
      const actorId = (req.viewer as Viewer).user.id;
      if (action === 'open') await live.open(deps.db, deps.events, edition.id, actorId, deps.now());
      else await live.close(deps.db, deps.events, edition.id, actorId, deps.now());
      if (wantsJson(req)) {
        res.json(await liveCounts(edition.id));
        return;
      }
      const built = await slidesFor(edition.id, phase.revealed, phase.votingClosed);
      res.redirect(303, `/ceremony/${edition.year}?slide=${built ? slideIndex(built.slides, 'live') : 1}`);
    });
  }

  router.get('/ceremony/:year/live/counts', async (req, res) => {
    const { edition } = await accessFor(req);
    res.set('Cache-Control', 'no-store');
    res.json(await liveCounts(edition.id));
  });

  router.get('/ceremony/:year/live/stream', async (req, res) => {
    const { edition } = await accessFor(req);
    feeds.attach(res, edition.id);
  });

  return router;
}
