// A lighter nomination form (N1, N2, issue 16): one colleague row with "+ Lägg till kollega" that works
// without JavaScript, a failed first submit that keeps no empty draft and keeps its heading, errors that
// name their field, numbers in Swedish form, plain words, "Ta bort utkastet" and a thank-you page.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';

let ctx: TestContext;
let departmentId: number;
let users: Record<string, number>;

beforeAll(async () => {
  ctx = await createTestContext();
  const edition = await ctx.db('editions').whereNull('archived_at').first();
  departmentId = Number((await ctx.db('departments').where({ edition_id: edition.id }).first()).id);
  users = Object.fromEntries((await ctx.db('users').select('id', 'email')).map((u) => [u.email.split('@')[0], Number(u.id)]));
});
afterAll(async () => {
  await ctx.close();
});

async function post(agent: Agent, url: string, fields: Record<string, string>) {
  const token = await agent.csrf();
  let req = agent.post(url).field('_csrf', token);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req;
}

const countOf = async (userId: number) => Number((await ctx.db('nominations').where({ submitter_id: userId }).count({ n: '*' }))[0].n);
const h1 = (html: string) => visibleText(/<h1>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? '');
const colleagueRows = (html: string) => (html.match(/<fieldset class="colleague">/g) ?? []).length;

describe('the form', () => {
  test('when the form opens, then it has one colleague row, an add button, and the hidden row count matches', async () => {
    const hanna = await ctx.signIn('hanna@example.org');
    const res = await hanna.get('/nominate');
    expect(colleagueRows(res.text)).toBe(1);
    expect(res.text).toContain('name="colleague_slots" value="1"');
    expect(res.text).toMatch(/<button type="submit" name="action" value="add_colleague" formnovalidate[^>]*>\+ Lägg till kollega<\/button>/);
    expect(visibleText(res.text)).toContain('högst 200 tecken');
  });

  test('when "+ Lägg till kollega" is pressed without JavaScript, then the form comes back with what was typed and one more row, and nothing is stored', async () => {
    const hanna = await ctx.signIn('hanna@example.org');
    const before = await countOf(users.hanna);
    const res = await post(hanna, '/nominate', { title: 'Tavlan som föll', c0_user: String(users.ivan), colleague_slots: '1', action: 'add_colleague' });
    expect(res.status).toBe(200);
    expect(h1(res.text)).toBe('Nominera ett misstag');
    expect(colleagueRows(res.text)).toBe(2);
    expect(res.text).toContain('value="Tavlan som föll"');
    expect(res.text).toMatch(new RegExp(`<option value="${users.ivan}" selected>`));
    expect(res.text).toContain('name="colleague_slots" value="2"');
    expect(await countOf(users.hanna)).toBe(before);
  });

  test('when a hostile row count is sent with the add button, then the rows stop at the maximum and nothing breaks', async () => {
    const hanna = await ctx.signIn('hanna@example.org');
    const res = await post(hanna, '/nominate', { colleague_slots: '999999', action: 'add_colleague' });
    expect(res.status).toBe(200);
    expect(colleagueRows(res.text)).toBe(10);
    expect(res.text).not.toContain('value="add_colleague"');
  });
});

describe('a failed submit', () => {
  test('when an empty form is sent, then nothing is stored, the heading stays "Nominera ett misstag" and each error names its field with a red-border class', async () => {
    const hanna = await ctx.signIn('hanna@example.org');
    const before = await countOf(users.hanna);
    const res = await post(hanna, '/nominate', { action: 'submit', colleague_slots: '1' });
    expect(res.status).toBe(422);
    expect(await countOf(users.hanna)).toBe(before);
    expect(h1(res.text)).toBe('Nominera ett misstag');
    expect(res.text).toContain('action="/nominate"');
    const summary = visibleText(/<div class="error-summary"[\s\S]*?<\/div>/.exec(res.text)![0]);
    expect(summary).toContain('Rubrik – Skriv en rubrik.');
    expect(summary).toContain('Vad hände? – Beskriv kort vad som hände.');
    expect(summary).toContain('Vad lärde ni er? – Skriv vad ni lärde er.');
    expect(summary).toContain('Kryssa i rutan om goda avsikter');
    expect(res.text).toMatch(/<div class="field field--error">\s*<label class="field__label" for="f-lesson">/);
    expect(res.text).toMatch(/<textarea id="f-lesson"[^>]*aria-invalid="true"/);
  });

  test('when a half-written form is sent, then a draft keeps what was typed and the heading is still "Nominera ett misstag"', async () => {
    const hanna = await ctx.signIn('hanna@example.org');
    const res = await post(hanna, '/nominate', { title: 'Halvvägs', action: 'submit', colleague_slots: '1' });
    expect(res.status).toBe(422);
    expect(h1(res.text)).toBe('Nominera ett misstag');
    const row = await ctx.db('nominations').where({ submitter_id: users.hanna }).orderBy('id', 'desc').first();
    expect(row.title).toBe('Halvvägs');
    expect(row.status).toBe('draft');
  });

  test('the stylesheet gives a field with an error its red border after the base input style, so it wins', async () => {
    const css = (await ctx.anonymous().get('/static/css/app.css')).text;
    const base = css.indexOf('input[type="text"], input[type="email"]');
    const error = css.lastIndexOf('.field.field--error input');
    expect(base).toBeGreaterThan(-1);
    expect(error).toBeGreaterThan(base);
  });
});

describe('drafts and the thank-you page', () => {
  test('when hanna opens My nominations with a draft, then it offers "Ta bort utkastet"; once removed the draft is gone from the list', async () => {
    const hanna = await ctx.signIn('hanna@example.org');
    const made = await post(hanna, '/nominate', { title: 'Utkast att slänga', action: 'draft' });
    const id = Number(/\/nominations\/(\d+)\/edit/.exec(made.headers.location)![1]);
    const mine = await hanna.get('/nominations/mine');
    expect(mine.text).toContain(`<a href="/nominations/${id}/withdraw">Ta bort utkastet`);
    expect(visibleText(mine.text)).not.toContain('Återkalla : Utkast att slänga');
    const confirm = await hanna.get(`/nominations/${id}/withdraw`);
    expect(h1(confirm.text)).toBe('Ta bort utkastet');
    const token = await hanna.csrf();
    const done = await hanna.post(`/nominations/${id}/withdraw`).type('form').send({ _csrf: token });
    expect(done.status).toBe(303);
    const after = await hanna.get('/nominations/mine');
    expect(visibleText(after.text)).toContain('Utkastet är borttaget.');
    expect(visibleText(after.text)).not.toContain('Utkast att slänga');
  });

  test('when a nomination naming a colleague is sent, then the thank-you page says who is asked, that admins read it and when voting closes', async () => {
    const hanna = await ctx.signIn('hanna@example.org');
    const res = await post(hanna, '/nominate', {
      title: 'Skylten som pekade fel',
      what_happened: 'Vi satte upp en skylt som pekade åt fel håll.',
      lesson: 'Vi lärde oss att gå vägen själva innan skylten sätts upp.',
      department_id: String(departmentId),
      includes_self: 'yes',
      c0_user: String(users.ivan),
      colleague_slots: '1',
      eligibility: 'yes',
      show_submitter: 'yes',
      decline_policy: 'remove',
      action: 'submit',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/nominations\/\d+\/thanks$/);
    const page = await hanna.get(res.headers.location);
    const text = visibleText(page.text);
    expect(h1(page.text)).toBe('Tack för din nominering!');
    expect(text).toContain('Vi frågar Ivan Petrović om de vill stå med i bidraget.');
    expect(text).toContain('Administratörerna läser nomineringen innan den publiceras.');
    expect(text).toMatch(/Röstningen är öppen till \d+ \w+ \d{4}/);
    // Someone else's thank-you page is not theirs to read.
    const bo = await ctx.signIn('bo@example.org');
    expect((await bo.get(res.headers.location)).status).toBe(403);
    // A draft has no thank-you page.
    const draft = await post(hanna, '/nominate', { title: 'Inte skickad', action: 'draft' });
    const draftId = /\/nominations\/(\d+)\/edit/.exec(draft.headers.location)![1];
    expect((await hanna.get(`/nominations/${draftId}/thanks`)).status).toBe(404);
    expect((await hanna.get('/nominations/abc/thanks')).status).toBe(404);
  });
});
