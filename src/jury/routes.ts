// /jury/* (jury dashboard, scoring, jäv, ranking, decision) and /admin/jury (members and chair).
// HTTP only: parse, call the service, render or redirect.
import { Router, type Request, type Response, type NextFunction } from 'express';
import type { AppDeps } from '../deps';
import { AppError, ValidationError, inForm, notFound, type FieldErrors } from '../errors';
import { registerMessages } from '../i18n';
import { flash } from '../http/locale';
import { requireRole, wantsJson } from '../auth/guards';
import * as editions from '../editions/service';
import * as ceremony from '../ceremony/service';
import * as jury from './service';
import { juryMessages } from './messages';
import { defaultDir, isSortKey, type SortKey } from './ranking';
import type { Viewer } from '../auth/viewer';

registerMessages(juryMessages);

const notMember = () => new AppError(403, 'jury.error.notMember', undefined, 'errors.forbidden.title');

function requireJury(req: Request, _res: Response, next: NextFunction): void {
  next(req.viewer?.roles.jury ? undefined : notMember());
}

function requireJuryOrAdmin(req: Request, _res: Response, next: NextFunction): void {
  next(req.viewer?.roles.jury || req.viewer?.roles.admin ? undefined : notMember());
}

const idParam = (req: Request, name = 'id'): number => {
  const raw = String(req.params[name] ?? '');
  if (!/^\d{1,12}$/.test(raw)) throw notFound();
  return Number(raw);
};

const juror = (req: Request): jury.Juror => ({ id: req.viewer!.user.id, email: req.viewer!.user.email });

export function juryRoutes(deps: AppDeps): Router {
  const { db } = deps;
  const router = Router();

  async function currentEdition(): Promise<editions.EditionWithPhase> {
    const current = await editions.current(db, deps.now());
    if (!current) throw new AppError(404, 'jury.noEdition', undefined, 'errors.notFound.title');
    return current;
  }

  // Swedish collation for titles (Intl.Collator's compare is already bound).
  const compare = (res: Response) => (res.locals.fmt as { collator: Intl.Collator }).collator.compare;

  // ---- Dashboard (J3) ----

  router.get('/jury', async (req, res) => {
    const viewer = req.viewer as Viewer;
    if (!viewer.roles.jury) {
      if (viewer.roles.admin) return res.redirect(303, '/jury/ranking');
      throw notMember();
    }
    const { edition, phase } = await currentEdition();
    const board = await jury.dashboard(db, edition.id, juror(req), compare(res));
    res.render('jury/dashboard', { title: req.t('jury.title'), edition, phase, board });
  });

  // ---- Scoring page (J3, J4, J5) ----

  async function entryLocals(req: Request, res: Response, entryId: number, extra: Record<string, unknown> = {}) {
    const { edition, phase } = await currentEdition();
    const page = await jury.scoringPage(db, edition.id, juror(req), entryId, compare(res));
    return { title: page.entry.title, edition, phase, page, reason: '', ...extra };
  }

  router.get('/jury/entries/:id', requireJury, async (req, res) => {
    res.render('jury/entry', await entryLocals(req, res, idParam(req)));
  });

  router.post('/jury/entries/:id', requireJury, async (req, res) => {
    const entryId = idParam(req);
    const { edition, phase } = await currentEdition();
    const submit = req.body?.action === 'submit';
    const criteria = await editions.criteria(db, edition.id);
    const { input, errors } = jury.readReviewForm(criteria, req.body ?? {}, submit);
    if (Object.keys(errors).length) {
      const locals = await entryLocals(req, res, entryId);
      locals.page = { ...locals.page, scores: { ...locals.page.scores, ...input.scores }, note: input.note };
      throw new ValidationError(errors, 'jury/entry', locals);
    }
    const outcome = await jury.saveReview(db, edition.id, phase, juror(req), entryId, input, deps.now());
    if (wantsJson(req)) {
      res.json({ ok: true, submitted: outcome.submitted, savedAt: outcome.savedAt.toISOString(), message: req.t('jury.form.saved') });
      return;
    }
    flash(req, 'success', submit ? 'jury.submitted' : 'jury.saved');
    res.redirect(303, `/jury/entries/${entryId}${submit ? '#others' : ''}`);
  });

  router.get('/jury/entries/:id/discussion', requireJury, async (req, res) => {
    const { edition } = await currentEdition();
    const view = await jury.discussion(db, edition.id, juror(req), idParam(req));
    if (wantsJson(req)) {
      res.json({
        entryId: view.entry.id,
        reviews: view.others.map((o) => ({ juror: o.name, submitted: Boolean(o.submittedAt), scores: o.scores, note: o.note })),
      });
      return;
    }
    res.render('jury/discussion', { title: req.t('jury.discussion.title', { title: view.entry.title }), ...view });
  });

  router.post('/jury/entries/:id/conflict', requireJury, async (req, res) => {
    const entryId = idParam(req);
    const { edition } = await currentEdition();
    const reason = typeof req.body?.reason === 'string' ? req.body.reason.trim() : '';
    const errors: FieldErrors = {};
    if (!reason) errors.reason = { key: 'jury.conflictForm.reasonRequired' };
    else if (reason.length > jury.REASON_MAX) errors.reason = { key: 'jury.conflictForm.reasonTooLong', params: { max: jury.REASON_MAX } };
    if (Object.keys(errors).length) throw new ValidationError(errors, 'jury/entry', await entryLocals(req, res, entryId, { reason }));
    const page = await jury.scoringPage(db, edition.id, juror(req), entryId, compare(res));
    await jury.declareConflict(db, edition.id, juror(req), entryId, reason, deps.now());
    flash(req, 'info', 'jury.conflictDeclared', { title: page.entry.title });
    res.redirect(303, '/jury');
  });

  router.post('/jury/entries/:id/conflict/withdraw', requireJury, async (req, res) => {
    const entryId = idParam(req);
    const { edition } = await currentEdition();
    await jury.withdrawConflict(db, edition.id, juror(req), entryId, deps.now());
    const board = await jury.dashboard(db, edition.id, juror(req), compare(res));
    const title = board.entries.find((e) => e.entry.id === entryId)?.entry.title ?? '';
    flash(req, 'success', 'jury.conflictWithdrawn', { title });
    res.redirect(303, '/jury');
  });

  // ---- Ranking (J6) ----

  router.get('/jury/ranking', requireJuryOrAdmin, async (req, res) => {
    const viewer = req.viewer as Viewer;
    const { edition, phase } = await currentEdition();
    const key: SortKey = isSortKey(req.query.sort) ? req.query.sort : 'mean';
    const dir = req.query.dir === 'asc' || req.query.dir === 'desc' ? req.query.dir : defaultDir(key);
    const result = await jury.ranking(
      db,
      edition,
      phase,
      { id: viewer.user.id, admin: viewer.roles.admin, jury: viewer.roles.jury },
      { key, dir },
      compare(res),
    );
    res.render('jury/ranking', {
      title: req.t('jury.ranking.title'),
      edition,
      phase,
      ranking: result,
      sort: { key, dir },
      showConflicts: viewer.roles.chair || viewer.roles.admin,
    });
  });

  // ---- Decision and lock (J7) ----

  async function decisionLocals(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const viewer = req.viewer as Viewer;
    const { edition, phase } = await currentEdition();
    const ranked = await jury.ranking(
      db,
      edition,
      phase,
      { id: viewer.user.id, admin: viewer.roles.admin, jury: viewer.roles.jury },
      { key: 'mean', dir: 'desc' },
      compare(res),
    );
    const decision = await jury.decision(db, edition.id);
    const unlocks = await jury.unlocks(db, edition.id);
    const canUnlock = Boolean(decision.lockedAt) && !phase.revealed && !phase.archived && (viewer.roles.admin || viewer.roles.chair);
    // C1: tell the chair and admins before the ceremony which texts will be small or split on the slides.
    const prepares = (viewer.roles.chair || viewer.roles.admin) && !phase.revealed;
    const editable = viewer.roles.chair && !decision.lockedAt;
    return {
      title: req.t('jury.decision.title'),
      edition,
      phase,
      entries: ranked.rows,
      decision,
      unlocks,
      isChair: viewer.roles.chair,
      // The form is offered while it can work; the service decides again when it is sent.
      canUnlock,
      longTexts: prepares ? await ceremony.longTextsOf(db, decision) : [],
      motivationFix: editable
        ? { href: '#f-motivation', key: 'ceremony.longTexts.editMotivation' }
        : canUnlock
          ? { href: '#unlock', key: 'ceremony.longTexts.unlockMotivation' }
          : null,
      form: { finalistIds: decision.finalistIds, winnerId: decision.winnerId, motivation: decision.motivation },
      unlockReason: '',
      ...extra,
    };
  }

  router.get('/jury/decision', requireJuryOrAdmin, async (req, res) => {
    res.render('jury/decision', await decisionLocals(req, res));
  });

  router.post('/jury/decision', requireJuryOrAdmin, async (req, res) => {
    if (!req.viewer?.roles.chair) throw jury.CHAIR_ONLY();
    const { edition, phase } = await currentEdition();
    const { input, errors } = jury.readDecisionForm(req.body ?? {}, edition.finalistCount);
    if (Object.keys(errors).length) throw new ValidationError(errors, 'jury/decision', await decisionLocals(req, res, { form: input }));
    // Finalists keep the ranking's order, so the ceremony shows them as the jury ranked them.
    const order = (await decisionLocals(req, res)).entries.map((e) => e.entryId);
    input.finalistIds.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    await jury.saveDecision(db, edition, phase, req.viewer.user.id, input, deps.now());
    flash(req, 'success', 'jury.decision.saved');
    res.redirect(303, '/jury/decision');
  });

  router.post('/jury/decision/lock', requireJuryOrAdmin, async (req, res) => {
    if (!req.viewer?.roles.chair) throw jury.CHAIR_ONLY();
    const { edition, phase } = await currentEdition();
    if (req.body?.confirm !== 'yes') {
      const errors: FieldErrors = { confirm: { key: 'jury.decision.lockConfirmRequired' } };
      throw new ValidationError(errors, 'jury/decision', await decisionLocals(req, res));
    }
    const chair = req.viewer.user.id;
    await inForm('jury/decision', () => decisionLocals(req, res), () => jury.lock(db, deps.events, edition, phase, chair, deps.now()));
    flash(req, 'success', 'jury.decision.lockedFlash');
    res.redirect(303, '/jury/decision');
  });

  // An admin or the chair unlocks a locked result before the reveal, with a reason the jury sees.
  router.post('/jury/decision/unlock', requireJuryOrAdmin, async (req, res) => {
    const viewer = req.viewer as Viewer;
    if (!viewer.roles.admin && !viewer.roles.chair) throw jury.UNLOCK_REFUSED();
    const { edition } = await currentEdition();
    const { reason, errors } = jury.readUnlockForm(req.body ?? {});
    if (Object.keys(errors).length) throw new ValidationError(errors, 'jury/decision', await decisionLocals(req, res, { unlockReason: reason }));
    const { unlockedNow } = await jury.unlock(db, deps.events, edition, { id: viewer.user.id, name: viewer.user.name, admin: viewer.roles.admin }, reason, deps.now());
    flash(req, unlockedNow ? 'success' : 'info', unlockedNow ? 'jury.unlock.done' : 'jury.unlock.notLocked');
    res.redirect(303, '/jury/decision');
  });

  // ---- Admin: members and chair (J1) ----

  // requireRole on each route, not on a sub-router: a router-level guard would also stop requests
  // that merely pass through on their way to other features' routes.
  const admin = requireRole('admin');

  /**
   * The edition whose jury the page works on: the current one, or a later one that is being prepared
   * (?year=, or the form's hidden year) — next year's jury can be named while this year's runs, and is
   * in force when this year's edition is archived and the next one becomes current.
   */
  async function juryEdition(req: Request) {
    const { edition: current } = await currentEdition();
    const raw = typeof req.query.year === 'string' ? req.query.year : typeof req.body?.year === 'string' ? req.body.year : '';
    if (!raw || raw === String(current.year)) return { edition: current, current, preparing: false };
    if (!/^\d{4}$/.test(raw)) throw notFound();
    const found = await editions.byYear(db, Number(raw), deps.now());
    if (!found || found.edition.archivedAt || found.edition.year < current.year) throw notFound();
    return { edition: found.edition, current, preparing: true };
  }
  const juryPage = (edition: { year: number }, preparing: boolean) => (preparing ? `/admin/jury?year=${edition.year}` : '/admin/jury');

  router.get('/admin/jury', admin, async (req, res) => {
    const { edition, current, preparing } = await juryEdition(req);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const list = await jury.members(db, edition.id);
    const progress = await jury.memberProgress(db, edition.id);
    const later = (await editions.all(db)).filter((e) => !e.archivedAt && e.year > current.year);
    res.render('admin/jury', {
      title: req.t('admin.jury.title', { edition: edition.title }),
      edition,
      current,
      preparing,
      // The editions whose jury can be named here: this year's and any later one not archived.
      choices: [current, ...later],
      members: list,
      progress,
      q,
      hits: q ? await jury.candidates(db, edition.id, q) : null,
      locked: await jury.isLocked(db, edition.id),
    });
  });

  const memberName = async (editionId: number, userId: number) =>
    (await jury.members(db, editionId)).find((m) => m.userId === userId)?.name ?? '';

  router.post('/admin/jury/members', admin, async (req, res) => {
    const { edition, preparing } = await juryEdition(req);
    const raw = String(req.body?.userId ?? '');
    if (!/^\d{1,12}$/.test(raw)) throw notFound();
    await jury.addMember(db, req.viewer!.user.id, edition.id, Number(raw), deps.now());
    flash(req, 'success', 'admin.jury.added', { name: await memberName(edition.id, Number(raw)) });
    res.redirect(303, juryPage(edition, preparing));
  });

  router.post('/admin/jury/members/:userId/remove', admin, async (req, res) => {
    const { edition, preparing } = await juryEdition(req);
    const userId = idParam(req, 'userId');
    const name = await memberName(edition.id, userId);
    await jury.removeMember(db, req.viewer!.user.id, edition.id, userId, deps.now());
    flash(req, 'success', 'admin.jury.removed', { name });
    res.redirect(303, juryPage(edition, preparing));
  });

  router.post('/admin/jury/members/:userId/chair', admin, async (req, res) => {
    const { edition, preparing } = await juryEdition(req);
    const userId = idParam(req, 'userId');
    await jury.makeChair(db, req.viewer!.user.id, edition.id, userId, deps.now());
    flash(req, 'success', 'admin.jury.chairNamed', { name: await memberName(edition.id, userId) });
    res.redirect(303, juryPage(edition, preparing));
  });

  return router;
}
