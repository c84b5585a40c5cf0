// The PDF check behind N7: a PDF is kept only when it can be shown to hold no active content. We do
// not render or fully parse PDFs; we read every place a reader would find an action and refuse what
// we cannot read (SPEC §6 "Bounded work", README "Security"):
// - the raw bytes, and every stream decoded through the filters a reader would apply (Flate,
//   ASCIIHex, ASCII85, RunLength, in any chain), are searched for the names of active content, with
//   `#xx` escapes in names undone first;
// - pictures and font programs (without the keys of an object stream) are not decoded: their data
//   becomes pixels or glyphs, never PDF syntax;
// - encrypted PDFs, the LZW and Crypt filters (and any other we do not decode) outside pictures,
//   predictors outside cross-reference streams, undecodable streams and dictionaries we cannot
//   delimit make the file "unchecked": refused, never guessed at;
// - decompression is bounded per stream, per file and per request (a DecodeBudget shared by the
//   files of one request), and the work yields to the event loop every few milliseconds, so a PDF
//   bomb costs its sender a refusal and everyone else nothing.
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type PdfVerdict = 'clean' | 'active' | 'unchecked';

/** Decoded bytes one request may still produce; every PDF of the request draws from the same budget. */
export class DecodeBudget {
  constructor(public remaining: number) {}
}

// Pictures are not decoded (below), so what is decoded is text: page contents, fonts, object streams.
export const MAX_DECODED_PER_STREAM = 16 * 1024 * 1024;
export const MAX_DECODED_PER_FILE = 32 * 1024 * 1024;
export const MAX_DECODED_PER_REQUEST = 64 * 1024 * 1024;
export const MAX_STREAMS = 20_000;
/** Longest stream dictionary we read back from `stream`; real ones are a few hundred bytes. */
const MAX_DICT = 64 * 1024;

// Actions and content that run, submit, open or embed something. A name ends where a PDF delimiter
// or white space begins. Plain links (/URI) and moves inside the document (/GoTo) are allowed.
const ACTIVE = new RegExp(
  String.raw`/(?:JS|JavaScript|Launch|SubmitForm|ImportData|GoToE|GoToR|GoTo3DView|RichMedia|XFA|AA|EmbeddedFiles?|FileAttachment|Rendition|Movie|Sound)(?=[\s()<>\[\]{}/%]|$)`,
);
const ENCRYPTED = /\/Encrypt(?=[\s()<>\[\]{}/%]|$)/;

const DECODABLE = new Set(['FlateDecode', 'ASCIIHexDecode', 'ASCII85Decode', 'RunLengthDecode']);
const ABBREVIATIONS: Record<string, string> = { Fl: 'FlateDecode', AHx: 'ASCIIHexDecode', A85: 'ASCII85Decode', RL: 'RunLengthDecode', DCT: 'DCTDecode', CCF: 'CCITTFaxDecode', LZW: 'LZWDecode' };

class Unchecked extends Error {}

/** Names in PDFs may hide letters as #xx escapes (/J#61vaScript); undo that before looking. */
export function normaliseNames(s: string): string {
  return s.includes('#') ? s.replace(/#([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) : s;
}

/** A pause for the event loop whenever this piece of work has held it for `everyMs`. */
function slicer(everyMs = 8): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < everyMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}

const CHUNK = 512 * 1024;
const OVERLAP = 256; // longer than any name we look for, even fully #-escaped

/** Whether the bytes hold an active-content name (or say they are encrypted); searched in chunks with pauses. */
async function searchNames(buf: Buffer, pause: () => Promise<void>): Promise<{ active: boolean; encrypted: boolean }> {
  let encrypted = false;
  for (let at = 0; at < buf.length; at += CHUNK) {
    const text = normaliseNames(buf.toString('latin1', Math.max(0, at - OVERLAP), Math.min(buf.length, at + CHUNK)));
    if (ACTIVE.test(text)) return { active: true, encrypted };
    encrypted ||= ENCRYPTED.test(text);
    await pause();
  }
  return { active: false, encrypted };
}

const hasActiveName = async (buf: Buffer, pause: () => Promise<void>) => (await searchNames(buf, pause)).active;

const inflateAsync = promisify(zlib.inflate) as (b: Buffer, o: zlib.ZlibOptions) => Promise<Buffer>;
const inflateRawAsync = promisify(zlib.inflateRaw) as (b: Buffer, o: zlib.ZlibOptions) => Promise<Buffer>;

/** Flate, in the thread pool for anything larger than a few kilobytes; truncated data gives what it holds. */
async function inflate(data: Buffer, max: number): Promise<Buffer> {
  const options: zlib.ZlibOptions = { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  try {
    return data.length <= 4096 ? zlib.inflateSync(data, options) : await inflateAsync(data, options);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new Unchecked('too large');
    try {
      return await inflateRawAsync(data, options); // some writers leave out the zlib header
    } catch {
      throw new Unchecked('undecodable Flate stream');
    }
  }
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

function asciiHex(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(Math.ceil(data.length / 2));
  let n = 0;
  let high = -1;
  for (const c of data) {
    if (c === 0x3e) break; // '>' ends the data
    if (isSpace(c)) continue;
    const v = HEX[c];
    if (v < 0) throw new Unchecked('bad ASCIIHex');
    if (high < 0) high = v;
    else {
      out[n++] = (high << 4) | v;
      high = -1;
    }
  }
  if (high >= 0) out[n++] = high << 4;
  return out.subarray(0, n);
}

function ascii85(data: Buffer, max: number): Buffer {
  const out = Buffer.allocUnsafe(Math.min(data.length * 4, max) + 8);
  let n = 0;
  let group = 0;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (isSpace(c)) continue;
    if (c === 0x7e) break; // '~>' ends the data
    if (n + 4 > max) throw new Unchecked('too large');
    if (c === 0x7a && count === 0) {
      out.fill(0, n, n + 4); // 'z' is four zero bytes
      n += 4;
      continue;
    }
    if (c < 0x21 || c > 0x75) throw new Unchecked('bad ASCII85');
    group = group * 85 + (c - 0x21);
    if (++count === 5) {
      out.writeUInt32BE(group >>> 0, n);
      n += 4;
      group = 0;
      count = 0;
    }
  }
  if (count === 1) throw new Unchecked('bad ASCII85');
  if (count > 1) {
    for (let k = count; k < 5; k++) group = group * 85 + 84;
    const tail = Buffer.allocUnsafe(4);
    tail.writeUInt32BE(group >>> 0, 0);
    tail.copy(out, n, 0, count - 1);
    n += count - 1;
  }
  return out.subarray(0, n);
}

function runLength(data: Buffer, max: number): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  for (let i = 0; i < data.length; ) {
    const len = data[i++];
    if (len === 128) break;
    const part = len < 128 ? data.subarray(i, i + len + 1) : Buffer.alloc(257 - len, data[i] ?? 0);
    i += len < 128 ? len + 1 : 1;
    size += part.length;
    if (size > max) throw new Unchecked('too large');
    parts.push(part);
  }
  return Buffer.concat(parts, size);
}

type StreamInfo = { filters: string[]; predictor: boolean; image: boolean; font: boolean; objectStream: boolean; xref: boolean; length: number | null };

/**
 * A stream's dictionary as a reader sees it: its top-level entries with strings, comments and
 * nested dictionaries removed, so text inside a string cannot pose as a /Filter. `anywhere` keeps the
 * nested dictionaries (where /DecodeParms and its /Predictor live).
 */
function topLevel(dict: string): { top: string; anywhere: string } {
  let top = '';
  let anywhere = '';
  let depth = 0;
  for (let i = 0; i < dict.length; i++) {
    const c = dict[i];
    if (c === '(') {
      i = skipLiteralString(dict, i);
      top += depth <= 1 ? ' () ' : '';
      anywhere += ' () ';
    } else if (c === '%') {
      while (i < dict.length && dict[i] !== '\n' && dict[i] !== '\r') i++;
    } else if (c === '<' && dict[i + 1] === '<') {
      depth++;
      i++;
      top += depth === 1 ? '<<' : ' ';
      anywhere += ' << ';
    } else if (c === '>' && dict[i + 1] === '>') {
      depth--;
      i++;
      top += depth === 0 ? '>>' : ' ';
      anywhere += ' >> ';
    } else if (c === '<') {
      while (i < dict.length && dict[i] !== '>') i++;
      top += ' <> ';
      anywhere += ' <> ';
    } else {
      if (depth <= 1) top += c;
      anywhere += c;
    }
  }
  return { top, anywhere };
}

function skipLiteralString(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return s.length;
}

function describe(dict: string): StreamInfo {
  const { top, anywhere } = topLevel(dict);
  const filterEntries = [...top.matchAll(/\/Filter\s*(\[[^\]]*\]|\/[^\s()<>[\]{}/%]+)?/g)];
  if (filterEntries.length > 1) throw new Unchecked('two /Filter entries');
  const filterValue = filterEntries[0]?.[1] ?? '';
  if (filterEntries.length === 1 && !filterValue) throw new Unchecked('indirect /Filter');
  const filters = [...filterValue.matchAll(/\/([^\s()<>[\]{}/%]+)/g)].map((m) => ABBREVIATIONS[m[1]] ?? m[1]);
  const length = /\/Length\s+(\d{1,10})(?!\s+\d+\s+R)(?=[\s/>])/.exec(top);
  return {
    filters,
    predictor: /\/Predictor\s+0*(?:[2-9]|\d{2,})/.test(anywhere) || /\/Predictor\s+\d+\s+\d+\s+R/.test(anywhere),
    image: /\/Subtype\s*\/Image(?=[\s/>])/.test(top),
    font: /\/Length[123](?=[\s/])/.test(top) || /\/Subtype\s*\/(?:Type1C|CIDFontType0C|OpenType)(?=[\s/>])/.test(top),
    objectStream: /\/Type\s*\/ObjStm(?=[\s/>])/.test(top) || /\/(?:First|N|Extends)(?=[\s/])/.test(top),
    xref: /\/Type\s*\/XRef(?=[\s/>])/.test(top),
    length: length ? Number(length[1]) : null,
  };
}

/**
 * Walks the file as a reader's lexer would (strings, comments, dictionaries) and calls `onStream`
 * for each `stream` that follows a dictionary, with that dictionary's text and where its data
 * starts; `onStream` returns where the data ends. Yields to the event loop as it goes.
 */
async function eachStream(buf: Buffer, pause: () => Promise<void>, onStream: (dict: string, start: number) => Promise<number>): Promise<void> {
  const opens: number[] = [];
  let lastDict: { start: number; end: number } | null = null;
  for (let i = 0; i < buf.length; i++) {
    if ((i & 0xffff) === 0) await pause();
    const c = buf[i];
    if (c === 0x25) {
      // % comment, to the end of the line
      while (i < buf.length && buf[i] !== 0x0a && buf[i] !== 0x0d) i++;
    } else if (c === 0x28) {
      // ( literal string ), nested parentheses and backslash escapes
      let depth = 0;
      for (; i < buf.length; i++) {
        if (buf[i] === 0x5c) i++;
        else if (buf[i] === 0x28) depth++;
        else if (buf[i] === 0x29 && --depth === 0) break;
      }
    } else if (c === 0x3c && buf[i + 1] === 0x3c) {
      opens.push(i);
      i++;
    } else if (c === 0x3e && buf[i + 1] === 0x3e) {
      const start = opens.pop();
      i++;
      if (start !== undefined && opens.length === 0) lastDict = { start, end: i + 1 };
    } else if (c === 0x3c) {
      while (i < buf.length && buf[i] !== 0x3e) i++; // <hex string>
    } else if (c === 0x73 && buf.toString('latin1', i, i + 6) === 'stream' && (i === 0 || !/[A-Za-z0-9]/.test(String.fromCharCode(buf[i - 1])))) {
      let start = i + 6;
      if (buf[start] === 0x0d) start++;
      if (buf[start] !== 0x0a && buf[start - 1] !== 0x0d) continue; // not the keyword
      if (buf[start] === 0x0a) start++;
      let between = lastDict ? lastDict.end : -1;
      while (between >= 0 && between < i && isSpace(buf[between])) between++;
      if (!lastDict || between !== i) throw new Unchecked('stream without its dictionary');
      if (lastDict.end - lastDict.start > MAX_DICT) throw new Unchecked('dictionary too long');
      const end = await onStream(normaliseNames(buf.toString('latin1', lastDict.start, lastDict.end)), start);
      lastDict = null;
      i = end + 8; // past "endstream"
    }
  }
}

async function decode(data: Buffer, filters: string[], budget: { stream: number }, pause: () => Promise<void>): Promise<Buffer> {
  let out = data;
  for (const f of filters) {
    if (f === 'FlateDecode') out = await inflate(out, budget.stream);
    else if (f === 'ASCIIHexDecode') out = asciiHex(out);
    else if (f === 'ASCII85Decode') out = ascii85(out, budget.stream);
    else if (f === 'RunLengthDecode') out = runLength(out, budget.stream);
    else throw new Unchecked(`filter ${f}`);
    await pause();
  }
  return out;
}

/**
 * Whether a PDF is clean, holds active content, or cannot be checked. The budget is shared by the
 * files of one request and is spent here.
 */
export async function inspectPdf(buf: Buffer, budget: DecodeBudget = new DecodeBudget(MAX_DECODED_PER_REQUEST)): Promise<PdfVerdict> {
  const pause = slicer();
  try {
    const raw = await searchNames(buf, pause);
    if (raw.active) return 'active';
    if (raw.encrypted) return 'unchecked'; // strings and streams we cannot read
    let fileBudget = MAX_DECODED_PER_FILE;
    let streams = 0;
    let found = false;
    await eachStream(buf, pause, async (dict, start) => {
      const info = describe(dict);
      let end = -1;
      if (info.length !== null && start + info.length <= buf.length && /^\s*endstream/.test(buf.toString('latin1', start + info.length, start + info.length + 12))) end = start + info.length;
      if (end < 0) {
        end = buf.indexOf('endstream', start, 'latin1');
        if (end < 0) throw new Unchecked('no endstream');
        while (end > start && (buf[end - 1] === 0x0a || buf[end - 1] === 0x0d)) end--;
      }
      const after = buf.indexOf('endstream', end, 'latin1');
      if (after < 0) throw new Unchecked('no endstream');
      if (++streams > MAX_STREAMS) throw new Unchecked('too many streams');
      if (found || info.filters.length === 0) return after; // the raw search has read it
      // A picture's data becomes pixels and a font program glyphs, never PDF syntax: they are not
      // decoded (their bytes could spell a name by chance), unless the dictionary says the stream holds
      // objects too. Everything else must be decoded to be checked.
      if ((info.image || info.font) && !info.objectStream) return after;
      const undecodable = info.filters.find((f) => !DECODABLE.has(f));
      if (undecodable) throw new Unchecked(`filter ${undecodable}`);
      if (info.predictor) {
        // Predicted rows of a cross-reference stream are offsets; anywhere else we cannot read them.
        if (info.xref && !info.objectStream) return after;
        throw new Unchecked('predictor');
      }
      const limit = Math.min(MAX_DECODED_PER_STREAM, fileBudget, budget.remaining);
      const decoded = await decode(buf.subarray(start, end), info.filters, { stream: limit }, pause);
      if (decoded.length > limit) throw new Unchecked('too large');
      fileBudget -= decoded.length;
      budget.remaining -= decoded.length;
      if (await hasActiveName(decoded, pause)) found = true;
      return after;
    });
    if (found) return 'active';
    return 'clean';
  } catch (err) {
    if (err instanceof Unchecked) return 'unchecked';
    throw err;
  }
}
