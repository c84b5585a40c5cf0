// A small builder for server-rendered SVG charts (R2). No inline styles (the CSP forbids them): colours
// come from classes in app.css. Each chart is an <svg role="img"> with a short label; the numbers are
// always also given as a table next to it, which is the source for screen readers.

export type Series = { name: string; className: string };
export type BarRow = { label: string; values: number[] };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A round upper bound for the scale: 1, 2, 5, 10, 20, 50, … at or above the largest value. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= max) return step * magnitude;
  }
  return 10 * magnitude;
}

// A narrow drawing keeps the text readable on a phone (the SVG scales to the column width).
const WIDTH = 420;

/**
 * Horizontal bars, one group per row (e.g. departments), one bar per series. The label sits above
 * each group so long Swedish department names fit.
 */
export function horizontalBars(opts: { label: string; rows: BarRow[]; series: Series[]; format(n: number): string }): string {
  const barHeight = 14;
  const gap = 4;
  const labelHeight = 18;
  const groupHeight = labelHeight + opts.series.length * (barHeight + gap) + 10;
  const legendHeight = opts.series.length > 1 ? 28 : 0;
  const height = Math.max(40, legendHeight + opts.rows.length * groupHeight);
  const max = niceMax(Math.max(0, ...opts.rows.flatMap((r) => r.values)));
  const plotWidth = WIDTH - 60;
  const parts: string[] = [];
  parts.push(legend(opts.series));
  opts.rows.forEach((row, i) => {
    const y0 = legendHeight + i * groupHeight;
    parts.push(`<text class="chart__label" x="0" y="${y0 + 13}">${escapeXml(row.label)}</text>`);
    row.values.forEach((value, s) => {
      const y = y0 + labelHeight + s * (barHeight + gap);
      const w = Math.round((value / max) * plotWidth);
      parts.push(`<rect class="chart__bar ${opts.series[s]?.className ?? ''}" x="0" y="${y}" width="${Math.max(w, value > 0 ? 2 : 0)}" height="${barHeight}"/>`);
      parts.push(`<text class="chart__value" x="${w + 6}" y="${y + barHeight - 2}">${escapeXml(opts.format(value))}</text>`);
    });
  });
  return svg(opts.label, height, parts.join(''));
}

/** Vertical columns over time (e.g. votes per day), with a label on every n-th column. */
export function columns(opts: { label: string; points: Array<{ label: string; value: number }>; format(n: number): string; className?: string }): string {
  const height = 220;
  const top = 20;
  const bottom = 36;
  const left = 44;
  const plotHeight = height - top - bottom;
  const plotWidth = WIDTH - left - 8;
  const n = Math.max(1, opts.points.length);
  const slot = plotWidth / n;
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  const max = niceMax(Math.max(0, ...opts.points.map((p) => p.value)));
  const every = Math.max(1, Math.ceil(n / 8));
  const parts: string[] = [];
  // Gridlines only at whole numbers: a half line on a scale of 1 would read "0,5 votes".
  for (const fraction of Number.isInteger(max / 2) ? [0, 0.5, 1] : [0, 1]) {
    const y = top + plotHeight - fraction * plotHeight;
    parts.push(`<line class="chart__grid" x1="${left}" x2="${WIDTH}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="chart__axis" x="${left - 6}" y="${y + 4}" text-anchor="end">${escapeXml(opts.format(max * fraction))}</text>`);
  }
  opts.points.forEach((p, i) => {
    const h = Math.round((p.value / max) * plotHeight);
    const x = left + i * slot + (slot - barWidth) / 2;
    parts.push(`<rect class="chart__bar ${opts.className ?? 'chart__bar--a'}" x="${x.toFixed(1)}" y="${top + plotHeight - h}" width="${barWidth.toFixed(1)}" height="${h}"/>`);
    if (i % every === 0 || i === n - 1) {
      parts.push(`<text class="chart__axis" x="${(x + barWidth / 2).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle">${escapeXml(p.label)}</text>`);
    }
  });
  return svg(opts.label, height, parts.join(''));
}

/** A single progress bar per row (e.g. a juror's scored / total). */
export function progressBars(opts: { label: string; rows: Array<{ label: string; done: number; total: number }>; format(done: number, total: number): string }): string {
  const rowHeight = 40;
  const height = Math.max(40, opts.rows.length * rowHeight);
  const plotWidth = WIDTH - 120;
  const parts: string[] = [];
  opts.rows.forEach((row, i) => {
    const y = i * rowHeight;
    const w = row.total > 0 ? Math.round((Math.min(row.done, row.total) / row.total) * plotWidth) : 0;
    parts.push(`<text class="chart__label" x="0" y="${y + 13}">${escapeXml(row.label)}</text>`);
    parts.push(`<rect class="chart__track" x="0" y="${y + 18}" width="${plotWidth}" height="14"/>`);
    parts.push(`<rect class="chart__bar chart__bar--a" x="0" y="${y + 18}" width="${w}" height="14"/>`);
    parts.push(`<text class="chart__value" x="${plotWidth + 8}" y="${y + 30}">${escapeXml(opts.format(row.done, row.total))}</text>`);
  });
  return svg(opts.label, height, parts.join(''));
}

function legend(series: Series[]): string {
  if (series.length < 2) return '';
  let x = 0;
  return series
    .map((s) => {
      const out = `<rect class="chart__bar ${s.className}" x="${x}" y="4" width="14" height="14"/><text class="chart__label" x="${x + 20}" y="16">${escapeXml(s.name)}</text>`;
      x += 28 + s.name.length * 8;
      return out;
    })
    .join('');
}

function svg(label: string, height: number, inner: string): string {
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeXml(label)}" focusable="false">${inner}</svg>`;
}
