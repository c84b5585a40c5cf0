// Level texts of the jury's criteria (SPEC J2, R1): what 1–5 mean for each criterion, edited in edition
// setup, shown beside each score on the jury's scoring page, copied to next year. One database for the
// file; each test reads the form as the page holds it and sends it back as a browser would.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { DEFAULT_CRITERIA, DEFAULT_LEVELS } from '../../src/editions/defaults';

let ctx: TestContext;
let editionId: number;
let year: number;
let entryId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  const row = await ctx.db('editions').whereNull('archived_at').first('id', 'year');
  editionId = Number(row.id);
  year = Number(row.year);
  const cecilia = await ctx.db('users').where({ email: 'cecilia@example.org' }).first('id');
  // An entry the juror Cecilia may score (not her own, not one she is named in).
  const entry = await ctx
    .db('nominations')
    .where({ edition_id: editionId, status: 'published' })
    .whereNot({ submitter_id: cecilia.id })
    .whereNotExists(ctx.db('nominees').whereRaw('nominees.nomination_id = nominations.id').where({ user_id: cecilia.id }))
    .orderBy('id')
    .first('id');
  entryId = Number(entry.id);
});
afterAll(async () => {
  await ctx.close();
});

type Form = Record<string, string[]>;

const decode = (s: string) => s.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Every field of the settings form, in page order, as the browser would send it back. */
function fieldsOf(html: string): Form {
  const start = html.indexOf('class="edition-form"');
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Form = {};
  const add = (name: string, value: string) => (fields[name] ??= []).push(decode(value));
  for (const m of form.matchAll(/<input([^>]*)>|<textarea([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const attrs = m[1] ?? m[2];
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || name === '_csrf') continue; // save() adds a fresh token; the CSRF test sends none
    if (m[1] !== undefined) {
      if (/type="checkbox"/.test(attrs) && !/ checked/.test(attrs)) continue;
      add(name, /value="([^"]*)"/.exec(attrs)?.[1] ?? '');
    } else {
      add(name, m[3]);
    }
  }
  return fields;
}

async function formOf(agent: Agent, id = editionId): Promise<Form> {
  return fieldsOf((await agent.get(`/admin/editions/${id}`)).text);
}

async function save(agent: Agent, form: Record<string, string | string[]>, id = editionId) {
  return agent.post(`/admin/editions/${id}`).type('form').send({ _csrf: await agent.csrf(), ...form });
}

/** A copy of the form with one level text of one criterion row (0-based) replaced. */
function withLevel(form: Form, row: number, level: number, lang: 'Sv' | 'En', text: string): Form {
  const name = `criterionLevel${level}${lang}`;
  const values = [...form[name]];
  values[row] = text;
  return { ...form, [name]: values };
}

async function storedLevels(id = editionId): Promise<Array<Array<{ sv: string; en: string }>>> {
  return (await ctx.db('criteria').where({ edition_id: id }).orderBy('sort_order').select('levels')).map((r) => JSON.parse(String(r.levels)));
}

describe('level texts in edition setup', () => {
  test('when the admin opens setup, then each criterion has five level fields per language, labelled and grouped, with the current texts', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const html = (await admin.get(`/admin/editions/${editionId}`)).text;
    const form = fieldsOf(html);

    // Four criteria and the "new criterion" row, each with Nivå 1–5 in Swedish and in English.
    for (let n = 1; n <= 5; n++) {
      expect(form[`criterionLevel${n}Sv`]).toEqual([...DEFAULT_CRITERIA.map((c) => c.levels[n - 1].sv), DEFAULT_LEVELS[n - 1].sv]);
      expect(form[`criterionLevel${n}En`]).toEqual([...DEFAULT_CRITERIA.map((c) => c.levels[n - 1].en), DEFAULT_LEVELS[n - 1].en]);
    }
    expect(html.match(/<legend>Vad poängen betyder – på svenska<\/legend>/g)).toHaveLength(5);
    expect(html.match(/<legend>Vad poängen betyder – på engelska<\/legend>/g)).toHaveLength(5);
    expect(html).toMatch(/<label class="field__label" for="f-criterion0Level3Sv">Nivå 3<\/label>\s*<textarea id="f-criterion0Level3Sv" name="criterionLevel3Sv" rows="2" maxlength="300">/);
    expect(html).toMatch(/<textarea id="f-criterion1Level5En" name="criterionLevel5En" rows="2" maxlength="300" lang="en">/);
    expect(visibleText(html)).toContain('Juryn ser texten bredvid varje poäng när de bedömer.');
    expect(visibleText(html)).toContain('Texterna här är bara förslag');
    // Every id is unique and every label and description points at an element that exists.
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/ (?:for|aria-describedby)="([^"]+)"/g)) for (const ref of m[1].split(' ')) expect(ids).toContain(ref);

    await admin.chooseLocale('en');
    const en = (await admin.get(`/admin/editions/${editionId}`)).text;
    expect(en).toMatch(/<legend>What the scores mean – in Swedish<\/legend>/);
    expect(en).toMatch(/for="f-criterion0Level1En">Level 1<\/label>/);
    await admin.chooseLocale('sv'); // the choice is kept for the user
  });

  test('when the admin saves new level texts, then they are stored and the juror sees them beside the scores, in Swedish and in English', async () => {
    const admin = await ctx.signIn('admin@example.org');
    let form = await formOf(admin);
    form = withLevel(form, 0, 3, 'Sv', 'Ett tydligt försök – \n  som fler borde <våga>.');
    form = withLevel(form, 0, 3, 'En', 'A clear attempt that more people should dare.');
    form = withLevel(form, 2, 1, 'Sv', 'Ingen annan har hört talas om det.');
    const res = await save(admin, form);
    expect(res.status).toBe(303);

    const levels = await storedLevels();
    expect(levels[0][2]).toEqual({ sv: 'Ett tydligt försök – som fler borde <våga>.', en: 'A clear attempt that more people should dare.' });
    expect(levels[2][0].sv).toBe('Ingen annan har hört talas om det.');
    expect(levels[1]).toEqual(DEFAULT_CRITERIA[1].levels); // untouched criterion kept as it was
    expect(levels[0][0]).toEqual(DEFAULT_CRITERIA[0].levels[0]);

    const cecilia = await ctx.signIn('cecilia@example.org');
    const page = await cecilia.get(`/jury/entries/${entryId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<span class="scale__value">3</span> <span class="scale__text">Ett tydligt försök – som fler borde &lt;våga&gt;.</span>');
    expect(visibleText(page.text)).toContain('Ingen annan har hört talas om det.');
    expect(visibleText(page.text)).not.toContain('Ett tydligt försök att göra på ett nytt sätt.');
    await cecilia.chooseLocale('en');
    expect(visibleText((await cecilia.get(`/jury/entries/${entryId}`)).text)).toContain('A clear attempt that more people should dare.');
    await cecilia.chooseLocale('sv');
  });

  test('when the admin adds a criterion and keeps the suggested level texts, then it gets them and the juror sees them', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const form = await formOf(admin);
    const last = form.criterionId.length - 1; // the "new criterion" row
    const set = (name: string, value: string) => (form[name] = form[name].map((v, i) => (i === last ? value : v)));
    set('criterionNameSv', 'Samverkan');
    set('criterionNameEn', 'Collaboration');
    set('criterionWeight', '1');
    const res = await save(admin, withLevel(form, last, 5, 'Sv', 'Hela staden arbetade tillsammans.'));
    expect(res.status).toBe(303);

    const levels = await storedLevels();
    expect(levels).toHaveLength(5);
    expect(levels[4]).toEqual(DEFAULT_LEVELS.map((l, i) => (i === 4 ? { ...l, sv: 'Hela staden arbetade tillsammans.' } : l)));
    const cecilia = await ctx.signIn('cecilia@example.org');
    const text = visibleText((await cecilia.get(`/jury/entries/${entryId}`)).text);
    expect(text).toContain('Samverkan');
    expect(text).toContain('Stämmer ganska bra.');
    expect(text).toContain('Hela staden arbetade tillsammans.');
  });

  test('when a level text is too long or left empty, then the form comes back with a message by each field and what was typed, and nothing is stored', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const before = await storedLevels();
    const title = (await ctx.db('editions').where({ id: editionId }).first('title')).title;
    let form = await formOf(admin);
    const long = 'Mycket lång text '.repeat(20); // 340 characters
    form = withLevel(form, 0, 2, 'Sv', long);
    form = withLevel(form, 1, 4, 'En', '   ');
    form = withLevel(form, 2, 5, 'En', 'Typed, not saved.');
    const newRow = form.criterionId.length - 1; // the "new criterion" row: levels begun, no name
    form = withLevel(withLevel(form, newRow, 1, 'Sv', 'Ingen samverkan.'), newRow, 2, 'Sv', '');
    const res = await save(admin, { ...form, title: 'Ska inte sparas' });

    expect(res.status).toBe(422);
    const text = visibleText(res.text);
    expect(text).toContain('Något behöver rättas');
    expect(text).toContain('Texten för nivå 2 i ”Mod” på svenska får vara högst 300 tecken.');
    expect(text).toContain('Skriv vad nivå 4 betyder för ”Lärdom” på engelska.');
    expect(res.text).toContain('href="#f-criterion0Level2Sv"');
    expect(res.text).toContain('href="#f-criterion1Level4En"');
    expect(res.text).toMatch(/<textarea id="f-criterion0Level2Sv" name="criterionLevel2Sv" rows="2" maxlength="300" aria-invalid="true" aria-describedby="f-criterion0Level2Sv-error">Mycket lång text/);
    expect(res.text).toContain('id="f-criterion1Level4En-error"');
    expect(res.text).toContain('value="Ska inte sparas"');
    expect(text).toContain('Varje kriterium behöver ett namn på svenska och på engelska.');
    expect(text).toContain(`Skriv vad nivå 2 betyder för kriterium ${newRow + 1} på svenska.`);
    // Everything typed comes back as typed.
    const back = fieldsOf(res.text);
    expect(back.criterionLevel2Sv[0]).toBe(long.trim());
    expect(back.criterionLevel5En[2]).toBe('Typed, not saved.');
    expect([back.criterionLevel1Sv[newRow], back.criterionLevel2Sv[newRow]]).toEqual(['Ingen samverkan.', '']);

    expect(await storedLevels()).toEqual(before);
    expect((await ctx.db('editions').where({ id: editionId }).first('title')).title).toBe(title);

    await admin.chooseLocale('en');
    const en = await save(admin, withLevel(await formOf(admin), 0, 1, 'Sv', ''));
    expect(en.status).toBe(422);
    expect(visibleText(en.text)).toContain('Describe what level 1 means for “Courage” in Swedish.');
    expect(await storedLevels()).toEqual(before);
    await admin.chooseLocale('sv');
  });

  test('when the form is posted without the CSRF token, then it is refused with 403 and nothing changes', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const before = await storedLevels();
    const form = withLevel(await formOf(admin), 0, 1, 'Sv', 'Ändrat utan token.');
    const res = await admin.post(`/admin/editions/${editionId}`).type('form').send(form);
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('Sidan har varit öppen för länge');
    expect(await storedLevels()).toEqual(before);
  });

  test('when an employee or a juror posts level texts, then they get 403 and nothing changes', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const before = await storedLevels();
    const form = withLevel(await formOf(admin), 0, 1, 'Sv', 'Ändrat av fel person.');
    for (const email of ['anna@example.org', 'cecilia@example.org']) {
      const agent = await ctx.signIn(email);
      expect((await save(agent, form)).status).toBe(403);
    }
    expect(await storedLevels()).toEqual(before);
  });

  test('when a form comes without any level fields, then the stored texts are kept', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const before = await storedLevels();
    const form = Object.fromEntries(Object.entries(await formOf(admin)).filter(([name]) => !name.startsWith('criterionLevel')));
    const res = await save(admin, { ...form, criterionWeight: form.criterionWeight.map((w, i) => (i === 0 ? '2' : w)) });
    expect(res.status).toBe(303);
    expect(await storedLevels()).toEqual(before);
    expect(Number((await ctx.db('criteria').where({ edition_id: editionId }).orderBy('sort_order').first('weight')).weight)).toBe(2);
  });
});

describe('when the jury has started scoring', () => {
  test('then level texts can still be changed, like names and weights, and a scored criterion still cannot be removed', async () => {
    const [first] = await ctx.db('criteria').where({ edition_id: editionId }).orderBy('sort_order').select('id');
    const cecilia = await ctx.db('users').where({ email: 'cecilia@example.org' }).first('id');
    await ctx.db('scores').insert({ nomination_id: entryId, juror_id: cecilia.id, criterion_id: first.id, value: 4, updated_at: ctx.clock.now() });
    try {
      const admin = await ctx.signIn('admin@example.org');
      const changed = await save(admin, withLevel(await formOf(admin), 0, 4, 'Sv', 'Modigt, och berättat öppet.'));
      expect(changed.status).toBe(303);
      expect((await storedLevels())[0][3].sv).toBe('Modigt, och berättat öppet.');

      const before = await storedLevels();
      const removal = await save(admin, { ...withLevel(await formOf(admin), 0, 4, 'Sv', 'Inte sparad.'), criterionRemove: [String(first.id)] });
      expect(removal.status).toBe(422);
      expect(visibleText(removal.text)).toContain('Kriteriet ”Mod” har redan poäng från juryn och kan inte tas bort.');
      expect(await storedLevels()).toEqual(before);
    } finally {
      await ctx.db('scores').where({ criterion_id: first.id }).del();
    }
  });
});

describe('copying to next year', () => {
  test('when the admin creates next year’s edition, then the level texts come along and show in its setup', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const source = await storedLevels();
    const res = await admin.post(`/admin/editions/${editionId}/copy`).type('form').send({ _csrf: await admin.csrf() });
    expect(res.status).toBe(303);
    const next = await ctx.db('editions').where({ year: year + 1 }).first('id');
    expect(await storedLevels(Number(next.id))).toEqual(source);
    const form = await formOf(admin, Number(next.id));
    expect(form.criterionLevel3Sv[0]).toBe('Ett tydligt försök – som fler borde <våga>.');
    expect(form.criterionLevel5Sv[4]).toBe('Hela staden arbetade tillsammans.');
  });
});
