// Attachments (SPEC N7): the type is decided by the content (magic bytes), never by the name; images
// are re-encoded by sharp (EXIF rotation applied, all metadata such as GPS dropped) with a thumbnail;
// decompression bombs and PDFs with scripts are refused. Files live under DATA_DIR/attachments with
// random names, outside the web root.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Metadata } from 'sharp';
import { loadSharp } from './sharp';
import { DecodeBudget, MAX_DECODED_PER_REQUEST, inspectPdf } from './pdf';

export { DecodeBudget, MAX_DECODED_PER_REQUEST } from './pdf';

export const MAX_FILES = 3;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** 40 megapixels: a phone photo fits, a 30,000 × 30,000 "bomb" does not. */
export const MAX_PIXELS = 40_000_000;
const MAX_IMAGE_SIDE = 2400;
const THUMB_WIDTH = 480;

export type Kind = 'jpeg' | 'png' | 'webp' | 'pdf';
export const MIME: Record<Kind, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' };

/** The file type from its first bytes, or null when it is none of the allowed ones. */
export function sniff(buf: Buffer): Kind | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (buf.length >= 5 && buf.toString('latin1', 0, 5) === '%PDF-') return 'pdf';
  return null;
}

// Characters that change how a name reads without being seen: C0/C1 controls, bidirectional
// overrides and isolates (`faktura\u202Egpj.exe` shows as "fakturaexe.jpg"), zero-width characters
// and the byte-order mark.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** A file name safe to show and to send back: no directories, no control or bidi characters, at most 150 characters. */
export function safeFileName(name: string): string {
  const base = name.slice(-1000).replace(/\\/g, '/').split('/').pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/["<>|:*?]/g, '')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(-150);
  return cleaned || 'bilaga';
}

export const EXTENSION: Record<Kind, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', pdf: 'pdf' };

/**
 * The name a file is stored and downloaded under: safe (above), ending in the extension of the type
 * its content was found to be, whatever it was called (`sida.html` holding a PDF becomes `sida.pdf`).
 */
export function nameForType(name: string, kind: Kind): string {
  const safe = safeFileName(name);
  const dot = safe.lastIndexOf('.');
  const stem = (dot > 0 ? safe.slice(0, dot) : safe).replace(/[.\s]+$/, '') || 'bilaga';
  return `${stem.slice(0, 140)}.${EXTENSION[kind]}`;
}

export function kindOfMime(mime: string): Kind | null {
  return (Object.keys(MIME) as Kind[]).find((k) => MIME[k] === mime) ?? null;
}

export type FileProblem = 'tooLarge' | 'badType' | 'tooManyPixels' | 'pdfScript' | 'pdfUnchecked' | 'unreadable' | 'empty';

export type Processed = {
  kind: Kind;
  mime: string;
  originalName: string;
  data: Buffer;
  thumbnail: Buffer | null;
  width: number | null;
  height: number | null;
};

export class FileRefused extends Error {
  constructor(
    readonly problem: FileProblem,
    readonly fileName: string,
  ) {
    super(problem);
  }
}

/**
 * Checks and re-encodes one uploaded file; throws FileRefused with the reason. The decode budget is
 * shared by the files of one request (a PDF's streams are decompressed to be checked).
 */
export async function processUpload(originalName: string, buf: Buffer, budget: DecodeBudget = new DecodeBudget(MAX_DECODED_PER_REQUEST)): Promise<Processed> {
  const name = safeFileName(originalName);
  if (buf.length === 0) throw new FileRefused('empty', name);
  if (buf.length > MAX_FILE_BYTES) throw new FileRefused('tooLarge', name);
  const kind = sniff(buf);
  if (!kind) throw new FileRefused('badType', name);
  if (kind === 'pdf') {
    const verdict = await inspectPdf(buf, budget);
    if (verdict === 'active') throw new FileRefused('pdfScript', name);
    if (verdict === 'unchecked') throw new FileRefused('pdfUnchecked', name);
    return { kind, mime: MIME.pdf, originalName: nameForType(name, kind), data: buf, thumbnail: null, width: null, height: null };
  }
  // Loaded before the checks below: a broken installation is an error of the server, not the file's.
  const sharp = loadSharp();
  let meta: Metadata;
  try {
    // Only the header is read here (no pixels decoded), so the size can be checked before any decoding.
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch {
    throw new FileRefused('unreadable', name);
  }
  if (!meta.width || !meta.height) throw new FileRefused('unreadable', name);
  if (meta.width * meta.height > MAX_PIXELS) throw new FileRefused('tooManyPixels', name);
  if (meta.format !== kind) throw new FileRefused('badType', name);
  try {
    // rotate() applies the EXIF orientation; sharp writes no metadata unless asked, so GPS and camera data go.
    const pipeline = sharp(buf, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate().resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
    const encoded = kind === 'png' ? pipeline.png({ compressionLevel: 9 }) : kind === 'webp' ? pipeline.webp({ quality: 85 }) : pipeline.jpeg({ quality: 85, mozjpeg: true });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(data).resize({ width: THUMB_WIDTH, height: THUMB_WIDTH, fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer();
    return { kind, mime: MIME[kind], originalName: nameForType(name, kind), data, thumbnail, width: info.width, height: info.height };
  } catch {
    throw new FileRefused('unreadable', name);
  }
}

/** The thumbnail's size for an image of this size (as processUpload makes it), so a page can reserve the space. */
export function thumbnailSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, THUMB_WIDTH / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export function attachmentsDir(dataDir: string): string {
  return path.join(dataDir, 'attachments');
}

/** Where uploads are streamed while their request lasts (src/http/multipart.ts); names are 32 hex digits. */
export function incomingDir(dataDir: string): string {
  return path.join(dataDir, 'incoming');
}

/** Writes the file (and thumbnail) under a random name; returns that name. On failure nothing is left. */
export async function store(dataDir: string, p: Processed): Promise<string> {
  const dir = attachmentsDir(dataDir);
  await fs.promises.mkdir(dir, { recursive: true });
  const storageName = crypto.randomBytes(24).toString('hex');
  try {
    await fs.promises.writeFile(path.join(dir, storageName), p.data, { flag: 'wx' });
    if (p.thumbnail) await fs.promises.writeFile(path.join(dir, `${storageName}.thumb`), p.thumbnail, { flag: 'wx' });
  } catch (err) {
    await remove(dataDir, storageName); // no half-written file stays behind
    throw err;
  }
  return storageName;
}

export async function remove(dataDir: string, storageName: string): Promise<void> {
  if (!/^[0-9a-f]{48}$/.test(storageName)) return;
  const dir = attachmentsDir(dataDir);
  await fs.promises.rm(path.join(dir, storageName), { force: true });
  await fs.promises.rm(path.join(dir, `${storageName}.thumb`), { force: true });
}

export function filePath(dataDir: string, storageName: string, thumbnail: boolean): string | null {
  if (!/^[0-9a-f]{48}$/.test(storageName)) return null;
  return path.join(attachmentsDir(dataDir), thumbnail ? `${storageName}.thumb` : storageName);
}

/**
 * Content-Disposition with an ASCII fallback and the real name in RFC 5987 form (å/ä/ö kept). Given
 * the file's type, the name is made to end in its extension here too, so names stored before that
 * rule existed download safely as well.
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string, kind?: Kind | null): string {
  const safe = kind ? nameForType(name, kind) : safeFileName(name);
  const ascii = safe.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\%]/g, '').replace(/\s+/g, ' ').trim() || 'bilaga';
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
