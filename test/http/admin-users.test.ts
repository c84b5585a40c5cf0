import { createTestContext, visibleText, type TestContext } from '../helpers/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const userId = async (email: string) => Number((await ctx.db('users').where({ email }).first()).id);

describe('users and roles (R5)', () => {
  test('when an employee opens the user list, then they are refused and see no users', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const res = await agent.get('/admin/users');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('bo@example.org');
  });

  test('when an admin searches with Swedish letters in another case, then the matching user is found and others are not', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const res = await agent.get('/admin/users').query({ q: 'ÅBERG' });
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Göran Åberg');
    expect(text).not.toContain('Anna Lindqvist');
    expect(text).toContain('Antal användare: 1');
  });

  test('when an admin filters on admins only, then only admins are listed', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const text = visibleText((await agent.get('/admin/users').query({ admins: '1' })).text);
    expect(text).toContain('Alva Admin');
    expect(text).not.toContain('Bo Ekström');
  });

  test('when an admin promotes a colleague, then the colleague is admin, can open /admin, and the audit log names who did it', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const bo = await userId('bo@example.org');
    const res = await agent.post(`/admin/users/${bo}/role`).type('form').send({ _csrf: await agent.csrf(), admin: '1' });
    expect(res.status).toBe(303);
    const row = await ctx.db('users').where({ id: bo }).first();
    expect(Boolean(row.is_admin)).toBe(true);
    expect(row.admin_source).toBe('app');
    const boAgent = await ctx.signIn('bo@example.org');
    expect((await boAgent.get('/admin')).status).toBe(200);
    const audit = visibleText((await agent.get('/admin/audit').query({ action: 'role.admin_granted' })).text);
    expect(audit).toContain('Alva Admin gjorde Bo Ekström till administratör');
    expect(audit).toContain('Källa: här i tjänsten');
    expect(audit).toContain('Användare Bo Ekström');
  });

  test('when the form has no CSRF token, then nothing changes', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const anna = await userId('anna@example.org');
    const res = await agent.post(`/admin/users/${anna}/role`).type('form').send({ admin: '1' });
    expect(res.status).toBe(403);
    expect(Boolean((await ctx.db('users').where({ id: anna }).first()).is_admin)).toBe(false);
  });

  test('when an employee posts a promotion of themselves, then it is refused and nothing changes', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const anna = await userId('anna@example.org');
    const res = await agent.post(`/admin/users/${anna}/role`).type('form').send({ _csrf: await agent.csrf(), admin: '1' });
    expect(res.status).toBe(403);
    expect(Boolean((await ctx.db('users').where({ id: anna }).first()).is_admin)).toBe(false);
  });

  test('when an admin uses an unknown id or a bad value, then they get a clear 4xx and nothing changes', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const token = await agent.csrf();
    expect((await agent.post('/admin/users/999999/role').type('form').send({ _csrf: token, admin: '1' })).status).toBe(404);
    expect((await agent.post('/admin/users/abc/role').type('form').send({ _csrf: token, admin: '1' })).status).toBe(404);
    const bad = await agent.post(`/admin/users/${await userId('eva@example.org')}/role`).type('form').send({ _csrf: token, admin: 'yes' });
    expect(bad.status).toBe(400);
    expect(visibleText(bad.text)).toContain('Välj om användaren ska vara administratör eller inte.');
  });

  test('when the last admin tries to demote themselves, then it is refused with a message and they stay admin', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const token = await agent.csrf();
    const bo = await userId('bo@example.org');
    const admin = await userId('admin@example.org');
    // Bo was promoted above; demote him so Alva is the only admin again.
    await agent.post(`/admin/users/${bo}/role`).type('form').send({ _csrf: token, admin: '0' });
    expect(Boolean((await ctx.db('users').where({ id: bo }).first()).is_admin)).toBe(false);
    const res = await agent.post(`/admin/users/${admin}/role`).type('form').send({ _csrf: token, admin: '0' });
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('Du är den enda administratören.');
    expect(Boolean((await ctx.db('users').where({ id: admin }).first()).is_admin)).toBe(true);
  });

  test('when there are two admins and one demotes themselves, then it works and they are sent home', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const token = await agent.csrf();
    const eva = await userId('eva@example.org');
    await agent.post(`/admin/users/${eva}/role`).type('form').send({ _csrf: token, admin: '1' });
    const evaAgent = await ctx.signIn('eva@example.org');
    const res = await evaAgent.post(`/admin/users/${eva}/role`).type('form').send({ _csrf: await evaAgent.csrf(), admin: '0' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect((await evaAgent.get('/admin')).status).toBe(403);
  });

  test('when the same promotion is sent twice, then the second changes nothing and is not audited twice', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const token = await agent.csrf();
    const hanna = await userId('hanna@example.org');
    await agent.post(`/admin/users/${hanna}/role`).type('form').send({ _csrf: token, admin: '1' });
    await agent.post(`/admin/users/${hanna}/role`).type('form').send({ _csrf: token, admin: '1' });
    const lines = await ctx.db('audit_log').where({ action: 'role.admin_granted', subject_id: hanna });
    expect(lines).toHaveLength(1);
  });
});

describe('two admins demoting each other at once (R5)', () => {
  test('when both requests race, then exactly one succeeds and one admin remains', async () => {
    const alva = await ctx.signIn('admin@example.org');
    const hannaId = await userId('hanna@example.org');
    const alvaId = await userId('admin@example.org');
    await alva.post(`/admin/users/${hannaId}/role`).type('form').send({ _csrf: await alva.csrf(), admin: '1' });
    const admins = await ctx.db('users').where({ is_admin: true });
    expect(admins.map((u) => u.email).sort()).toEqual(['admin@example.org', 'hanna@example.org']);
    const hanna = await ctx.signIn('hanna@example.org');
    const [a, b] = await Promise.all([
      alva.post(`/admin/users/${hannaId}/role`).type('form').send({ _csrf: await alva.csrf(), admin: '0' }),
      hanna.post(`/admin/users/${alvaId}/role`).type('form').send({ _csrf: await hanna.csrf(), admin: '0' }),
    ]);
    // The loser is refused either by the last-admin rule (409) or, if the winner finished first, because
    // they are no longer an admin (403).
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(303);
    expect([403, 409]).toContain(statuses[1]);
    expect(await ctx.db('users').where({ is_admin: true })).toHaveLength(1);
    // Either may have won; the tests below sign in as Alva the admin.
    await ctx.db('users').where({ id: alvaId }).update({ is_admin: true, admin_source: 'bootstrap' });
  });
});

describe('audit log (R4)', () => {
  test('when an admin filters by who, what and when, then only matching lines are shown', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const day = new Date(ctx.clock.now()).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    const page = await agent.get('/admin/audit').query({ who: 'alva', action: 'role.admin_revoked', from: day, to: day });
    const hit = visibleText(page.text.slice(page.text.indexOf('<tbody>')));
    expect(hit).toContain('Alva Admin tog bort administratörsrollen från');
    expect(hit).not.toContain('till administratör');
    // A name no actor has: not 'Anna', which is inside 'Hanna' when Hanna won the race above.
    const nobody = visibleText((await agent.get('/admin/audit').query({ who: 'Ingen Alls' })).text);
    expect(nobody).toContain('Inga händelser passar filtren.');
    const before = visibleText((await agent.get('/admin/audit').query({ to: '2001-01-01' })).text);
    expect(before).toContain('Antal händelser: 0');
  });

  test('when an admin reads the log, then each line is a sentence with its details in words, in both languages', async () => {
    const now = ctx.clock.now();
    const anna = Number((await ctx.db('users').where({ email: 'anna@example.org' }).first()).id);
    const alva = Number((await ctx.db('users').where({ email: 'admin@example.org' }).first()).id);
    const entry = await ctx.db('nominations').orderBy('id').first('id', 'title');
    const edition = await ctx.db('editions').whereNull('archived_at').first('id', 'title');
    await ctx.db('audit_log').insert([
      { actor_id: anna, action: 'nomination.submitted', subject_type: 'nomination', subject_id: entry.id, details: JSON.stringify({ status: 'awaiting_consent' }), created_at: now },
      { actor_id: alva, action: 'phase.override', subject_type: 'edition', subject_id: edition.id, details: JSON.stringify({ year: 2026, phase: 'voting', override: 'closed', previous: 'dates', openNow: false }), created_at: now },
    ]);
    const agent = await ctx.signIn('admin@example.org');
    const sv = visibleText((await agent.get('/admin/audit').query({ action: 'nomination.submitted' })).text);
    expect(sv).toContain(`Anna Lindqvist skickade in ”${entry.title}”`);
    expect(sv).toContain('Ny status: Väntar på svar från kollegor');
    expect(sv).not.toContain('awaiting_consent');
    const phase = visibleText((await agent.get('/admin/audit').query({ action: 'phase.override', who: 'Alva' })).text);
    expect(phase).toContain(`Alva Admin öppnade eller stängde en fas för hand i ${edition.title}`);
    expect(phase).toContain('Fas: Röstning');
    expect(phase).toContain('Beslut: stängd för hand');
    expect(phase).toContain('Före: följer datumen');
    expect(phase).toContain('Öppen efteråt: nej');
    await agent.chooseLocale('en');
    const en = visibleText((await agent.get('/admin/audit').query({ action: 'nomination.submitted' })).text);
    expect(en).toContain(`Anna Lindqvist submitted “${entry.title}”`);
    expect(en).toContain('New status: Waiting for colleagues to answer');
    await agent.chooseLocale('sv');
  });

  test('when a date is not a date, then the filter form says so and nothing breaks', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const res = await agent.get('/admin/audit').query({ from: '31/12/2026' });
    expect(res.status).toBe(400);
    expect(visibleText(res.text)).toContain('Skriv datumet som ÅÅÅÅ-MM-DD');
  });

  test('when there are more lines than a page, then the log is paginated', async () => {
    const now = ctx.clock.now();
    await ctx.db('audit_log').insert(Array.from({ length: 60 }, (_, i) => ({ actor_id: null, action: 'test.filler', details: JSON.stringify({ n: i }), created_at: now })));
    const agent = await ctx.signIn('admin@example.org');
    const first = await agent.get('/admin/audit').query({ action: 'test.filler' });
    expect(visibleText(first.text)).toContain('Sida 1 av 2');
    expect(first.text).toContain('page=2');
    const second = visibleText((await agent.get('/admin/audit').query({ action: 'test.filler', page: '2' })).text);
    expect(second).toContain('Sida 2 av 2');
    // An action without a sentence of its own still shows, with its key and details.
    expect((second.match(/Systemet: test\.filler/g) ?? []).length).toBeGreaterThanOrEqual(10);
  });

  test('when an employee opens the audit log, then they are refused', async () => {
    const agent = await ctx.signIn('bo@example.org');
    expect((await agent.get('/admin/audit')).status).toBe(403);
  });
});
