// HTTP for nominations: the form (N1/N2), My nominations (N5), consent (N3), moderation (N4), the
// gallery and entry pages (N6) and attachment downloads (N7). Rules live in service.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import { requireRole } from '../auth/guards';
import { registerMessages } from '../i18n';
import { flash } from '../http/locale';
import { perUserLimiter } from '../http/rate-limit';
import { ValidationError, inForm, notFound } from '../errors';
import * as editions from '../editions/service';
import * as archive from '../archive/service';
import * as files from '../attachments/files';
import * as service from './service';
import { nominationMessages } from './messages';
import { LIMITS, MAX_COLLEAGUES, formText, messageError, parseNominationForm, type NominationInput } from './validation';
import type { Viewer } from '../auth/viewer';

registerMessages(nominationMessages);

type Body = Record<string, unknown>;

/** The values the form shows, from a stored nomination or from what was just typed. */
type FormValues = NominationInput & { colleagueSlots: number };

function valuesFromEntry(v: service.EntryView, colleagueIds: Set<number>): FormValues {
  const n = v.nomination;
  const colleagues = v.nominees.map((x) =>
    x.userId !== null && colleagueIds.has(x.userId) ? { userId: x.userId, name: '', email: '' } : { userId: null, name: x.name, email: x.email },
  );
  return {
    title: n.title,
    whatHappened: n.whatHappened,
    lesson: n.lesson,
    changes: n.changes,
    departmentId: n.departmentId,
    teamName: n.teamName ?? '',
    includesSelf: n.includesSelf,
    showSubmitter: n.showSubmitter,
    declinePolicy: n.declinePolicy,
    eligibilityConfirmed: n.eligibilityConfirmed,
    colleagues,
    removeAttachmentIds: [],
    colleagueSlots: Math.min(Math.max(1, colleagues.length), MAX_COLLEAGUES),
  };
}

function emptyValues(): FormValues {
  return {
    title: '', whatHappened: '', lesson: '', changes: '', departmentId: null, teamName: '', includesSelf: false, showSubmitter: true,
    declinePolicy: 'remove', eligibilityConfirmed: false, colleagues: [], removeAttachmentIds: [], colleagueSlots: 1,
  };
}

const uploadsOf = (req: Request): service.Upload[] =>
  (req.uploadedFiles ?? [])
    .filter((f) => f.fieldname === 'attachments' && f.size > 0 && f.originalname)
    .map((f) => ({ originalName: f.originalname, size: f.size, read: () => fs.promises.readFile(f.path) }));

export function nominationRoutes(deps: AppDeps): Router {
  const router = Router();
  const svcDeps = (): service.Deps => ({
    db: deps.db,
    events: deps.events,
    dataDir: deps.config.dataDir,
    allowedEmailDomains: deps.config.allowedEmailDomains,
  });

  type FormOptions = { entry: service.EntryView | null; values: FormValues; formKey: string | null; notice?: string; fresh?: boolean };

  /** What the nomination form shows; with field errors it comes back through the error handler (ValidationError). */
  async function formLocals(req: Request, o: FormOptions) {
    const ctx = await service.formContext(deps.db, deps.now());
    const viewer = req.viewer as Viewer;
    const colleagues = await service.listColleagues(deps.db, viewer.user.id);
    const status = o.entry?.nomination.status ?? 'draft';
    return {
      // A new nomination keeps its heading while it comes back with errors, even once a draft was kept.
      heading: o.entry && !o.fresh ? 'nominations.edit.title' : 'nominations.new.title',
      title: req.t(o.entry && !o.fresh ? 'nominations.edit.title' : 'nominations.new.title'),
      ctx,
      entry: o.entry,
      v: o.values,
      colleagues,
      formKey: o.formKey,
      canDraft: status === 'draft' || status === 'changes_requested',
      fieldErrors: null,
      notice: o.notice ?? null,
      limits: { ...LIMITS, files: files.MAX_FILES, mb: files.MAX_FILE_BYTES / 1024 / 1024 },
      maxColleagues: MAX_COLLEAGUES,
    };
  }

  async function renderForm(req: Request, res: Response, o: FormOptions) {
    res.render('nominations/form', await formLocals(req, o));
  }

  router.get('/nominate', async (req, res) => {
    const ctx = await service.formContext(deps.db, deps.now());
    if (!ctx || !ctx.phase.nominationOpen) {
      res.render('nominations/closed', { title: req.t('nominations.closed.title'), ctx, now: deps.now() });
      return;
    }
    await renderForm(req, res, { entry: null, values: emptyValues(), formKey: crypto.randomBytes(16).toString('hex') });
  });

  async function handleSave(req: Request, res: Response, nominationId: number | null) {
    const body = req.body as Body;
    const input = parseNominationForm(body);
    const formKey = /^[0-9a-f]{32}$/.test(String(body.form_key ?? '')) ? String(body.form_key) : null;
    const version = /^\d+$/.test(String(body.version ?? '')) ? Number(body.version) : null;
    const action = body.action === 'draft' ? 'draft' : 'submit';
    const typed: FormValues = { ...input, colleagueSlots: Math.min(Math.max(1, input.colleagues.length), MAX_COLLEAGUES) };
    const existing = nominationId !== null ? await service.ownNomination(deps.db, req.viewer!, nominationId) : null;
    // "+ Lägg till kollega" without JavaScript: the form comes back with one more row; nothing is stored.
    if (body.action === 'add_colleague') {
      const posted = /^\d{1,9}$/.test(String(body.colleague_slots ?? '')) ? Number(body.colleague_slots) : 1;
      const shown = Math.max(typed.colleagueSlots, Math.min(posted, MAX_COLLEAGUES));
      const values = { ...typed, colleagueSlots: Math.min(shown + 1, MAX_COLLEAGUES) };
      const notice = uploadsOf(req).length ? 'nominations.file.reselect' : undefined;
      await renderForm(req, res, { entry: existing, values, formKey, notice, fresh: nominationId === null });
      return;
    }
    // Nothing was stored when the service refuses the form: it comes back with what was typed (files must be chosen again).
    const result = await inForm(
      'nominations/form',
      (errors) => formLocals(req, { entry: existing, values: typed, formKey, notice: errors.attachments ? 'nominations.file.reselect' : undefined, fresh: nominationId === null }),
      () => service.save(svcDeps(), { viewer: req.viewer!, nominationId, formKey, version, action, input, uploads: uploadsOf(req) }, deps.now()),
    );
    if (result.incomplete) {
      // The draft is saved; the form comes back with what is missing.
      const entry = await service.ownNomination(deps.db, req.viewer!, result.id);
      throw new ValidationError(result.incomplete, 'nominations/form', await formLocals(req, { entry, values: typed, formKey: null, notice: 'nominations.incomplete', fresh: nominationId === null }));
    }
    if (result.duplicate) flash(req, 'info', 'nominations.alreadyReceived');
    else if (!result.submitted) flash(req, 'success', 'nominations.saved');
    // A sent nomination goes to the thank-you page, which says what happens next.
    if (result.submitted && !result.duplicate) res.redirect(303, `/nominations/${result.id}/thanks`);
    else res.redirect(303, result.submitted || result.duplicate ? '/nominations/mine' : `/nominations/${result.id}/edit`);
  }

  // Uploads are rate-limited per person (SPEC §6); a person saving a draft now and then never meets it.
  const saveLimiter = perUserLimiter(30, 10 * 60 * 1000);
  router.post('/nominate', saveLimiter, (req, res) => handleSave(req, res, null));

  // The colleague search behind the form's suggestions (public/js/nominations.js); JSON, signed in only.
  router.get('/nominations/colleagues', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const found = await service.searchColleagues(deps.db, req.viewer!.user.id, q);
    res.json({ colleagues: found.map((c) => ({ name: c.name, email: c.email, department: c.department })) });
  });

  router.get('/nominations/mine', async (req, res) => {
    const data = await service.mine(deps.db, req.viewer!, deps.now());
    res.render('nominations/mine', { title: req.t('mine.title'), ...data });
  });

  // The thank-you page after sending: what happens next (consent, moderation, when voting opens).
  router.get('/nominations/:id/thanks', async (req, res) => {
    const entry = await service.ownNomination(deps.db, req.viewer!, Number(req.params.id));
    if (['draft', 'withdrawn'].includes(entry.nomination.status)) throw notFound();
    const edition = await editions.findById(deps.db, entry.nomination.editionId);
    if (!edition) throw notFound();
    res.render('nominations/thanks', { title: req.t('thanks.title'), entry, edition, phase: editions.phaseAt(edition, deps.now()) });
  });

  router.get('/nominations/:id/edit', async (req, res) => {
    const entry = await service.ownNomination(deps.db, req.viewer!, Number(req.params.id));
    const colleagues = await service.listColleagues(deps.db, req.viewer!.user.id);
    if (!['draft', 'changes_requested', 'awaiting_consent', 'in_moderation'].includes(entry.nomination.status)) {
      res.redirect(303, `/entries/${entry.nomination.id}`);
      return;
    }
    const ctx = await service.formContext(deps.db, deps.now());
    if (entry.nomination.status === 'draft' && (!ctx || ctx.edition.id !== entry.nomination.editionId || !ctx.phase.nominationOpen)) {
      res.render('nominations/closed', { title: req.t('nominations.closed.title'), ctx, now: deps.now() });
      return;
    }
    await renderForm(req, res, { entry, values: valuesFromEntry(entry, new Set((colleagues ?? []).map((c) => c.id))), formKey: null });
  });

  router.post('/nominations/:id', saveLimiter, (req, res) => handleSave(req, res, Number(req.params.id)));

  // Withdrawing is final, so it is confirmed on its own page (works without JavaScript).
  router.get('/nominations/:id/withdraw', async (req, res) => {
    const entry = await service.ownNomination(deps.db, req.viewer!, Number(req.params.id));
    res.render('nominations/withdraw', { title: req.t(entry.nomination.status === 'draft' ? 'withdraw.draft.title' : 'withdraw.title'), entry });
  });

  router.post('/nominations/:id/withdraw', async (req, res) => {
    const wasDraft = (await service.ownNomination(deps.db, req.viewer!, Number(req.params.id))).nomination.status === 'draft';
    await service.withdraw(svcDeps(), req.viewer!, Number(req.params.id), deps.now());
    flash(req, 'success', wasDraft ? 'nominations.draftDeleted' : 'nominations.withdrawn');
    res.redirect(303, '/nominations/mine');
  });

  // ---- consent (N3)
  router.get('/consent/:token', async (req, res) => {
    const data = await service.consentRequest(deps.db, req.viewer!, req.params.token, deps.now());
    res.render('nominations/consent', { title: req.t('consent.title'), ...data, token: req.params.token, fieldErrors: null, message: '' });
  });

  // Every answer mails the submitter: a person changing their mind in a loop would flood them.
  const consentLimiter = perUserLimiter(10, 60 * 60 * 1000);
  router.post('/consent/:token', consentLimiter, async (req, res) => {
    const token = String(req.params.token);
    const body = req.body as Body;
    const answer = body.answer === 'give' ? 'give' : body.answer === 'decline' ? 'decline' : body.answer === 'withdraw' ? 'withdraw' : null;
    const message = formText(body.message);
    const errors = messageError(message, false);
    if (!answer || Object.keys(errors).length) {
      const data = await service.consentRequest(deps.db, req.viewer!, token, deps.now());
      throw new ValidationError(Object.keys(errors).length ? errors : { message: { key: 'errors.badRequest.text' } }, 'nominations/consent', { title: req.t('consent.title'), ...data, token, message });
    }
    const result = await service.answerConsent(svcDeps(), req.viewer!, token, answer, message, deps.now());
    flash(req, 'success', `consent.answered.${result}`);
    res.redirect(303, `/consent/${token}`);
  });

  // ---- gallery and entries (N6)
  router.get('/entries', async (req, res) => {
    const current = await editions.current(deps.db, deps.now());
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
    const departmentId = typeof req.query.department === 'string' && /^\d+$/.test(req.query.department) ? Number(req.query.department) : null;
    const page = typeof req.query.page === 'string' && /^\d{1,6}$/.test(req.query.page) ? Number(req.query.page) : 1;
    req.session.orderSeed ??= crypto.randomInt(0, 2 ** 31);
    const departments = current ? await editions.departments(deps.db, current.edition.id) : [];
    const gallery = current ? await service.listPublished(deps.db, current.edition.id, { q, departmentId, page, seed: req.session.orderSeed }) : null;
    res.render('nominations/gallery', { title: req.t('entries.title'), current, gallery, departments, q, departmentId });
  });

  // The entry page, assembled here: the entry as this viewer may see it, its edition, and (once the
  // edition is revealed, C3) the winner/finalist badge and vote count. res.locals.voting comes from the
  // voting feature's middleware, as on the gallery.
  router.get('/entries/:id', async (req, res) => {
    const entry = await service.entryForViewer(deps.db, req.viewer!, Number(req.params.id));
    const edition = await editions.findByIdForPage(deps.db, entry.nomination.editionId);
    const award = await archive.awardForEntry(deps.db, entry.nomination, deps.now());
    res.render('nominations/entry', { title: entry.nomination.title, entry, edition, award });
  });

  // ---- attachments (N7): only for those who may see the entry, with headers that stop sniffing and scripts
  const sendAttachment = (thumbnail: boolean) => async (req: Request, res: Response) => {
    const a = await service.attachmentForViewer(deps.db, req.viewer!, Number(req.params.id));
    if (thumbnail && !a.hasThumbnail) throw notFound();
    const file = files.filePath(deps.config.dataDir, a.storageName, thumbnail);
    if (!file || !fs.existsSync(file)) throw notFound();
    res.setHeader('Content-Type', thumbnail ? 'image/webp' : a.mime);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
    res.setHeader('Content-Disposition', files.contentDisposition(a.mime === 'application/pdf' ? 'attachment' : 'inline', a.originalName, thumbnail ? 'webp' : files.kindOfMime(a.mime)));
    // Checked again on every use: a file unpublished (or a reader who lost access) is not served from a cache.
    res.setHeader('Cache-Control', 'private, no-cache');
    res.sendFile(file);
  };
  router.get('/attachments/:id', sendAttachment(false));
  router.get('/attachments/:id/thumb', sendAttachment(true));

  // ---- moderation (N4)
  router.get('/admin/moderation', requireRole('admin'), async (req, res) => {
    const current = await editions.current(deps.db, deps.now());
    const queue = current ? await service.moderationQueue(deps.db, current.edition.id) : [];
    res.render('nominations/moderation', { title: req.t('moderation.title'), current, queue, blocked: queue.map((e) => service.consentBlocks(e.nominees, e.nomination.declinePolicy)) });
  });

  /** What a moderation page shows; with field errors it comes back through the error handler (ValidationError). */
  async function moderationLocals(req: Request, id: number, texts?: Record<string, string>) {
    const entry = await service.moderationItem(deps.db, id);
    const n = entry.nomination;
    return {
      title: req.t('moderation.openAbout', { title: n.title }),
      entry,
      blocked: service.consentBlocks(entry.nominees, n.declinePolicy),
      texts: texts ?? { title: n.title, lesson: n.lesson, changes: n.changes, what_happened: n.whatHappened, team_name: n.teamName ?? '' },
      fieldErrors: null,
      limits: LIMITS,
    };
  }

  router.get('/admin/moderation/:id', requireRole('admin'), async (req, res) => {
    res.render('nominations/moderation-item', await moderationLocals(req, Number(req.params.id)));
  });

  router.post('/admin/moderation/:id/:action', requireRole('admin'), async (req, res) => {
    const id = Number(req.params.id);
    const body = req.body as Body;
    const action = req.params.action;
    if (action === 'edit') {
      const texts = { title: formText(body.title), lesson: formText(body.lesson), changes: formText(body.changes), what_happened: formText(body.what_happened), team_name: formText(body.team_name) };
      const fixed = { title: texts.title, lesson: texts.lesson, changes: texts.changes, whatHappened: texts.what_happened, teamName: texts.team_name };
      await inForm('nominations/moderation-item', () => moderationLocals(req, id, texts), () => service.fixTypos(svcDeps(), req.viewer!.user.id, id, fixed, deps.now()));
      flash(req, 'success', 'moderation.done.edit');
      res.redirect(303, `/admin/moderation/${id}`);
      return;
    }
    let decision: service.ModerationAction;
    if (action === 'publish') decision = { kind: 'publish' };
    else if (action === 'request-changes' || action === 'reject') {
      const field = action === 'reject' ? 'reason' : 'message';
      const text = formText(body[field]);
      const errors = messageError(text, true, field);
      if (Object.keys(errors).length) throw new ValidationError(errors, 'nominations/moderation-item', await moderationLocals(req, id));
      decision = action === 'reject' ? { kind: 'reject', reason: text } : { kind: 'request_changes', message: text };
    } else throw notFound();
    await service.moderate(svcDeps(), req.viewer!.user.id, id, decision, deps.now());
    flash(req, 'success', `moderation.done.${decision.kind}`);
    res.redirect(303, decision.kind === 'publish' ? '/admin/moderation' : `/admin/moderation/${id}`);
  });

  return router;
}
