// The admin hub with the statistics dashboard (R2), users and roles (R5) and the audit log (R4).
import { Router, type Request } from 'express';
import type { AppDeps } from '../deps';
import { requireRole } from '../auth/guards';
import { hasKey, registerMessages } from '../i18n';
import { flash } from '../http/locale';
import { ValidationError, badRequest, type FieldErrors } from '../errors';
import { fromStockholmLocal } from '../time';
import { adminMessages } from './messages';
import { statsMessages } from '../stats/messages';
import { privacyMessages } from '../privacy/messages';
import { ADMIN_SECTIONS } from './sections';
import * as service from './service';
import * as privacy from '../privacy/service';
import * as stats from '../stats/service';
import { remindJury } from './announcements';
import { describeAuditLine } from './audit-sentences';

registerMessages(adminMessages);
registerMessages(statsMessages);
registerMessages(privacyMessages);

/** A query-string value as one trimmed string ('' when missing or repeated). */
export function queryText(req: Request, name: string, max = 200): string {
  const v = req.query[name];
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
}

export function queryPage(req: Request): number {
  const n = Number(queryText(req, 'page', 9));
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** The label of an audit action in the reader's language; unknown actions show their key. */
export function auditActionLabel(req: Request, action: string): string {
  const key = `audit.action.${action}`;
  return hasKey(key) ? req.t(key) : action;
}

function parseDay(text: string): Date | null | 'invalid' {
  if (!text) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return 'invalid';
  return fromStockholmLocal(`${text}T00:00`) ?? 'invalid';
}

export function adminRoutes(deps: AppDeps): Router {
  const router = Router();
  const admin = requireRole('admin');

  router.get('/admin', admin, async (req, res) => {
    const dashboard = await stats.dashboard(deps.db, deps.now());
    res.render('admin/index', { title: req.t('admin.title'), sections: ADMIN_SECTIONS, dashboard, charts: stats.charts(dashboard, req.t, res.locals.fmt) });
  });

  router.post('/admin/reminders/jury', admin, async (req, res) => {
    const count = await remindJury(deps.db, deps.events, req.viewer!.user.id, deps.now());
    if (count > 0) flash(req, 'success', 'admin.remind.sent', { count });
    else flash(req, 'info', 'admin.remind.nobody');
    res.redirect(303, '/admin#stat-jury');
  });

  router.get('/admin/users', admin, async (req, res) => {
    const q = queryText(req, 'q');
    const adminsOnly = queryText(req, 'admins') === '1';
    const result = await service.findUsers(deps.db, q, adminsOnly, queryPage(req));
    res.render('admin/users', { title: req.t('admin.users.title'), q, adminsOnly, ...result });
  });

  router.get('/admin/users/:id', admin, async (req, res) => {
    const user = await service.getUser(deps.db, Number(req.params.id));
    res.render('admin/user', { title: req.t('admin.users.detailTitle', { name: user.name }), user });
  });

  router.post('/admin/users/:id/role', admin, async (req, res) => {
    const value = req.body?.admin;
    if (value !== '1' && value !== '0') throw badRequest('admin.users.badRole');
    const actor = req.viewer!.user;
    const { changed, user } = await service.setAdminRole(deps.db, actor.id, Number(req.params.id), value === '1', deps.now());
    if (!changed) flash(req, 'info', 'admin.users.unchanged');
    else flash(req, 'success', value === '1' ? 'admin.users.promoted' : 'admin.users.demoted', { name: user.name });
    // Demoting yourself ends your access to this page; go home instead of to a 403.
    res.redirect(303, !user.isAdmin && user.id === actor.id ? '/' : `/admin/users/${user.id}`);
  });

  router.post('/admin/users/:id/anonymise', admin, async (req, res) => {
    const target = await service.getUser(deps.db, Number(req.params.id));
    if (req.body?.confirm !== 'yes') {
      throw new ValidationError({ confirm: { key: 'privacy.anonymise.confirmRequired' } }, 'admin/user', { title: req.t('admin.users.detailTitle', { name: target.name }), user: target });
    }
    await privacy.anonymiseUser(deps.db, req.viewer!.user.id, target.id, deps.now());
    flash(req, 'success', 'privacy.anonymise.done');
    res.redirect(303, `/admin/users/${target.id}`);
  });

  router.get('/admin/audit', admin, async (req, res) => {
    const filters = { who: queryText(req, 'who'), action: queryText(req, 'action', 64), from: queryText(req, 'from', 10), to: queryText(req, 'to', 10) };
    const fieldErrors: FieldErrors = {};
    const from = parseDay(filters.from);
    const toDay = parseDay(filters.to);
    if (from === 'invalid') fieldErrors.from = { key: 'admin.audit.badDate' };
    if (toDay === 'invalid') fieldErrors.to = { key: 'admin.audit.badDate' };
    if (from instanceof Date && toDay instanceof Date && toDay < from) fieldErrors.to = { key: 'admin.audit.badRange' };
    const hasErrors = Object.keys(fieldErrors).length > 0;
    // "To" is inclusive: up to the start of the next day in Stockholm.
    const to = toDay instanceof Date ? fromStockholmLocal(`${nextDay(filters.to)}T00:00`) : null;
    const result = await service.auditPage(deps.db, {
      who: filters.who,
      action: filters.action,
      from: from instanceof Date ? from : null,
      to,
      page: hasErrors ? 1 : queryPage(req),
    });
    res.status(hasErrors ? 400 : 200).render('admin/audit', {
      title: req.t('admin.audit.title'),
      filters,
      fieldErrors,
      ...result,
      lines: hasErrors ? [] : result.lines,
      total: hasErrors ? 0 : result.total,
      actionLabel: (a: string) => auditActionLabel(req, a),
      describe: (line: service.AuditLine) => describeAuditLine(line, req.t, hasKey, (d) => res.locals.fmt.dateTime(d)),
      query: (page: number) => new URLSearchParams({ ...filters, page: String(page) }).toString(),
    });
  });

  return router;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
