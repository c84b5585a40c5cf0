// Rate limits (SPEC §6) on sign-in, votes and uploads. The answer is the localised error page.
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import type { Request } from 'express';
import { AppError } from '../errors';

function limiter(options: Partial<Options>) {
  return rateLimit({
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError(429, 'errors.rateLimited.text', undefined, 'errors.rateLimited.title')),
    ...options,
  });
}

/** Per client address: sign-in attempts. Generous: a whole office or a ceremony hall can share one address. */
export const signInLimiter = () => limiter({ windowMs: 5 * 60 * 1000, limit: 1000 });

/** Per signed-in user: votes and other frequent writes. */
export const perUserLimiter = (limit: number, windowMs = 60 * 1000) =>
  limiter({
    windowMs,
    limit,
    // Signed out (should not happen behind requireSignIn): by address, IPv6 grouped by /56.
    keyGenerator: (req: Request) => (req.viewer ? `user:${req.viewer.user.id}` : `ip:${ipKeyGenerator(req.ip ?? '')}`),
  });

/**
 * Per client address (IPv6 grouped by /56): the room code and the votes of phones that are not signed in.
 * `failuresOnly`: count only refused requests (a wrong code), since a whole hall shares one address.
 */
export const perAddressLimiter = (limit: number, windowMs = 60 * 1000, failuresOnly = false) =>
  limiter({ windowMs, limit, skipSuccessfulRequests: failuresOnly, keyGenerator: (req: Request) => `ip:${ipKeyGenerator(req.ip ?? '')}` });
