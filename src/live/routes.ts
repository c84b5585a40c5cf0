// /live: the phone vote at the ceremony (C2, C7), a page of its own with no site header. Signed-in
// employees vote; when the ceremony lets everyone in the hall vote, a phone that typed the code on the
// slide (or scanned the QR code, which carries it) gets a signed device cookie and one vote. The page
// changes by itself when the vote opens and closes (public/js/live.js over /live/stream). Plain forms.
import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import { registerMessages } from '../i18n';
import { flash } from '../http/locale';
import { perUserLimiter, perAddressLimiter } from '../http/rate-limit';
import * as editions from '../editions/service';
import * as ceremony from '../ceremony/service';
import { AppError, badRequest } from '../errors';
import type { LiveFollow } from './bus';
import { liveMessages } from './messages';
import * as live from './service';
import { createLiveFeeds } from './stream';

registerMessages(liveMessages);

const DEVICE_COOKIE = 'live_device';

/** `bus`: followed for the phones' stream only; a vote reaches it as the 'live.voted' event. */
export function liveRoutes(deps: AppDeps, bus: LiveFollow): Router {
  const router = Router();
  const voteLimiter = perUserLimiter(30);
  // A hall shares one address behind its Wi-Fi: only wrong codes count, and guessing soon runs out of tries
  // (300 guesses in five minutes among a million codes).
  const joinLimiter = perAddressLimiter(300, 5 * 60 * 1000, true);
  const roomVoteLimiter = perAddressLimiter(5000, 60 * 1000);

  const sign = (value: string) => crypto.createHmac('sha256', deps.config.sessionSecret).update(`live-device:${value}`).digest('base64url').slice(0, 32);

  /** The phone's device id, if its signed cookie admits it to this poll. */
  const deviceFor = (req: Request, pollId: number): string | null => {
    const raw = req.cookies?.[DEVICE_COOKIE];
    if (typeof raw !== 'string') return null;
    const [deviceId, poll, sig] = raw.split('.');
    if (!deviceId || !poll || !sig || Number(poll) !== pollId) return null;
    const expected = sign(`${deviceId}.${poll}`);
    const ok = sig.length === expected.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
    return ok ? deviceId : null;
  };

  const admitDevice = (req: Request, res: Response, pollId: number) => {
    // A phone keeps its id from poll to poll; the cookie names the poll it typed the code for.
    const old = typeof req.cookies?.[DEVICE_COOKIE] === 'string' ? String(req.cookies[DEVICE_COOKIE]).split('.')[0] : '';
    const deviceId = /^[\w-]{16,32}$/.test(old) ? old : crypto.randomBytes(16).toString('base64url');
    const value = `${deviceId}.${pollId}`;
    res.cookie(DEVICE_COOKIE, `${value}.${sign(value)}`, { httpOnly: true, sameSite: 'lax', secure: deps.config.isProduction, maxAge: 24 * 60 * 60 * 1000 });
  };

  /** The current edition's newest poll and who may vote in it. */
  const context = async () => {
    const current = await editions.current(deps.db, deps.now());
    if (!current) return null;
    const [poll, show] = await Promise.all([live.latestPoll(deps.db, current.edition.id), ceremony.findShow(deps.db, current.edition.id)]);
    return { edition: current.edition, poll, room: show.liveAudience === 'room' };
  };

  const signInFirst = (req: Request, res: Response) => {
    req.session.returnTo = '/live';
    res.redirect(303, '/auth/login');
  };

  const render = async (req: Request, res: Response, ctx: Awaited<ReturnType<typeof context>>, extra: Record<string, unknown> = {}) => {
    const poll = ctx?.poll ?? null;
    const counts = poll ? await live.pollCounts(deps.db, poll) : null;
    let voter: live.Voter | null = null;
    if (poll && req.viewer) voter = { kind: 'employee', userId: req.viewer.user.id };
    else if (poll && ctx?.room) {
      const deviceId = deviceFor(req, poll.id);
      if (deviceId) voter = { kind: 'room', deviceId };
    }
    const mine = poll && voter ? await live.voterChoice(deps.db, poll.id, voter) : null;
    res.set('Cache-Control', 'no-store');
    res.render('live/index', {
      layout: false,
      title: req.t('live.title'),
      edition: ctx?.edition ?? null,
      poll,
      counts,
      mine,
      needsCode: Boolean(poll && counts?.open && !voter),
      state: !poll ? 'none' : counts?.open ? 'open' : 'closed',
      code: '',
      codeError: null,
      ...extra,
    });
  };

  router.get('/live', async (req, res) => {
    const ctx = await context();
    if (!req.viewer && !ctx?.room) return signInFirst(req, res);
    // The QR code carries the room code: scanning it lets the phone in at once.
    const code = typeof req.query.code === 'string' ? req.query.code.replace(/\s+/g, '') : '';
    if (code && ctx && !req.viewer) {
      const poll = await live.pollByCode(deps.db, ctx.edition.id, code);
      if (poll && poll.closedAt === null) {
        admitDevice(req, res, poll.id);
        res.redirect(303, '/live');
        return;
      }
    }
    await render(req, res, ctx);
  });

  router.post('/live/join', joinLimiter, async (req, res) => {
    const ctx = await context();
    if (!req.viewer && !ctx?.room) return signInFirst(req, res);
    const code = String(req.body?.code ?? '').replace(/\s+/g, '');
    const poll = ctx ? await live.pollByCode(deps.db, ctx.edition.id, code) : null;
    if (!poll || poll.closedAt !== null) {
      res.status(400);
      await render(req, res, ctx, { needsCode: true, code: code.slice(0, 12), codeError: poll ? 'live.errors.closed' : 'live.errors.wrongCode' });
      return;
    }
    admitDevice(req, res, poll.id);
    res.redirect(303, '/live');
  });

  router.post('/live/vote', async (req, res, next) => (req.viewer ? voteLimiter : roomVoteLimiter)(req, res, next), async (req, res) => {
    const pollId = Number(req.body?.poll);
    const nominationId = Number(req.body?.nomination);
    let voter: live.Voter;
    if (req.viewer) voter = { kind: 'employee', userId: req.viewer.user.id };
    else {
      // Signed out: only a phone admitted to this poll with the room code may vote.
      const ctx = await context();
      if (!ctx?.room) throw new AppError(401, 'errors.unauthorized.text', undefined, 'auth.signInTitle');
      const deviceId = deviceFor(req, pollId);
      if (!deviceId) throw new AppError(401, 'live.errors.codeFirst', undefined, 'live.title');
      voter = { kind: 'room', deviceId };
    }
    if (!Number.isInteger(pollId) || pollId <= 0) throw badRequest('live.errors.noPoll');
    if (!Number.isInteger(nominationId) || nominationId <= 0) throw badRequest('live.errors.notAFinalist');
    await live.vote(deps.db, deps.events, pollId, voter, nominationId, deps.now());
    flash(req, 'success', 'live.voted');
    res.redirect(303, '/live');
  });

  // The phones only hear when the vote opens or closes (a vote does not change this message).
  const phoneFeeds = createLiveFeeds(
    bus,
    async (editionId) => {
      const poll = await live.latestPoll(deps.db, editionId);
      return { pollId: poll?.id ?? null, open: poll ? poll.closedAt === null : false };
    },
    'state',
  );

  router.get('/live/stream', async (req, res) => {
    const ctx = await context();
    if (!ctx) throw new AppError(404, 'live.none', undefined, 'errors.notFound.title');
    if (!req.viewer && !ctx.room) throw new AppError(401, 'errors.unauthorized.text', undefined, 'auth.signInTitle');
    phoneFeeds.attach(res, ctx.edition.id);
  });

  return router;
}
