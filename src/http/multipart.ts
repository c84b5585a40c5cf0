// Multipart bodies (file uploads) are refused before they are buffered (SPEC §6 "Bounded work"). For
// every multipart POST, in this order and before a byte of a file is read:
//   1. a signed-in user (a session);
//   2. the CSRF token: from the `x-csrf-token` header, or else the body's first field must be `_csrf`
//      (the nomination form puts it first); anything else in first place ends the request;
//   3. the per-user upload rate limit and storage quota;
// then the body is streamed: fields into req.body, files straight to disk under DATA_DIR/incoming,
// with a cap per file, per request and the quota's room. A refused request is answered at once; what
// is still on its way is read and dropped up to LINGER_BYTES, so the client can read the answer, and
// then the connection is cut. Its temporary files are deleted before the answer, and every request's
// are deleted when its response is over — a route that keeps a file copies it (files.store).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Readable } from 'node:stream';
import { AppError } from '../errors';
import { csrfError, isMultipart, tokenEquals } from '../auth/csrf';
import { incomingDir } from '../attachments/files';

export const HARD_MAX_FILE_BYTES = 25 * 1024 * 1024;
export const HARD_MAX_FILES = 6;
/** All files of one request together. */
export const MAX_REQUEST_FILE_BYTES = 40 * 1024 * 1024;
/** All fields of one request together (the nomination form's texts are far below it). */
export const MAX_REQUEST_FIELD_BYTES = 1024 * 1024;

/** How much of a refused body is read and dropped (never kept) before the connection is cut. */
const LINGER_BYTES = 2 * 1024 * 1024;

export type UploadedFile = { fieldname: string; originalname: string; size: number; path: string };

declare global {
  namespace Express {
    interface Request {
      /** Files of a multipart request, on disk until the response is over. */
      uploadedFiles?: UploadedFile[];
    }
  }
}

// busboy ships no types; the few parts used are typed here.
type FieldInfo = { nameTruncated: boolean; valueTruncated: boolean };
type FileInfo = { filename: string | undefined };
type Busboy = NodeJS.WritableStream & {
  on(event: 'field', cb: (name: string, value: string, info: FieldInfo) => void): Busboy;
  on(event: 'file', cb: (name: string, stream: Readable & { truncated?: boolean }, info: FileInfo) => void): Busboy;
  on(event: 'close' | 'filesLimit' | 'fieldsLimit' | 'partsLimit', cb: () => void): Busboy;
  on(event: 'error', cb: (err: unknown) => void): Busboy;
};
type BusboyFactory = (o: { headers: Request['headers']; defParamCharset: string; limits: Record<string, number> }) => Busboy;
let busboyFactory: BusboyFactory | undefined;

export type MultipartOptions = {
  dataDir: string;
  /** Whether this request may carry files at all (the nomination form); other forms may post fields only. */
  acceptsFiles(req: Request): boolean;
  /** The per-user upload rate limit (an express-rate-limit middleware). */
  limiter: RequestHandler;
  /** Bytes of attachments the user already stores, and how many they may store. */
  storedBytes(userId: number): Promise<number>;
  quotaBytes: number;
};

const tooLarge = (key: string, params?: Record<string, string | number>) => new AppError(413, key, params, 'errors.badRequest.title');
const badRequest = () => new AppError(400, 'errors.badRequest.text', undefined, 'errors.badRequest.title');

export function multipartUploads(o: MultipartOptions) {
  const incoming = incomingDir(o.dataDir);
  return async function parseMultipart(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (req.method !== 'POST' || !isMultipart(req)) return next();
    const refuse = (err: unknown) => {
      req.unpipe();
      let dropped = 0;
      req.on('data', (chunk: Buffer) => {
        dropped += chunk.length;
        if (dropped > LINGER_BYTES) req.socket.destroy();
      });
      req.resume();
      next(err);
    };
    if (!req.viewer) return refuse(new AppError(401, 'errors.unauthorized.text'));
    const headerToken = req.get('x-csrf-token');
    if (headerToken !== undefined && !tokenEquals(req, headerToken)) return refuse(csrfError());
    const limited = await new Promise<unknown>((resolve) => void o.limiter(req, res, resolve));
    if (limited) return refuse(limited);
    const room = o.quotaBytes - (await o.storedBytes(req.viewer.user.id));
    if (room <= 0) return refuse(tooLarge('upload.quotaFull', { mb: Math.round(o.quotaBytes / 1024 / 1024) }));
    const cap = Math.min(MAX_REQUEST_FILE_BYTES, room);
    await fs.promises.mkdir(incoming, { recursive: true });

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    busboyFactory ??= require('busboy') as BusboyFactory;
    let bb: Busboy;
    try {
      bb = busboyFactory({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: HARD_MAX_FILE_BYTES, files: HARD_MAX_FILES, fields: 200, fieldSize: 512 * 1024, parts: 220 },
      });
    } catch {
      return refuse(badRequest()); // no boundary, or a header busboy cannot read
    }

    const body: Record<string, string | string[]> = Object.create(null);
    const files: UploadedFile[] = [];
    const writing = new Set<fs.WriteStream>();
    const streams: fs.WriteStream[] = [];
    let authorised = headerToken !== undefined;
    let first = true;
    let total = 0;
    let fieldBytes = 0;
    let done = false;
    let parsed = false;
    // A file is removed once its stream has closed: a stream still opening would create it again.
    const removeFiles = async () => {
      for (const w of writing) w.destroy();
      await Promise.all(streams.map((w) => (w.closed ? Promise.resolve() : new Promise<void>((resolve) => w.once('close', () => resolve())))));
      await Promise.all(files.map((f) => fs.promises.rm(f.path, { force: true })));
    };
    res.on('close', () => void removeFiles());
    const fail = (err: unknown) => {
      if (done) return;
      done = true;
      req.unpipe();
      void removeFiles().then(() => refuse(err), () => refuse(err));
    };
    const finish = () => {
      if (done || !parsed || writing.size > 0) return;
      if (!authorised) return fail(csrfError());
      done = true;
      req.body = { ...body };
      req.uploadedFiles = files;
      next();
    };
    // The first part decides: without the header, it must be the matching `_csrf` field.
    const firstPart = (name: string, value: string | null): boolean => {
      if (!first) return true;
      first = false;
      if (authorised) return true;
      if (name !== '_csrf' || value === null || !tokenEquals(req, value)) {
        fail(csrfError());
        return false;
      }
      authorised = true;
      return true;
    };

    bb.on('field', (name, value, info) => {
      if (done || !firstPart(name, value)) return;
      fieldBytes += name.length + value.length;
      if (info.nameTruncated || info.valueTruncated || fieldBytes > MAX_REQUEST_FIELD_BYTES) return fail(tooLarge('errors.payloadTooLarge.text'));
      const had = body[name];
      body[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    });
    bb.on('file', (name, stream, info) => {
      if (done || !firstPart(name, null)) return void stream.resume();
      if (!info.filename) return void stream.resume(); // a file input left empty
      if (!o.acceptsFiles(req)) {
        stream.resume();
        return fail(badRequest());
      }
      const file: UploadedFile = { fieldname: name, originalname: info.filename, size: 0, path: path.join(incoming, crypto.randomBytes(16).toString('hex')) };
      files.push(file);
      const out = fs.createWriteStream(file.path, { flags: 'wx' });
      writing.add(out);
      streams.push(out);
      stream.on('data', (chunk: Buffer) => {
        file.size += chunk.length;
        total += chunk.length;
        if (total > cap) fail(cap < MAX_REQUEST_FILE_BYTES ? tooLarge('upload.quotaFull', { mb: Math.round(o.quotaBytes / 1024 / 1024) }) : tooLarge('upload.hardTotalTooLarge', { mb: MAX_REQUEST_FILE_BYTES / 1024 / 1024 }));
      });
      stream.on('limit', () => fail(tooLarge('upload.hardTooLarge', { mb: HARD_MAX_FILE_BYTES / 1024 / 1024 })));
      out.on('error', (err) => fail(err));
      out.on('close', () => {
        writing.delete(out);
        finish();
      });
      stream.pipe(out);
    });
    bb.on('filesLimit', () => fail(tooLarge('upload.hardTooMany', { max: HARD_MAX_FILES })));
    bb.on('fieldsLimit', () => fail(badRequest()));
    bb.on('partsLimit', () => fail(badRequest()));
    bb.on('error', () => fail(badRequest()));
    bb.on('close', () => {
      parsed = true;
      finish();
    });
    req.on('aborted', () => fail(badRequest()));
    req.pipe(bb);
  };
}
