import { votesPerDay } from '../../src/stats/service';
import { columns, escapeXml, horizontalBars, niceMax, progressBars } from '../../src/stats/svg';

describe('votes per day (R2)', () => {
  test('when votes fall just after midnight Stockholm time, then they count on the Stockholm day, not the UTC day', () => {
    const opens = new Date('2026-03-01T08:00:00Z');
    const now = new Date('2026-03-03T12:00:00Z');
    const votes = [new Date('2026-03-01T23:30:00Z'), new Date('2026-03-01T10:00:00Z'), new Date('2026-03-03T09:00:00Z')];
    expect(votesPerDay(votes, opens, null, now)).toEqual([
      { day: '2026-03-01', count: 1 },
      { day: '2026-03-02', count: 1 },
      { day: '2026-03-03', count: 1 },
    ]);
  });

  test('when the clocks change for summer time, then every calendar day appears once and quiet days are zero', () => {
    const opens = new Date('2026-03-28T08:00:00Z');
    const now = new Date('2026-03-31T10:00:00Z');
    const days = votesPerDay([new Date('2026-03-29T01:30:00Z')], opens, null, now).map((d) => d.day);
    expect(days).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
  });

  test('when voting has closed, then the days end at the closing day, and before opening there are none', () => {
    const opens = new Date('2026-03-01T08:00:00Z');
    const closes = new Date('2026-03-02T20:00:00Z');
    expect(votesPerDay([], opens, closes, new Date('2026-06-01T00:00:00Z')).map((d) => d.day)).toEqual(['2026-03-01', '2026-03-02']);
    expect(votesPerDay([], opens, closes, new Date('2026-02-01T00:00:00Z'))).toEqual([]);
  });
});

describe('SVG charts (R2)', () => {
  test('when labels hold markup, then they are escaped', () => {
    expect(escapeXml('<b>"Å&Ä"</b>')).toBe('&lt;b&gt;&quot;Å&amp;Ä&quot;&lt;/b&gt;');
    const svg = horizontalBars({ label: 'x', rows: [{ label: '<script>alert(1)</script>', values: [1] }], series: [{ name: 'a', className: 'chart__bar--a' }], format: String });
    expect(svg).not.toContain('<script>');
  });

  test('when a chart is drawn, then it is an image with a name, scaled to the largest value, with no style attributes', () => {
    const svg = horizontalBars({
      label: 'Nomineringar per förvaltning',
      rows: [
        { label: 'Kultur', values: [10, 5] },
        { label: 'Miljö', values: [0, 0] },
      ],
      series: [
        { name: 'Inskickade', className: 'chart__bar--a' },
        { name: 'Publicerade', className: 'chart__bar--b' },
      ],
      format: String,
    });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Nomineringar per förvaltning"/);
    expect(svg).not.toMatch(/style=/);
    const widths = [...svg.matchAll(/class="chart__bar chart__bar--[ab]" x="0" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
    // the first legend square sits at x=0 too; then 10 → full width, 5 → half, zeros → 0
    expect(widths).toEqual([14, 360, 180, 0, 0]);
    for (const s of [columns({ label: 'v', points: [{ label: '1 mars', value: 3 }], format: String }), progressBars({ label: 'j', rows: [{ label: 'Eva', done: 1, total: 4 }], format: (a, b) => `${a}/${b}` })]) {
      expect(s).toMatch(/role="img" aria-label="[vj]"/);
      expect(s).not.toMatch(/style=/);
    }
  });

  test('when the scale is chosen, then it is a round number at or above the largest value', () => {
    expect([0, 1, 3, 7, 10, 11, 42, 250, 999].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 50, 500, 1000]);
  });
});
