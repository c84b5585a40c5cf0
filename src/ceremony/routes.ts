// The ceremony (C1–C3, C6–C8). Three views of one show, kept in step by the server:
// - the presenter's view /ceremony/:year (admins and the jury chair): current and next slide, notes,
//   live counts, the controls, a clock, the reveal behind a confirmation, the rehearsal;
// - the audience view /ceremony/:year/screen, for the projector and for every employee at their desk:
//   the current slide only, no operator text; it follows the show over server-sent events and never
//   receives the winner's slides before the reveal;
// - the self-paced deck /ceremony/:year/slides (every slide in the page, ?slide=N without JavaScript):
//   the presenter's preview before the ceremony and everyone's replay after it.
import path from 'node:path';
import ejs from 'ejs';
import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import type { AppDeps } from '../deps';
import type { Viewer } from '../auth/viewer';
import { formatters, registerMessages, translate, type Locale } from '../i18n';
import { wantsJson } from '../auth/guards';
import { AppError, forbidden, notFound } from '../errors';
import { flash } from '../http/locale';
import { viewsDir } from '../paths';
import * as editions from '../editions/service';
import type { LiveFollow } from '../live/bus';
import * as live from '../live/service';
import { createLiveFeeds, openEventStream } from '../live/stream';
import { ceremonyMessages } from './messages';
import * as ceremony from './service';

registerMessages(ceremonyMessages);

export type LiveCounts = {
  pollId: number | null;
  open: boolean;
  total: number;
  /** The bars are hidden until the vote closes (the presenter's choice); only the total is sent. */
  hidden: boolean;
  /** Both employees and phones in the hall have voted: the counts are shown apart. */
  split: boolean;
  options: Array<{ nominationId: number; votes: number; employee: number; room: number }>;
};

type Deck = { result: ceremony.LockedResult; slides: ceremony.Slide[] };

/** `bus`: followed for the screens' streams; every change reaches it as an event after commit (src/events). */
export function ceremonyRoutes(deps: AppDeps, bus: LiveFollow): Router {
  const router = Router();
  const liveUrl = `${deps.config.publicUrl}/live`;
  const qrs = new Map<string, Promise<string>>();
  // An SVG QR code as a data: URI (the CSP allows img data:), sharp at any projector size.
  const qrDataUri = (url: string) => {
    let qr = qrs.get(url);
    if (!qr) {
      qr = QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
      qrs.set(url, qr);
    }
    return qr;
  };

  const accessFor = (req: Request) => ceremony.access(deps.db, req.viewer as Viewer, Number(req.params.year), deps.now());

  const presenterAccess = async (req: Request) => {
    const a = await accessFor(req);
    if (!a.presenter) throw forbidden();
    return a;
  };

  /** Every signed-in employee may follow the show from their desk (C6): the server decides what it shows. */
  const screenAccess = async (req: Request) => {
    const year = Number(req.params.year);
    const found = Number.isInteger(year) ? await editions.byYear(deps.db, year, deps.now()) : null;
    if (!found) throw notFound();
    return found;
  };

  /** Counts of the edition's newest live poll (numbers only). `screen`: what the audience may see. */
  const liveCounts = async (editionId: number, variant = 'full'): Promise<LiveCounts> => {
    const poll = await live.latestPoll(deps.db, editionId);
    if (!poll) return { pollId: null, open: false, total: 0, hidden: false, split: false, options: [] };
    const [c, show] = await Promise.all([live.pollCounts(deps.db, poll), ceremony.findShow(deps.db, editionId)]);
    const hidden = variant === 'screen' && show.liveHideBars && c.open;
    const split = c.options.some((o) => o.room > 0) && c.options.some((o) => o.employee > 0);
    return {
      pollId: c.pollId,
      open: c.open,
      total: c.total,
      hidden,
      split,
      options: hidden ? [] : c.options.map((o) => ({ nominationId: o.nominationId, votes: o.votes, employee: o.employee, room: o.room })),
    };
  };

  const placeholderTexts = (locale: Locale): ceremony.PlaceholderTexts => ({
    title: (n) => translate(locale, 'ceremony.rehearsal.entryTitle', { letter: String.fromCharCode(64 + n) }),
    lesson: translate(locale, 'ceremony.rehearsal.lesson'),
    department: translate(locale, 'ceremony.rehearsal.department'),
    name: (n) => translate(locale, 'ceremony.rehearsal.name', { n }),
    motivation: translate(locale, 'ceremony.rehearsal.motivation'),
  });

  /** The slides of the show as it runs now: the placeholder deck in a rehearsal, else the locked result. */
  const deckFor = async (edition: editions.Edition, phase: editions.PhaseState, show: ceremony.Show, locale: Locale): Promise<Deck | null> => {
    if (show.rehearsal) {
      const result = ceremony.placeholderResult(edition.id, placeholderTexts(locale), deps.now());
      return { result, slides: ceremony.buildSlides(result, [], true) };
    }
    const result = await ceremony.lockedResult(deps.db, edition.id);
    if (!result) return null;
    // Vote counts stay hidden until voting has closed (V3).
    const peoples = phase.votingClosed || phase.revealed ? await ceremony.peoplesChoice(deps.db, edition.id) : [];
    const withLive = !phase.revealed || (await live.latestPoll(deps.db, edition.id)) !== null;
    return { result, slides: ceremony.buildSlides(result, peoples, withLive) };
  };

  /** What every slide partial needs besides the slide itself. */
  const slideLocals = async (edition: editions.Edition, show: ceremony.Show, deck: Deck | null, counts: LiveCounts, locale: Locale) => {
    const poll = await live.latestPoll(deps.db, edition.id);
    const code = show.liveAudience === 'room' && poll && poll.closedAt === null && !show.rehearsal ? poll.code : null;
    const joinUrl = code ? `${liveUrl}?code=${code}` : liveUrl;
    return {
      t: (key: string, params?: Record<string, string | number>) => translate(locale, key, params),
      fmt: formatters(locale),
      locale,
      config: { orgName: deps.config.orgName, orgLogoUrl: deps.config.orgLogoUrl },
      edition,
      finalists: deck ? ceremony.neutralOrder(deck.result.finalists).map((f) => ({ id: f.id, title: f.title })) : [],
      live: {
        url: liveUrl,
        urlText: liveUrl.replace(/^https?:\/\//, ''),
        qr: await qrDataUri(joinUrl),
        code,
        hideBars: show.liveHideBars,
        state: counts.pollId === null ? 'none' : counts.open ? 'open' : 'closed',
        counts,
      },
    };
  };

  const slidePartial = path.join(viewsDir(), 'ceremony', '_slide.ejs');
  const renderSlide = (locals: Record<string, unknown>) =>
    ejs.renderFile(slidePartial, locals, { cache: deps.config.isProduction, root: viewsDir(), views: [viewsDir()], async: false });

  /**
   * The slide on the audience's screen now, rendered once per language for every screen that follows
   * the show. A sealed slide (the winner, the citation) is never rendered before the reveal, whatever the
   * stored state says. On the stream the chart's numbers come in their own `counts` messages (a vote
   * does not resend the slide); the page itself (`withCounts`) has them, for a screen without JavaScript.
   */
  const screenMessage = async (editionId: number, locale: Locale, withCounts = false) => {
    const edition = await editions.findById(deps.db, editionId);
    if (!edition) return { key: 'none', kind: 'waiting', black: true, html: '' };
    const phase = editions.phaseAt(edition, deps.now());
    const show = await ceremony.findShow(deps.db, editionId);
    const deck = await deckFor(edition, phase, show, locale);
    const empty: LiveCounts = { pollId: null, open: false, total: 0, hidden: false, split: false, options: [] };
    let slide: ceremony.Slide | { kind: 'waiting'; key: string } = { kind: 'waiting', key: 'waiting' };
    if (deck) {
      const s = deck.slides[ceremony.slideIndexOf(deck.slides, show.slideKey)];
      slide = ceremony.SEALED_KINDS.includes(s.kind) && !ceremony.unsealed(show, phase.revealed) ? deck.slides.find((x) => x.kind === 'drumroll')! : s;
    }
    const locals = await slideLocals(edition, show, deck, { ...empty, pollId: (await live.latestPoll(deps.db, editionId))?.id ?? null }, locale);
    if (slide.kind === 'live') {
      const c = await liveCounts(editionId, 'screen');
      locals.live.state = c.pollId === null ? 'none' : c.open ? 'open' : 'closed';
      locals.live.counts = withCounts ? c : { ...c, options: [] };
    }
    const html = await renderSlide({ ...locals, s: slide, level: 1, streamed: true });
    return { key: slide.key, kind: slide.kind, black: show.black, rehearsal: show.rehearsal, html };
  };

  const slideFeeds = createLiveFeeds(bus, (editionId, variant) => screenMessage(editionId, variant === 'en' ? 'en' : 'sv'), 'slide');
  const countFeeds = createLiveFeeds(bus, (editionId, variant) => liveCounts(editionId, variant));

  // ---------------------------------------------------------------- the presenter's view

  router.get('/ceremony/:year', async (req, res) => {
    const { edition, phase, presenter } = await screenAccess(req).then(async (found) => {
      const presenter = await ceremony.isPresenter(deps.db, req.viewer as Viewer, found.edition.id);
      return { ...found, presenter };
    });
    res.set('Cache-Control', 'no-store');
    // Colleagues follow the show from their desk until the reveal; after it they replay it at their pace.
    if (!presenter) {
      res.redirect(303, phase.revealed ? `/ceremony/${edition.year}/slides` : `/ceremony/${edition.year}/screen`);
      return;
    }
    const show = await ceremony.findShow(deps.db, edition.id);
    const deck = await deckFor(edition, phase, show, req.locale);
    const counts = await liveCounts(edition.id, 'full');
    const locals = await slideLocals(edition, show, deck, counts, req.locale);
    const at = deck ? ceremony.slideIndexOf(deck.slides, show.slideKey) : 0;
    const longTexts = deck && !phase.revealed && !show.rehearsal ? ceremony.longTexts(deck.result.finalists, deck.result.winnerId, deck.result.motivation) : [];
    res.render('ceremony/presenter', {
      layout: false,
      title: req.t('ceremony.presenter.title', { year: edition.year }),
      edition,
      revealed: phase.revealed,
      unsealed: ceremony.unsealed(show, phase.revealed),
      show,
      deck,
      at,
      current: deck?.slides[at] ?? null,
      next: deck?.slides[at + 1] ?? null,
      counts,
      slideLocals: locals,
      longTexts,
      now: deps.now(),
      leaveHref: (req.viewer as Viewer).roles.admin ? '/admin' : '/',
    });
  });

  /** Answers a presenter's action: JSON for the presenter's script, else back to the presenter's view. */
  const done = (req: Request, res: import('express').Response, year: number, body: unknown = { ok: true }) => {
    if (wantsJson(req)) res.json(body);
    else res.redirect(303, `/ceremony/${year}`);
  };

  router.post('/ceremony/:year/show', async (req, res) => {
    const { edition, phase } = await presenterAccess(req);
    const action = String(req.body?.action ?? '');
    const move: ceremony.ShowMove | null =
      action === 'next' || action === 'previous' || action === 'black' ? { kind: action } : action === 'goto' ? { kind: 'goto', key: String(req.body?.slide ?? '') } : null;
    if (!move) throw new AppError(400, 'ceremony.errors.unknownAction', undefined, 'errors.badRequest.title');
    const show = await ceremony.findShow(deps.db, edition.id);
    const deck = await deckFor(edition, phase, show, req.locale);
    if (!deck) throw new AppError(409, 'ceremony.errors.notLocked', undefined, 'ceremony.notLockedTitle');
    const moved = await ceremony.moveShow(deps.db, deps.events, show, deck.slides, phase.revealed, move, deps.now());
    if (!moved && !wantsJson(req) && move.kind === 'next' && deck.slides[ceremony.slideIndexOf(deck.slides, show.slideKey)].kind === 'drumroll') flash(req, 'info', 'ceremony.confirmFirst');
    done(req, res, edition.year, { moved });
  });

  router.post('/ceremony/:year/rehearsal', async (req, res) => {
    const { edition, phase } = await presenterAccess(req);
    // Once the winner is out there is nothing left to rehearse.
    if (phase.revealed) throw new AppError(409, 'ceremony.errors.revealedNoRehearsal', undefined, 'errors.badRequest.title');
    const show = await ceremony.findShow(deps.db, edition.id);
    const on = req.body?.on === '1';
    await ceremony.setRehearsal(deps.db, deps.events, show, on, deps.now());
    flash(req, 'success', on ? 'ceremony.rehearsal.started' : 'ceremony.rehearsal.ended');
    done(req, res, edition.year);
  });

  router.post('/ceremony/:year/live/settings', async (req, res) => {
    const { edition } = await presenterAccess(req);
    const audience = req.body?.audience;
    if (audience !== 'employees' && audience !== 'room') throw new AppError(400, 'ceremony.errors.audience', undefined, 'errors.badRequest.title');
    const show = await ceremony.findShow(deps.db, edition.id);
    await ceremony.setLiveSettings(deps.db, deps.events, show, { audience, hideBars: req.body?.hideBars === '1' }, deps.now());
    flash(req, 'success', 'ceremony.live.settingsSaved');
    done(req, res, edition.year);
  });

  // The reveal (C3, C6): only with the confirmation ticked, so a stray click or a clicker cannot reveal.
  router.post('/ceremony/:year/reveal', async (req, res) => {
    const { edition } = await presenterAccess(req);
    if (req.body?.confirm !== 'yes') {
      if (wantsJson(req)) throw new AppError(400, 'ceremony.errors.confirmReveal', undefined, 'errors.badRequest.title');
      flash(req, 'error', 'ceremony.errors.confirmReveal');
      res.redirect(303, `/ceremony/${edition.year}#reveal`);
      return;
    }
    const { rehearsal } = await ceremony.revealShow(deps.db, deps.events, edition.id, (req.viewer as Viewer).user.id, deps.now());
    flash(req, 'success', rehearsal ? 'ceremony.rehearsal.revealed' : 'ceremony.revealed');
    done(req, res, edition.year, { revealed: !rehearsal, rehearsal });
  });

  for (const action of ['open', 'close'] as const) {
    router.post(`/ceremony/:year/live/${action}`, async (req, res) => {
      const { edition } = await presenterAccess(req);
      const actorId = (req.viewer as Viewer).user.id;
      if (action === 'open') await live.open(deps.db, deps.events, edition.id, actorId, deps.now());
      else await live.close(deps.db, deps.events, edition.id, actorId, deps.now());
      if (wantsJson(req)) {
        res.json(await liveCounts(edition.id));
        return;
      }
      res.redirect(303, `/ceremony/${edition.year}`);
    });
  }

  // ---------------------------------------------------------------- the audience's view

  router.get('/ceremony/:year/screen', async (req, res) => {
    const { edition } = await screenAccess(req);
    res.set('Cache-Control', 'no-store');
    const message = await screenMessage(edition.id, req.locale, true);
    res.render('ceremony/screen', {
      layout: false,
      title: req.t('ceremony.title', { year: edition.year }),
      edition,
      message,
      stream: `/ceremony/${edition.year}/screen/stream`,
    });
  });

  // One stream carries the slide (`slide`) and the chart (`counts`); the presenter gets every count.
  router.get('/ceremony/:year/screen/stream', async (req, res) => {
    const { edition } = await screenAccess(req);
    const presenter = await ceremony.isPresenter(deps.db, req.viewer as Viewer, edition.id);
    openEventStream(res);
    slideFeeds.join(res, edition.id, req.locale);
    countFeeds.join(res, edition.id, presenter ? 'full' : 'screen');
  });

  // ---------------------------------------------------------------- the self-paced deck

  router.get('/ceremony/:year/slides', async (req, res) => {
    const { edition, phase, presenter } = await accessFor(req);
    res.set('Cache-Control', 'no-store');
    const show = { ...(await ceremony.findShow(deps.db, edition.id)), rehearsal: false };
    const deck = await deckFor(edition, phase, show, req.locale);
    if (!deck) {
      res.render('ceremony/not-locked', { title: req.t('ceremony.notLockedTitle'), edition });
      return;
    }
    const { slides } = deck;
    const requested = Number(req.query.slide);
    let current = Number.isInteger(requested) && requested >= 1 && requested <= slides.length ? requested : 1;
    // The winner's slides are reached through the reveal, never by typing their number before it.
    const drumroll = slides.findIndex((s) => s.kind === 'drumroll') + 1;
    if (!phase.revealed && current > drumroll) current = drumroll;
    const counts = await liveCounts(edition.id, presenter ? 'full' : 'screen');
    res.render('ceremony/show', {
      layout: false,
      title: req.t('ceremony.title', { year: edition.year }),
      edition,
      revealed: phase.revealed,
      presenter,
      slides,
      current,
      counts,
      slideLocals: await slideLocals(edition, show, deck, counts, req.locale),
      longTexts: presenter && !phase.revealed ? ceremony.longTexts(deck.result.finalists, deck.result.winnerId, deck.result.motivation) : [],
      leaveHref: presenter ? `/ceremony/${edition.year}` : `/archive/${edition.year}`,
    });
  });

  router.get('/ceremony/:year/live/counts', async (req, res) => {
    const { edition, presenter } = await accessFor(req);
    res.set('Cache-Control', 'no-store');
    res.json(await liveCounts(edition.id, presenter ? 'full' : 'screen'));
  });

  router.get('/ceremony/:year/live/stream', async (req, res) => {
    const { edition, presenter } = await accessFor(req);
    countFeeds.attach(res, edition.id, presenter ? 'full' : 'screen');
  });

  return router;
}
