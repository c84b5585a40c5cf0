// Share cards (C5): PNG images of a finalist or the winner, drawn from an SVG built here. The text is
// turned into SVG paths with the DejaVu fonts that come with the npm dependency `dejavu-fonts-ttf`,
// so å/ä/ö render the same on every machine, whatever fonts it has installed (librsvg would otherwise
// pick system fonts through fontconfig).
import fs from 'node:fs';
import { sharp } from '../attachments/sharp';

type PathCommand = { type: string; x?: number; y?: number; x1?: number; y1?: number; x2?: number; y2?: number };
type Glyph = { index: number; advanceWidth?: number; getPath(x: number, y: number, size: number): { commands: PathCommand[] } };
type Font = { unitsPerEm: number; charToGlyph(c: string): Glyph; getKerningValue(left: Glyph, right: Glyph): number };
// opentype.js ships no types; the few calls used are typed above. Loaded at start (loadCardFonts).
type OpenType = { parse(buffer: ArrayBuffer, options?: { lowMemory?: boolean }): Font };
let opentype: OpenType | undefined;

export type CardFormat = 'square' | 'wide';
export const CARD_SIZES: Record<CardFormat, { width: number; height: number }> = {
  square: { width: 1080, height: 1080 },
  wide: { width: 1200, height: 630 },
};

export type CardText = {
  /** e.g. "Årets misstag 2026" */
  award: string;
  /** e.g. "Vinnare" or "Finalist" */
  kind: string;
  title: string;
  lesson: string;
  /** A short line at the bottom, e.g. the organisation and the idea of the award. */
  footer: string;
};

const fonts: Partial<Record<'regular' | 'bold', Font>> = {};

function font(weight: 'regular' | 'bold'): Font {
  const cached = fonts[weight];
  if (cached) return cached;
  const file = require.resolve(`dejavu-fonts-ttf/ttf/${weight === 'bold' ? 'DejaVuSans-Bold' : 'DejaVuSans'}.ttf`);
  const b = fs.readFileSync(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  opentype ??= require('opentype.js') as OpenType;
  // lowMemory: glyphs are parsed when first asked for. Parsing every glyph of both fonts up front kept
  // 37 MB on the heap for the process's life, and V8 sizes the heap's growth from what stays alive, so
  // that cost about three times as much in peak RSS under load (issue 20); lazily, it is 5 MB.
  const f = opentype.parse(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer, { lowMemory: true });
  fonts[weight] = f;
  return f;
}

/**
 * Reads both fonts now, before the server listens, rather than inside the first card request (about
 * 25 ms of one thread; SPEC §6 "Bounded work").
 */
export function loadCardFonts(): void {
  font('regular');
  font('bold');
}

/** Width of a line of text in pixels (advances and kerning; no shaping needed for Latin text). */
export function measure(text: string, f: Font, size: number): number {
  const scale = size / f.unitsPerEm;
  let width = 0;
  let prev: Glyph | null = null;
  for (const ch of text) {
    const g = f.charToGlyph(ch);
    if (prev) width += f.getKerningValue(prev, g) * scale;
    width += (g.advanceWidth ?? 0) * scale;
    prev = g;
  }
  return width;
}

// Drawing a glyph's outline is the costly part of a card (about 0.2 ms a glyph), and the same few
// dozen letters recur: each glyph is drawn once per font and size, in relative commands, and placed
// with one absolute move. Coordinates are rounded in hundredths first, so the relative steps add up
// exactly. The cache has a ceiling: DejaVu has thousands of glyphs and a text can use any of them.
const glyphPaths = new WeakMap<Font, Map<string, string>>();
const MAX_CACHED_GLYPHS = 20_000;

function glyphPath(f: Font, g: Glyph, size: number): string {
  let cache = glyphPaths.get(f);
  if (!cache) glyphPaths.set(f, (cache = new Map()));
  const key = `${size}:${g.index}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const n = (v: number) => String(v / 100);
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  const parts: string[] = [];
  const step = (x = 0, y = 0) => [Math.round(x * 100) - cx, Math.round(y * 100) - cy];
  for (const c of g.getPath(0, 0, size).commands) {
    if (c.type === 'Z') {
      parts.push('z');
      cx = sx;
      cy = sy;
      continue;
    }
    const [dx, dy] = step(c.x, c.y);
    if (c.type === 'M') parts.push(`m${n(dx)} ${n(dy)}`);
    else if (c.type === 'L') parts.push(`l${n(dx)} ${n(dy)}`);
    else if (c.type === 'Q') {
      const [ax, ay] = step(c.x1, c.y1);
      parts.push(`q${n(ax)} ${n(ay)} ${n(dx)} ${n(dy)}`);
    } else if (c.type === 'C') {
      const [ax, ay] = step(c.x1, c.y1);
      const [bx, by] = step(c.x2, c.y2);
      parts.push(`c${n(ax)} ${n(ay)} ${n(bx)} ${n(by)} ${n(dx)} ${n(dy)}`);
    } else continue;
    cx += dx;
    cy += dy;
    if (c.type === 'M') {
      sx = cx;
      sy = cy;
    }
  }
  if (cache.size >= MAX_CACHED_GLYPHS) cache.clear();
  const d = parts.join('');
  cache.set(key, d);
  return d;
}

function linePath(text: string, f: Font, size: number, x: number, y: number): string {
  const scale = size / f.unitsPerEm;
  let cx = x;
  let prev: Glyph | null = null;
  const parts: string[] = [];
  for (const ch of text) {
    const g = f.charToGlyph(ch);
    if (prev) cx += f.getKerningValue(prev, g) * scale;
    const d = glyphPath(f, g, size);
    if (d) parts.push(`M${cx.toFixed(2)} ${y.toFixed(2)}${d}`);
    cx += (g.advanceWidth ?? 0) * scale;
    prev = g;
  }
  return parts.join('');
}

/** More than any card can show; longer texts are cut before layout, so layout work has a fixed bound. */
export const MAX_CARD_TEXT = 1_500;

/**
 * Greedy word wrap to maxWidth; words longer than a line are broken. Returns the lines and whether
 * text was cut to fit maxLines (the last line then ends with an ellipsis).
 *
 * The work is bounded by maxLines, not by the text (SPEC §6 "Bounded work"): wrapping stops at the
 * first line that would not be shown, and a long word's break point is found by bisection, so a
 * 2,000-character word costs a few dozen measurements instead of millions.
 */
export function wrap(text: string, fits: (line: string) => boolean, maxLines: number): { lines: string[]; cut: boolean } {
  const clipped = text.length > MAX_CARD_TEXT;
  const words = (clipped ? text.slice(0, MAX_CARD_TEXT) : text).replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const lines: string[] = [];
  let line = '';
  const full = () => lines.length > maxLines;
  const pushWord = (word: string) => {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      return;
    }
    if (line) lines.push(line);
    line = '';
    // A single word wider than the line: break it where the longest part with a hyphen still fits.
    let rest = Array.from(word);
    while (!full() && !fits(rest.join(''))) {
      let lo = 1;
      let hi = rest.length - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (fits(rest.slice(0, mid).join('') + '-')) lo = mid;
        else hi = mid - 1;
      }
      lines.push(rest.slice(0, lo).join('') + '-');
      rest = rest.slice(lo);
    }
    line = rest.join('');
  };
  for (const w of words) {
    if (full()) break;
    pushWord(w);
  }
  if (line && !full()) lines.push(line);
  if (lines.length <= maxLines && !clipped) return { lines, cut: false };
  if (lines.length === 0) return { lines, cut: true };
  const kept = lines.slice(0, maxLines);
  let last = kept[kept.length - 1] ?? '';
  while (last.length > 0 && !fits(`${last}…`)) last = last.slice(0, -1).trimEnd();
  kept[kept.length - 1] = `${trimPunctuationEnd(last)}…`;
  return { lines: kept, cut: true };
}

/** Drops trailing spaces and punctuation before an ellipsis (a loop, not a backtracking pattern). */
function trimPunctuationEnd(s: string): string {
  let end = s.length;
  while (end > 0 && /[\s,.;:–-]/.test(s[end - 1])) end--;
  return s.slice(0, end);
}

type Block = { path: string; height: number };

/** The largest size from `sizes` at which the text fits in maxLines within width; else the smallest, cut. */
function fitText(text: string, weight: 'regular' | 'bold', sizes: number[], width: number, maxHeight: number, lineHeight: number): { lines: string[]; size: number } {
  const f = font(weight);
  for (const size of sizes) {
    const maxLines = Math.max(1, Math.floor(maxHeight / (size * lineHeight)));
    const r = wrap(text, (l) => measure(l, f, size) <= width, maxLines);
    if (!r.cut) return { lines: r.lines, size };
  }
  const size = sizes[sizes.length - 1];
  const maxLines = Math.max(1, Math.floor(maxHeight / (size * lineHeight)));
  return { lines: wrap(text, (l) => measure(l, f, size) <= width, maxLines).lines, size };
}

function block(lines: string[], weight: 'regular' | 'bold', size: number, x: number, top: number, lineHeight: number): Block {
  const f = font(weight);
  const path = lines.map((l, i) => linePath(l, f, size, x, top + size + i * size * lineHeight)).join('');
  return { path, height: lines.length === 0 ? 0 : size + (lines.length - 1) * size * lineHeight + size * (lineHeight - 1) };
}

/** The card as SVG: every piece of text is a path, so no font is needed to draw it. */
export function cardSvg(text: CardText, format: CardFormat): string {
  const { width, height } = CARD_SIZES[format];
  const square = format === 'square';
  const pad = square ? 90 : 64;
  const inner = width - 2 * pad;
  const bold = font('bold');

  const eyebrowSize = square ? 34 : 28;
  const eyebrow = `${text.award.toLocaleUpperCase('sv-SE')} · ${text.kind.toLocaleUpperCase('sv-SE')}`;
  const eyebrowFit = wrap(eyebrow, (l) => measure(l, bold, eyebrowSize) <= inner, 1).lines;
  let y = pad + (square ? 20 : 6);
  const top = block(eyebrowFit, 'bold', eyebrowSize, pad, y, 1.2);
  y += top.height + (square ? 40 : 22);

  const footerSize = square ? 28 : 22;
  const footerLines = wrap(text.footer, (l) => measure(l, font('regular'), footerSize) <= inner, 2).lines;
  const footerHeight = footerLines.length * footerSize * 1.3;
  const footerTop = height - pad - footerHeight + (square ? 0 : 10);

  const titleFit = fitText(text.title, 'bold', square ? [84, 76, 68, 60, 54, 48] : [64, 58, 52, 46, 42], inner, square ? 84 * 1.15 * 3 : 64 * 1.15 * 2, 1.15);
  const title = block(titleFit.lines, 'bold', titleFit.size, pad, y, 1.15);
  y += title.height + (square ? 36 : 20);

  const lessonSpace = footerTop - (square ? 40 : 24) - y;
  const lessonFit = fitText(text.lesson, 'regular', square ? [44, 40, 36, 33, 30] : [32, 29, 26, 24], inner, lessonSpace, 1.35);
  const lesson = block(lessonFit.lines, 'regular', lessonFit.size, pad, y, 1.35);
  const footer = block(footerLines, 'regular', footerSize, pad, footerTop, 1.3);

  const bar = square ? 18 : 14;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#06423b"/>`,
    `<rect width="${width}" height="${bar}" fill="#f2b705"/>`,
    `<rect x="${pad}" y="${footerTop - (square ? 24 : 14)}" width="${square ? 140 : 110}" height="6" fill="#f2b705"/>`,
    `<path d="${top.path}" fill="#f2b705"/>`,
    `<path d="${title.path}" fill="#ffffff"/>`,
    `<path d="${lesson.path}" fill="#e3f1ee"/>`,
    `<path d="${footer.path}" fill="#cfe3df"/>`,
    '</svg>',
  ].join('');
}

export async function renderCard(text: CardText, format: CardFormat): Promise<Buffer> {
  return sharp(Buffer.from(cardSvg(text, format))).png({ compressionLevel: 9 }).toBuffer();
}
