// Multipart bodies are parsed for every route before the CSRF check (SPEC §6: CSRF on multipart forms
// too), so no route can forget it. Files stay in memory (req.files) until a route has validated them;
// a refused request stores nothing. The hard caps here only stop abuse: a route checks its own rules
// (e.g. N1's 3 files of 10 MB) and can then re-render its form with everything typed.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type multerType from 'multer';
import { AppError } from '../errors';
import { isMultipart } from '../auth/csrf';

export const HARD_MAX_FILE_BYTES = 25 * 1024 * 1024;
export const HARD_MAX_FILES = 6;

// Loaded with the first multipart request: most requests never carry a file.
let parser: { multer: typeof multerType; upload: RequestHandler } | undefined;
function multipartParser() {
  if (!parser) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const multer = require('multer') as typeof multerType;
    const limits = { fileSize: HARD_MAX_FILE_BYTES, files: HARD_MAX_FILES, fields: 200, fieldSize: 512 * 1024, parts: 220 };
    parser = { multer, upload: multer({ storage: multer.memoryStorage(), limits }).any() };
  }
  return parser;
}

export function parseMultipart(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'POST' || !isMultipart(req)) return next();
  const { multer, upload } = multipartParser();
  upload(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError) {
      const status = err.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
      const key = err.code === 'LIMIT_FILE_SIZE' ? 'upload.hardTooLarge' : err.code === 'LIMIT_FILE_COUNT' ? 'upload.hardTooMany' : 'errors.badRequest.text';
      return next(new AppError(status, key, { mb: HARD_MAX_FILE_BYTES / 1024 / 1024, max: HARD_MAX_FILES }, 'errors.badRequest.title'));
    }
    next(new AppError(400, 'errors.badRequest.text', undefined, 'errors.badRequest.title'));
  });
}
