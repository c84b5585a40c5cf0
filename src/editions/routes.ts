// Edition setup for admins (SPEC R1) at /admin/editions: settings form, open/close a phase now, copy to
// next year, archive (which erases the voter links, V4). HTTP only; the rules are in setup-service.ts.
import { Router, type Request } from 'express';
import type { AppDeps } from '../deps';
import { requireRole } from '../auth/guards';
import { registerMessages } from '../i18n';
import { flash } from '../http/locale';
import { ValidationError, badRequest, conflict, inForm, notFound } from '../errors';
import type { Viewer } from '../auth/viewer';
import * as voting from '../voting/service';
import * as editions from './service';
import * as setup from './setup-service';
import { DATE_FIELDS, LEVEL_COUNT, LEVEL_MAX, blankCriterionRow, formFromBody, formFromEdition, isBlankNewRow, levelField, levelsOf, parseSettings, type SettingsForm } from './validation';
import type { PhaseName } from './queries';
import { editionMessages } from './messages';
import { stockholmYear } from '../time';
import { announceOpenPhases } from '../admin/announcements';

registerMessages(editionMessages);

const PHASES: PhaseName[] = ['nomination', 'voting', 'judging'];

const idParam = (value: unknown): number => (/^\d{1,9}$/.test(String(value)) ? Number(value) : NaN);

export function editionAdminRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db } = deps;
  router.use('/admin/editions', requireRole('admin'));

  async function load(id: number) {
    const edition = Number.isFinite(id) ? await editions.findById(db, id) : null;
    if (!edition) throw notFound();
    return { edition, phase: editions.phaseAt(edition, deps.now()) };
  }

  /** Everything the edit page shows besides the form. Counts per entry only where V3 allows. */
  async function pageLocals(req: Request, id: number, form?: SettingsForm) {
    const { edition, phase } = await load(id);
    const current = await editions.current(db, deps.now());
    const nextYear = await editions.byYear(db, edition.year + 1, deps.now());
    const showCounts = voting.canSeeCounts((req.viewer as Viewer).roles, phase);
    const formValues = form ?? formFromEdition(edition, await editions.departments(db, id), await editions.criteria(db, id));
    if (formValues.criteria.some((row) => row.levels === null)) {
      // A form sent without level texts keeps the stored ones: show those again.
      const stored = new Map((await editions.criteria(db, id)).map((c) => [c.id, c.levels]));
      formValues.criteria = formValues.criteria.map((row) => ({ ...row, levels: row.levels ?? levelsOf(stored.get(row.id ?? 0) ?? []) }));
    }
    return {
      title: req.t('editions.edit.title', { title: edition.title }),
      edition,
      phase,
      isCurrent: current?.edition.id === edition.id,
      form: formValues,
      // Each row keeps its place in the form as sent, which names its level fields and their errors.
      criterionRows: [
        ...formValues.criteria.map((row, index) => ({ row, index, isNew: false })).filter(({ row }) => !isBlankNewRow(row)),
        { row: blankCriterionRow(), index: formValues.criteria.length, isNew: true },
      ],
      levels: { count: LEVEL_COUNT, max: LEVEL_MAX, field: levelField },
      dateFields: DATE_FIELDS,
      phases: PHASES.map((name) => ({ name, open: phase[`${name}Open`], override: edition[`${name}Override`] })),
      participation: await voting.participation(db, id),
      standings: showCounts ? await voting.standings(db, id) : null,
      peoplesChoice: showCounts ? await voting.peoplesChoice(db, id) : null,
      nextYearExists: Boolean(nextYear),
    };
  }

  async function listLocals(req: Request, newYear?: string) {
    const now = deps.now();
    const all = await editions.all(db);
    const current = await editions.current(db, now);
    return {
      title: req.t('editions.list.title'),
      editions: all.map((e) => ({ ...e, stage: editions.phaseAt(e, now).stage, isCurrent: current?.edition.id === e.id })),
      newYear: newYear ?? String(Math.max(stockholmYear(now), ...all.map((e) => e.year + 1))),
    };
  }

  router.get('/admin/editions', async (req, res) => {
    res.render('admin/editions/index', await listLocals(req));
  });

  // A new edition from scratch, with the default criteria and departments (R1; e.g. a new installation).
  router.post('/admin/editions', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed = typeof body.year === 'string' ? body.year.trim() : '';
    const year = /^\d{4}$/.test(typed) ? Number(typed) : NaN;
    if (!(year >= 2000 && year <= 2100)) {
      throw new ValidationError({ year: { key: 'editions.error.year' } }, 'admin/editions/index', await listLocals(req, typed));
    }
    const id = await inForm('admin/editions/index', () => listLocals(req, typed), () => setup.createEdition(db, year, `${req.t('app.name')} ${year}`, req.viewer!.user.id, deps.now()));
    flash(req, 'success', 'editions.flash.copied', { year });
    res.redirect(303, `/admin/editions/${id}`);
  });

  router.get('/admin/editions/:id', async (req, res) => {
    res.render('admin/editions/edit', await pageLocals(req, idParam(req.params.id)));
  });

  router.post('/admin/editions/:id', async (req, res) => {
    const id = idParam(req.params.id);
    const { edition } = await load(id);
    const form = formFromBody((req.body ?? {}) as Record<string, unknown>);
    const parsed = parseSettings(form);
    if (!parsed.ok) throw new ValidationError(parsed.errors, 'admin/editions/edit', await pageLocals(req, id, form));
    await inForm('admin/editions/edit', () => pageLocals(req, id, form), () => setup.saveSettings(db, id, parsed.value, req.viewer!.user.id, deps.now()));
    flash(req, 'success', 'editions.flash.saved', { title: parsed.value.settings.title || edition.title });
    res.redirect(303, `/admin/editions/${id}`);
  });

  // Opening or closing a phase acts on the whole organisation at once, so the bare button only shows
  // what will happen; the change is made when the confirmation page's form (confirm=yes) comes back.
  router.post('/admin/editions/:id/phase', async (req, res) => {
    const id = idParam(req.params.id);
    const { edition } = await load(id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const phase = PHASES.find((p) => p === body.phase);
    const choice = (['open', 'closed', 'dates'] as const).find((c) => c === body.override);
    if (!phase || !choice) throw badRequest('editions.error.badPhase');
    if (edition.archivedAt) throw conflict('editions.error.archived');
    if (body.confirm !== 'yes') {
      const consequences = await setup.overrideConsequences(db, edition, phase, choice, deps.now());
      res.render('admin/editions/confirm-phase', { title: req.t('editions.confirm.title'), edition, phase, choice, consequences });
      return;
    }
    await setup.setPhaseOverride(db, id, phase, choice, req.viewer!.user.id, deps.now());
    // Opened by hand: tell people now rather than at the next periodic check (once per edition and phase).
    if (choice === 'open') await announceOpenPhases(db, deps.events, deps.now());
    const after = await load(id);
    flash(req, 'success', 'editions.flash.override', {
      phase: req.t(`editions.phase.${phase}`),
      state: `${req.t(after.phase[`${phase}Open`] ? 'editions.flash.isOpen' : 'editions.flash.isClosed')} (${req.t(choice === 'dates' ? 'editions.phase.byDates' : 'editions.phase.byOverride')})`,
    });
    res.redirect(303, `/admin/editions/${id}#phases`);
  });

  router.post('/admin/editions/:id/copy', async (req, res) => {
    const id = idParam(req.params.id);
    await load(id);
    const copyJury = (req.body as Record<string, unknown> | undefined)?.copyJury === 'yes';
    const created = await setup.copyToNextYear(db, id, req.viewer!.user.id, deps.now(), { copyJury });
    flash(req, 'success', copyJury ? 'editions.flash.copiedWithJury' : 'editions.flash.copied', { year: created.year, count: created.jurors });
    res.redirect(303, `/admin/editions/${created.id}`);
  });

  router.post('/admin/editions/:id/archive', async (req, res) => {
    const id = idParam(req.params.id);
    const { edition } = await load(id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.confirm !== 'yes') {
      throw new ValidationError({ confirmArchive: { key: 'editions.error.confirmArchive' } }, 'admin/editions/edit', await pageLocals(req, id));
    }
    await setup.archive(db, id, req.viewer!.user.id, deps.now());
    flash(req, 'success', 'editions.flash.archived', { title: edition.title });
    res.redirect(303, '/admin/editions');
  });

  return router;
}
