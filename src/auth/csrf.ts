// Synchronizer-token CSRF protection (SPEC §6): one random token per session, sent back in a hidden
// form field `_csrf` (or the `x-csrf-token` header for fetch). Multipart bodies are checked while they
// are read, before any file (src/http/multipart.ts); every unsafe request is checked by csrfProtection.
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfToken(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = crypto.randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

export const csrfError = () => new AppError(403, 'errors.csrf.text', undefined, 'errors.csrf.title');

export function tokenMatches(req: Request): boolean {
  const body = req.body as Record<string, unknown> | undefined;
  return tokenEquals(req, (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? req.get('x-csrf-token'));
}

/** Whether a token sent with the request is this session's. */
export function tokenEquals(req: Request, sent: string | undefined): boolean {
  const expected = req.session?.csrfToken;
  if (!expected || !sent) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function isMultipart(req: Request): boolean {
  return (req.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
}

/** Checks every unsafe request; a multipart body has been checked once already while it was read. */
export function csrfProtection(req: Request, res: Response, next: NextFunction): void {
  res.locals.csrfToken = csrfToken(req);
  if (SAFE_METHODS.has(req.method)) return next();
  if (!tokenMatches(req)) return next(csrfError());
  next();
}
