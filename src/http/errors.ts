// The one error handler (STYLE example 3): an AppError is rendered in the user's language with its
// status; a ValidationError re-renders its form with the values typed; anything else is a 500 with a
// request id and no stack trace. JSON/XHR callers get JSON.
import type { NextFunction, Request, Response } from 'express';
import type { AppDeps } from '../deps';
import { AppError, ValidationError, notFound } from '../errors';
import { wantsJson } from '../auth/guards';

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(notFound());
}

function asAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; code?: string };
  // PostgreSQL refuses a value its column cannot hold — an id of twenty digits typed into a URL
  // (22003) or a malformed number (22P02): the client's input, answered as on SQLite, never a 500.
  if (e?.code === '22003') return notFound();
  if (e?.code === '22P02') return new AppError(400, 'errors.badRequest.text', undefined, 'errors.badRequest.title');
  // body-parser and friends: malformed or oversized bodies are the client's fault.
  if (e?.type === 'entity.too.large') return new AppError(413, 'errors.payloadTooLarge.text', undefined, 'errors.badRequest.title');
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError(status === 404 ? 404 : 400, status === 404 ? 'errors.notFound.text' : 'errors.badRequest.text', undefined, status === 404 ? 'errors.notFound.title' : 'errors.badRequest.title');
  return null;
}

export function errorHandler(deps: AppDeps) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const appError = asAppError(err);
    const t = req.t ?? ((k: string) => k);
    const requestId = String((req as { id?: unknown }).id ?? '');

    if (!appError) {
      (req as { log?: { error(o: unknown, m: string): void } }).log?.error({ err }, 'unhandled error') ?? deps.logger.error({ err }, 'unhandled error');
      res.status(500);
      if (wantsJson(req)) {
        res.json({ error: t('errors.server.text', { requestId }) });
        return;
      }
      res.render('error', { title: t('errors.title'), message: t('errors.server.text', { requestId }) });
      return;
    }

    res.status(appError.status);
    if (appError instanceof ValidationError && appError.view && !wantsJson(req)) {
      res.render(appError.view, { ...appError.locals, fieldErrors: appError.fieldErrors });
      return;
    }
    const message = t(appError.messageKey, appError.params);
    if (wantsJson(req)) {
      const fields = appError instanceof ValidationError
        ? Object.fromEntries(Object.entries(appError.fieldErrors).map(([k, v]) => [k, t(v.key, v.params)]))
        : undefined;
      res.json({ error: message, fields });
      return;
    }
    if (appError.status === 401) {
      res.render('error', { title: t('auth.signInTitle'), message, showSignIn: true });
      return;
    }
    res.render('error', { title: t(appError.titleKey ?? 'errors.title'), message });
  };
}
