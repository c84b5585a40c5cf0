// Signing in and out of our own session, shared by the demo and the Entra ID sign-in.
import type { Request } from 'express';

/** Only local paths are allowed as a place to return to (no open redirect). */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string') return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\r\n]/.test(value)) return '/';
  if (value.startsWith('/auth/')) return '/';
  return value;
}

/**
 * Regenerates the session id (SPEC A5: no session fixation), stores the user and returns where to go:
 * the deep link that was asked for before sign-in (A4).
 */
export async function establishSession(req: Request, userId: number): Promise<string> {
  const returnTo = safeReturnTo(req.session.returnTo);
  const locale = req.session.locale;
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.userId = userId;
  if (locale) req.session.locale = locale;
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
  return returnTo;
}

export async function endSession(req: Request): Promise<void> {
  await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
}
