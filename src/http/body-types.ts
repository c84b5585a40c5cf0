// Request bodies come as forms (urlencoded or multipart) or JSON; anything else is refused with 415
// before it reaches a route (SPEC §6: bad input gets a clear 4xx and changes nothing). Without this a
// text/plain or XML post reached the routes with no body at all and failed with a 500.
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';

const KNOWN = ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'];

export function requireKnownBodyType(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody) {
    const type = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (!KNOWN.includes(type)) return next(new AppError(415, 'errors.badRequest.text', undefined, 'errors.badRequest.title'));
  }
  // Routes read req.body.x; Express 5 leaves it undefined when nothing was parsed.
  if (req.body === undefined) req.body = {};
  next();
}
