// People's-choice voting over HTTP (SPEC V1–V3): vote, withdraw and move as plain forms (flash and
// redirect) or with fetch (JSON, see public/js/voting.js); "Mina röster" at /votes; and the viewer's
// voting state in res.locals.voting for the gallery and entry pages, whose views render the vote
// buttons with res.locals.voteButton (views/voting/_vote-button.ejs) and include the vote status.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { partial } from '../views';
import type { AppDeps } from '../deps';
import { hasKey, registerMessages } from '../i18n';
import { flash } from '../http/locale';
import { perUserLimiter } from '../http/rate-limit';
import { wantsJson } from '../auth/guards';
import { safeReturnTo } from '../auth/session';
import * as editions from '../editions/service';
import type { Viewer } from '../auth/viewer';
import * as voting from './service';
import * as nominations from '../nominations/service';
import { votingMessages } from './messages';

registerMessages(votingMessages);

/** What views get in res.locals.voting. Counts are present only where canSeeCounts() allows (V3). */
export type VotingLocals = {
  /** The current edition: controls show only for its published entries. */
  editionId: number;
  open: boolean;
  closed: boolean;
  budget: number;
  used: number;
  closesAt: Date | null;
  votes: Array<{ id: number; title: string }>;
  votedIds: number[];
  /** Entries this viewer submitted or is named in. */
  ineligibleIds: number[];
  /** Vote counts per entry id, or null when this viewer may not see them yet. */
  counts: Record<number, number> | null;
  peoplesChoiceIds: number[];
  peoplesChoiceTie: boolean;
  hasVoted(id: number): boolean;
  isIneligible(id: number): boolean;
  count(id: number): number | null;
};

export async function votingLocals(deps: AppDeps, viewer: Viewer): Promise<VotingLocals | null> {
  const now = deps.now();
  const current = await editions.current(deps.db, now);
  if (!current) return null;
  const ballot = await voting.ballotFor(deps.db, { id: viewer.user.id, email: viewer.user.email }, now);
  if (!ballot) return null;
  let counts: Record<number, number> | null = null;
  let choice: voting.PeoplesChoice | null = null;
  if (voting.canSeeCounts(viewer.roles, current.phase)) counts = Object.fromEntries(await voting.voteCounts(deps.db, current.edition.id));
  if (voting.canSeeChoice(viewer.roles, current.phase)) choice = await voting.peoplesChoice(deps.db, current.edition.id);
  const voted = new Set(ballot.votedIds);
  const own = new Set(ballot.ownIds);
  return {
    editionId: current.edition.id,
    open: ballot.open,
    closed: ballot.closed,
    budget: ballot.budget,
    used: ballot.used,
    closesAt: current.edition.votingClosesAt,
    votes: ballot.votes.map((v) => ({ id: v.nominationId, title: v.title })),
    votedIds: ballot.votedIds,
    ineligibleIds: ballot.ownIds,
    counts,
    peoplesChoiceIds: choice?.nominationIds ?? [],
    peoplesChoiceTie: choice?.tie ?? false,
    hasVoted: (id) => voted.has(Number(id)),
    isIneligible: (id) => own.has(Number(id)),
    count: (id) => (counts ? (counts[Number(id)] ?? 0) : null),
  };
}

/** The viewer's own votes as JSON for the script: where their votes are, never any count. */
function ballotJson(v: VotingLocals | null) {
  return v
    ? { open: v.open, budget: v.budget, used: v.used, votes: v.votes.map((x) => ({ id: x.id, title: x.title, href: `/entries/${x.id}` })) }
    : null;
}

const idParam = (value: unknown): number => {
  const s = String(value ?? '');
  return /^\d{1,9}$/.test(s) ? Number(s) : NaN;
};

export function votingRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps;
  // One budget of requests per user for every vote change (SPEC §6, V5).
  const voteLimiter = perUserLimiter(30);

  const loadLocals = async (req: Request, res: Response, next: NextFunction) => {
    res.locals.voting = req.viewer ? await votingLocals(deps, req.viewer) : null;
    res.locals.votingReturnTo = safeReturnTo(req.originalUrl);
    // A gallery page has a vote button per card: each rendered with what it reads, not with the page's
    // every local as an include would copy them.
    res.locals.voteButton = (entry: object) =>
      partial('voting/_vote-button', {
        entry,
        voting: res.locals.voting,
        votingReturnTo: res.locals.votingReturnTo,
        currentPath: res.locals.currentPath,
        csrfToken: res.locals.csrfToken,
        t: res.locals.t,
        fmt: res.locals.fmt,
      });
    next();
  };
  // The gallery and entry pages (owned by the nominations feature) read res.locals.voting.
  router.use('/entries', (req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? loadLocals(req, res, next) : next()));

  router.get('/votes', loadLocals, async (req, res) => {
    res.render('voting/mine', { title: req.t('voting.mine.title') });
  });

  const voterOf = (req: Request): voting.Voter => ({ id: req.viewer!.user.id, email: req.viewer!.user.email });

  /** `known`: what the change itself told (a vote knows the votes used), so a form's answer reads nothing more. */
  const answer = async (req: Request, res: Response, key: string, params: Record<string, string | number>, fallback: string, known?: { used: number; budget: number }) => {
    const json = wantsJson(req);
    const state = json || !known ? await votingLocals(deps, req.viewer!) : null;
    const all = { ...params, used: known?.used ?? state?.used ?? 0, budget: known?.budget ?? state?.budget ?? 0 };
    // "av 1 röst", not "av 1 röster": a message that tells the budget has a `…One` form for a budget of 1.
    const text = all.budget === 1 && hasKey(`${key}One`) ? `${key}One` : key;
    if (json) {
      res.json({ ok: true, message: req.t(text, all), voting: ballotJson(state) });
      return;
    }
    flash(req, 'success', text, all);
    const body = req.body as Record<string, unknown> | undefined;
    res.redirect(303, typeof body?.returnTo === 'string' ? safeReturnTo(body.returnTo) : fallback);
  };

  // The entry voted for travels in the body, never in the path: a path lands in the app's request log
  // and in every proxy's access log, next to the time and the client's address (V4).
  const entryOf = (req: Request): number => idParam((req.body as Record<string, unknown> | undefined)?.entry);

  router.post('/votes', voteLimiter, async (req, res) => {
    const id = entryOf(req);
    const outcome = await voting.castVote(db, voterOf(req), id, deps.now());
    await answer(req, res, 'voting.flash.voted', { title: outcome.title }, `/entries/${id}`, outcome);
  });

  router.post('/votes/withdraw', voteLimiter, async (req, res) => {
    const id = entryOf(req);
    const outcome = await voting.withdrawVote(db, voterOf(req), id, deps.now());
    await answer(req, res, 'voting.flash.withdrawn', { title: outcome.title }, `/entries/${id}`);
  });

  // "Flytta min röst": the form that picks which vote moves to an entry (a dialog with JavaScript).
  router.get('/votes/move', loadLocals, async (req, res) => {
    const to = idParam(req.query.to);
    const state = res.locals.voting as VotingLocals | null;
    if (!state || !state.open) throw voting.VOTING_CLOSED();
    const entry = Number.isFinite(to) ? ((await nominations.getPublishedEntries(db, [to]))[0] ?? null) : null;
    if (!entry || entry.nomination.editionId !== state.editionId) throw voting.NOT_VOTABLE();
    if (state.isIneligible(to)) throw voting.OWN_ENTRY();
    if (state.hasVoted(to)) throw voting.ALREADY_VOTED();
    if (!state.votes.length) throw voting.NO_SUCH_VOTE();
    const back = typeof req.query.returnTo === 'string' ? safeReturnTo(req.query.returnTo) : `/entries/${to}`;
    res.render('voting/move', { title: req.t('voting.move.title'), to: { id: to, title: entry.nomination.title }, back });
  });

  router.post('/votes/move', voteLimiter, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const from = idParam(body.from);
    const to = idParam(body.to);
    const outcome = await voting.moveVote(db, voterOf(req), from, to, deps.now());
    await answer(req, res, 'voting.flash.moved', { from: outcome.from, to: outcome.to }, `/entries/${to}`);
  });

  return router;
}
