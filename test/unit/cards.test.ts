import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { cardSvg, renderCard, wrap } from '../../src/cards/render';

const text = {
  award: 'Årets misstag 2026',
  kind: 'Vinnare',
  title: 'Bygglovsblanketten med 47 frågor som ingen orkade fylla i – och vad vi gjorde åt saken',
  lesson:
    'Fler frågor gav inte bättre ansökningar. Sökande gav upp eller gissade. Vi lärde oss att mäta var folk fastnar och att fråga ”behöver vi verkligen veta det här nu?” om varje fält. Det gäller även åäö och ÅÄÖ. '.repeat(3),
  footer: 'Helsingborgs stad · Vi belönar lärdomen – inte misstaget.',
};

describe('wrapping text on a card', () => {
  const fits = (max: number) => (line: string) => line.length <= max;

  test('when a text is longer than a line, then it is split at spaces', () => {
    expect(wrap('ett två tre fyra', fits(8), 5)).toEqual({ lines: ['ett två', 'tre fyra'], cut: false });
  });

  test('when a text needs more lines than allowed, then it is cut with an ellipsis', () => {
    const r = wrap('ett två tre fyra fem sex', fits(8), 2);
    expect(r.cut).toBe(true);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[1].endsWith('…')).toBe(true);
  });

  test('when a single word is wider than a line, then it is broken with a hyphen', () => {
    const r = wrap('sjukvårdsförvaltningsavdelningen', fits(10), 10);
    expect(r.lines.every((l) => l.length <= 10)).toBe(true);
    expect(r.lines.join('').replace(/-/g, '')).toBe('sjukvårdsförvaltningsavdelningen');
  });
});

describe('rendering a card', () => {
  test('when a card is drawn, then its SVG holds only paths and no text that would need a system font', () => {
    const svg = cardSvg(text, 'square');
    expect(svg).not.toMatch(/<text|font-family/);
    expect(svg).toMatch(/<path d="M/);
  });

  test.each([
    ['square', 1080, 1080],
    ['wide', 1200, 630],
  ] as const)('when the %s card is rendered, then it is a %i×%i PNG', async (format, width, height) => {
    const png = await renderCard(text, format);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect([meta.width, meta.height]).toEqual([width, height]);
    // Kept for a person to look at (CARDS_OUT=dir npx jest test/unit/cards.test.ts).
    const out = process.env.CARDS_OUT ?? os.tmpdir();
    fs.writeFileSync(path.join(out, `card-${format}.png`), png);
  });
});
