// J1 and R1: next year's jury is prepared while this year's edition runs — copied with the edition, or
// named on the jury page — and it is in force once this year's edition is archived, not before.
import { createTestContext, visibleText, type TestContext } from '../helpers/context';

let ctx: TestContext;
let editionId: number;
let year: number;

beforeAll(async () => {
  ctx = await createTestContext();
  const row = await ctx.db('editions').whereNull('archived_at').first('id', 'year');
  editionId = Number(row.id);
  year = Number(row.year);
});
afterAll(async () => {
  await ctx.close();
});

const userId = async (email: string) => Number((await ctx.db('users').where({ email }).first()).id);
const jury = async (id: number) =>
  (await ctx.db('jury_members as m').join('users as u', 'u.id', 'm.user_id').where('m.edition_id', id).orderBy('u.email').select('u.email', 'm.is_chair')).map((r) => `${r.email}${r.is_chair ? ' (chair)' : ''}`);

describe('next year’s jury', () => {
  let nextId: number;

  test('when the admin copies the edition to next year with the jury, then the members and the chair come along and this year’s jury is unchanged', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const before = await jury(editionId);
    expect(before).toContain('cecilia@example.org (chair)');
    const res = await admin.post(`/admin/editions/${editionId}/copy`).type('form').send({ _csrf: await admin.csrf(), copyJury: 'yes' });
    expect(res.status).toBe(303);
    nextId = Number((await ctx.db('editions').where({ year: year + 1 }).first('id')).id);
    expect(await jury(nextId)).toEqual(before);
    expect(await jury(editionId)).toEqual(before);
    const flash = visibleText((await admin.get(res.headers.location)).text);
    expect(flash).toContain(`Omgången för ${year + 1} är skapad med årets jury (${before.length} personer).`);
  });

  test('when the admin opens the jury page, then it offers next year’s jury, which says when it comes into force', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const page = await admin.get('/admin/jury');
    expect(page.text).toContain(`href="/admin/jury?year=${year + 1}"`);
    const next = await admin.get('/admin/jury').query({ year: String(year + 1) });
    expect(next.status).toBe(200);
    expect(visibleText(next.text)).toContain(`Du förbereder juryn för ${year + 1}. Den börjar gälla när omgången för ${year} har arkiverats`);
    expect(next.text).toContain(`<input type="hidden" name="year" value="${year + 1}">`);
  });

  test('when the admin adds, removes and names a chair in next year’s jury, then only next year’s jury changes and nobody gains jury access now', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const bo = await userId('bo@example.org');
    const david = await userId('david@example.org');
    const thisYear = await jury(editionId);
    const next = String(year + 1);

    const added = await admin.post('/admin/jury/members').type('form').send({ _csrf: await admin.csrf(), userId: String(bo), year: next });
    expect(added.status).toBe(303);
    expect(added.headers.location).toBe(`/admin/jury?year=${next}`);
    const chair = await admin.post(`/admin/jury/members/${bo}/chair`).type('form').send({ _csrf: await admin.csrf(), year: next });
    expect(chair.status).toBe(303);
    const removed = await admin.post(`/admin/jury/members/${david}/remove`).type('form').send({ _csrf: await admin.csrf(), year: next });
    expect(removed.status).toBe(303);

    expect(await jury(nextId)).toEqual(expect.arrayContaining(['bo@example.org (chair)', 'cecilia@example.org']));
    expect(await jury(nextId)).not.toContain('david@example.org');
    expect(await jury(editionId)).toEqual(thisYear);
    expect(await ctx.db('audit_log').where({ action: 'jury.member_added', subject_id: bo })).toHaveLength(1);

    // This year's edition is still current: Bo is not on its jury, David still is.
    const boAgent = await ctx.signIn('bo@example.org');
    expect((await boAgent.get('/jury')).status).toBe(403);
    const davidAgent = await ctx.signIn('david@example.org');
    expect((await davidAgent.get('/jury')).status).toBe(200);
  });

  test('when the year is not one the page can prepare, then it is refused with 404 and nothing changes', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const anna = String(await userId('anna@example.org'));
    const before = await ctx.db('jury_members').count({ n: '*' });
    const older = Number((await ctx.db('editions').whereNotNull('archived_at').first('year')).year);
    for (const bad of ['abcd', '1999', String(year + 7), String(older), '20271']) {
      expect((await admin.get('/admin/jury').query({ year: bad })).status).toBe(404);
      expect((await admin.post('/admin/jury/members').type('form').send({ _csrf: await admin.csrf(), userId: anna, year: bad })).status).toBe(404);
    }
    expect(await ctx.db('jury_members').count({ n: '*' })).toEqual(before);
  });

  test('when this year’s edition is archived, then next year’s jury is in force: Bo chairs it and David is no longer a juror', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.post(`/admin/editions/${editionId}/archive`).type('form').send({ _csrf: await admin.csrf(), confirm: 'yes' });
    expect(res.status).toBe(303);
    // Sessions carry no roles: the next request sees the new current edition's jury.
    const boAgent = await ctx.signIn('bo@example.org');
    expect((await boAgent.get('/jury')).status).toBe(200);
    const decision = visibleText((await boAgent.get('/jury/decision')).text);
    expect(decision).not.toContain('Det är juryns ordförande som väljer finalister och vinnare.');
    const davidAgent = await ctx.signIn('david@example.org');
    expect((await davidAgent.get('/jury')).status).toBe(403);
    // The jury page now works on the new current edition without a year.
    const page = visibleText((await admin.get('/admin/jury')).text);
    expect(page).toContain('Bo Ekström');
    expect(page).not.toContain('David Holm');
  });
});

describe('copying without the jury', () => {
  test('when the admin copies without ticking the jury box, then next year starts with no jury', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const current = await ctx.db('editions').whereNull('archived_at').orderBy('year').first('id', 'year');
    const res = await admin.post(`/admin/editions/${current.id}/copy`).type('form').send({ _csrf: await admin.csrf() });
    expect(res.status).toBe(303);
    const created = await ctx.db('editions').where({ year: Number(current.year) + 1 }).first('id');
    expect(await jury(Number(created.id))).toEqual([]);
  });
});
