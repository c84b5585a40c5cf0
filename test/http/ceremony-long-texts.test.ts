// Long texts before the ceremony (C1): the chair's decision page and the admins' ceremony page list the
// finalists whose lesson, or the winner's slide whose motivation, is so long that the slide shows it in
// small type or splits it into parts, with a link to where it can be shortened; short ones are not listed.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { LIMITS } from '../../src/nominations/validation';
import { MOTIVATION_MAX } from '../../src/jury/service';
import { lockCurrentResult, MOTIVATION } from './ceremony-fixtures';

let ctx: TestContext;
let fixture: Awaited<ReturnType<typeof lockCurrentResult>>;
const LONG_LESSON = 'Vi lärde oss att fråga användarna först. '.repeat(300).slice(0, LIMITS.text - 6) + ' Slut.';
// The finalist with the long lesson, and one that is not the winner with a short lesson.
let longId: number;
let shortTitle: string;

/** A number as the page writes it (visibleText turns the no-break space of '10 000' into a space). */
const num = (n: number, locale = 'sv-SE') => new Intl.NumberFormat(locale).format(n).replace(/\s/g, ' ');

/** The notice's text, or '' when the page has none. */
function notice(html: string): string {
  const m = /<section class="notice notice--info" aria-labelledby="long-texts-[^"]*" data-long-texts>[\s\S]*?<\/section>/.exec(html);
  return m ? visibleText(m[0]) : '';
}

async function post(agent: Agent, url: string, body: Record<string, string>) {
  return agent.post(url).type('form').send({ _csrf: await agent.csrf(), ...body });
}

beforeAll(async () => {
  ctx = await createTestContext();
  fixture = await lockCurrentResult(ctx.db, ctx.clock.now());
  longId = fixture.finalistIds[0];
  shortTitle = fixture.titles[2];
  await ctx.db('nominations').where({ id: longId }).update({ lesson: LONG_LESSON });
  await ctx.db('nominations').where({ id: fixture.finalistIds[2] }).update({ lesson: 'Fråga först.' });
});
afterAll(async () => {
  await ctx.close();
});

test('when a finalist has the longest lesson the form allows, then the chair is told on the decision page that it is split into parts, and the short finalists are not listed', async () => {
  const chair = await ctx.signIn('cecilia@example.org');
  const res = await chair.get('/jury/decision');
  expect(res.status).toBe(200);
  const text = notice(res.text);
  expect(text).toContain('Långa texter i presentationen');
  expect(text).toContain(`${fixture.titles[0]}: lärdomen (${num(LIMITS.text)} tecken) får inte plats på en bild och delas upp på flera bilder.`);
  expect(text).not.toContain(shortTitle);
  // The winner's slide (short lesson, short motivation) is not listed either.
  expect(text).not.toContain('Juryns motivering för');
  // The chair cannot edit published entries: no link to moderation, but who can.
  expect(res.text).not.toContain(`/admin/moderation/${longId}`);
  expect(text).toContain('En administratör kan korta lärdomen under Granskning.');
});

test('when an admin opens the ceremony page, then the notice links to where the lesson can be shortened, and that page has the lesson in its edit form', async () => {
  const admin = await ctx.signIn('admin@example.org');
  const res = await admin.get('/admin/cards');
  expect(res.status).toBe(200);
  const text = notice(res.text);
  expect(text).toContain(`${fixture.titles[0]}: lärdomen (${num(LIMITS.text)} tecken)`);
  expect(text).not.toContain(shortTitle);
  expect(res.text).toContain(`<a href="/admin/moderation/${longId}#edit-heading">Korta lärdomen i ${fixture.titles[0]}</a>`);
  const edit = await admin.get(`/admin/moderation/${longId}`);
  expect(edit.status).toBe(200);
  expect(edit.text).toContain(`action="/admin/moderation/${longId}/edit"`);
  expect(edit.text).toContain('Slut.</textarea>');
});

test('when the admin shortens the lesson there, then the notice no longer lists it', async () => {
  const admin = await ctx.signIn('admin@example.org');
  const n = await ctx.db('nominations').where({ id: longId }).first();
  const res = await post(admin, `/admin/moderation/${longId}/edit`, { title: n.title, lesson: 'Vi lärde oss att fråga användarna först.', changes: n.changes ?? '', what_happened: n.what_happened, team_name: n.team_name ?? '' });
  expect(res.status).toBe(303);
  expect((await ctx.db('nominations').where({ id: longId }).first()).lesson).toBe('Vi lärde oss att fråga användarna först.');
  expect(notice((await admin.get('/admin/cards')).text)).toBe('');
  const chair = await ctx.signIn('cecilia@example.org');
  expect(notice((await chair.get('/jury/decision')).text)).toBe('');
});

describe("a motivation as long as the form allows on the winner's slide", () => {
  const LONG_MOTIVATION = 'Juryn belönar modet att fråga användarna först. '.repeat(60).slice(0, MOTIVATION_MAX);
  beforeAll(async () => {
    await ctx.db('nominations').where({ id: fixture.winnerId }).update({ lesson: 'Vi testar med riktiga användare innan vi bygger. '.repeat(12).trim() });
    await ctx.db('results').where({ edition_id: fixture.editionId }).update({ motivation: LONG_MOTIVATION });
  });
  afterAll(async () => {
    await ctx.db('results').where({ edition_id: fixture.editionId }).update({ motivation: MOTIVATION, locked_at: ctx.clock.now() });
  });

  test('when the result is locked, then the chair is told and sent to unlock it first', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const res = await chair.get('/jury/decision');
    const text = notice(res.text);
    const winnerTitle = fixture.titles[fixture.finalistIds.indexOf(fixture.winnerId)];
    expect(text).toContain(`Juryns motivering för ${winnerTitle} (${num(MOTIVATION_MAX)} tecken)`);
    expect(text).toContain('delas upp på flera bilder');
    expect(res.text).toContain('<a href="#unlock">Lås upp resultatet för att korta motiveringen</a>');
    expect(res.text).toContain('id="unlock"');
  });

  test('when the result is unlocked, then the link goes to the motivation field', async () => {
    await ctx.db('results').where({ edition_id: fixture.editionId }).update({ locked_at: null });
    const chair = await ctx.signIn('cecilia@example.org');
    const res = await chair.get('/jury/decision');
    expect(res.text).toContain('<a href="#f-motivation">Korta motiveringen</a>');
    expect(res.text).toContain('id="f-motivation"');
    await ctx.db('results').where({ edition_id: fixture.editionId }).update({ locked_at: ctx.clock.now() });
  });

  test('when an admin reads the ceremony page in English, then the notice is in English and links to the decision page', async () => {
    const admin = await ctx.signIn('admin@example.org');
    await admin.chooseLocale('en');
    const res = await admin.get('/admin/cards');
    const text = notice(res.text);
    const winnerTitle = fixture.titles[fixture.finalistIds.indexOf(fixture.winnerId)];
    expect(text).toContain('Long texts in the presentation');
    expect(text).toContain(`The jury's citation for ${winnerTitle} (${num(MOTIVATION_MAX, 'en-GB')} characters) does not fit on one slide and is split over several slides.`);
    expect(res.text).toContain('<a href="/jury/decision">');
  });
});

test('when a jury member who is not the chair, or an employee, opens the decision page, then no notice is shown (or the page is refused)', async () => {
  await ctx.db('nominations').where({ id: longId }).update({ lesson: LONG_LESSON });
  const david = await ctx.signIn('david@example.org');
  const juror = await david.get('/jury/decision');
  expect(juror.status).toBe(200);
  expect(notice(juror.text)).toBe('');
  const anna = await ctx.signIn('anna@example.org');
  const employee = await anna.get('/jury/decision');
  expect(employee.status).toBe(403);
  expect(employee.text).not.toContain('Långa texter');
  // The chair still sees it (the same data, so the empty notices above are not an accident).
  const chair = await ctx.signIn('cecilia@example.org');
  expect(notice((await chair.get('/jury/decision')).text)).toContain(fixture.titles[0]);
});

test('when a lesson only needs smaller type, then it is listed as small type, and one that nearly fits is not listed', async () => {
  const id = fixture.finalistIds[2];
  const chair = await ctx.signIn('cecilia@example.org');
  const lesson = 'Vi frågar användarna först. '.repeat(40).trim();
  await ctx.db('nominations').where({ id }).update({ lesson });
  const text = notice((await chair.get('/jury/decision')).text);
  expect(text).toContain(`${shortTitle}: lärdomen (${num(lesson.length)} tecken) visas med liten text.`);
  await ctx.db('nominations').where({ id }).update({ lesson: 'Vi frågar användarna först. '.repeat(15).trim() });
  expect(notice((await chair.get('/jury/decision')).text)).not.toContain(shortTitle);
});

test('when the winner has been revealed, then the ceremony page no longer lists long texts', async () => {
  await ctx.db('editions').where({ id: fixture.editionId }).update({ revealed_at: ctx.clock.now() });
  const admin = await ctx.signIn('admin@example.org');
  const res = await admin.get('/admin/cards');
  expect(res.status).toBe(200);
  expect(notice(res.text)).toBe('');
});
