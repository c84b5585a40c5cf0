import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { deleteStaleDrafts } from '../../src/privacy/service';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const DAY = 24 * 60 * 60 * 1000;
const userId = async (email: string) => Number((await ctx.db('users').where({ email }).first()).id);
const currentEdition = async () => ctx.db('editions').whereNull('archived_at').orderBy('year', 'desc').first();

async function insertId(table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await ctx.db(table).insert(row).returning('id');
  return Number(typeof r === 'object' ? r.id : r);
}

/** "My data" is a POST (a button on /me): the download is audited. */
async function myData(agent: Agent) {
  const _csrf = await agent.csrf();
  return agent.post('/me/data.json').type('form').send({ _csrf });
}

describe('my data (R6)', () => {
  let annaDraftId: number;
  beforeAll(async () => {
    const now = ctx.clock.now();
    const edition = await currentEdition();
    const anna = await userId('anna@example.org');
    const bo = await userId('bo@example.org');
    const david = await userId('david@example.org');
    const eva = await userId('eva@example.org');
    annaDraftId = await insertId('nominations', { edition_id: edition.id, submitter_id: anna, status: 'draft', title: 'Annas halvfärdiga utkast', created_at: now, updated_at: now });
    const entries = await ctx.db('nominations').where({ edition_id: edition.id, status: 'published' }).whereNot({ submitter_id: anna }).orderBy('id').limit(2);
    // Anna votes once, Bo votes once; only Anna's may appear in Anna's file.
    await ctx.db('votes').insert({ edition_id: edition.id, nomination_id: entries[0].id, voter_id: anna, slot: 1, created_at: now });
    await ctx.db('votes').insert({ edition_id: edition.id, nomination_id: entries[1].id, voter_id: bo, slot: 1, created_at: now });
    await ctx.db('notifications').insert({ user_id: anna, kind: 'consent.requested', params: JSON.stringify({ submitter: 'Göran Åberg', title: 'Testbidrag' }), link: '/nominations/mine', created_at: now });
    await ctx.db('notifications').insert({ user_id: bo, kind: 'moderation.published', params: JSON.stringify({ title: 'Bos hemliga avisering' }), created_at: now });
    // Two jurors score the same entry; David's file shows his, never Eva's.
    const criterion = await ctx.db('criteria').where({ edition_id: edition.id }).orderBy('id').first();
    await ctx.db('scores').insert({ nomination_id: entries[0].id, juror_id: david, criterion_id: criterion.id, value: 4, updated_at: now });
    await ctx.db('scores').insert({ nomination_id: entries[0].id, juror_id: eva, criterion_id: criterion.id, value: 2, updated_at: now });
    await ctx.db('jury_reviews').insert({ nomination_id: entries[0].id, juror_id: david, note: 'Davids egen anteckning', updated_at: now });
    await ctx.db('jury_reviews').insert({ nomination_id: entries[0].id, juror_id: eva, note: 'Evas hemliga anteckning', updated_at: now });
  });

  test('when an employee opens /me, then they see their profile, what is stored and a download link', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const res = await agent.get('/me');
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Mina uppgifter');
    expect(text).toContain('anna@example.org');
    expect(text).toContain('Skol- och fritidsförvaltningen');
    // Which language "the default" is, said in words.
    expect(text).toContain('Språk Standardspråket (svenska)');
    expect(res.text).toContain('<form method="post" action="/me/data.json"');
  });

  test('when an employee downloads their data, then the JSON has their entries incl. drafts, consents, votes and notifications and nothing of others', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const res = await myData(agent);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?mina-uppgifter-\d{4}-\d{2}-\d{2}\.json"?/);
    const data = JSON.parse(res.text);
    expect(data.profile).toMatchObject({ name: 'Anna Lindqvist', email: 'anna@example.org' });
    const titles = data.nominations.map((n: { title: string }) => n.title);
    expect(titles).toContain('Annas halvfärdiga utkast');
    expect(titles).toContain('Appen som ingen förälder laddade ner');
    expect(data.nominations.find((n: { id: number }) => n.id === annaDraftId).status).toBe('draft');
    expect(data.consentRequests.length).toBeGreaterThanOrEqual(1);
    expect(data.consentRequests.every((c: { email: string }) => c.email === 'anna@example.org')).toBe(true);
    expect(data.votes).toHaveLength(1);
    expect(data.notifications.map((n: { params: { title?: string } }) => n.params.title)).toEqual(['Testbidrag']);
    // Nothing of others: no other person's address, vote or notification.
    for (const other of ['bo@example.org', 'eva@example.org', 'david@example.org', 'Bos hemliga avisering']) expect(res.text).not.toContain(other);
    const otherVotes = await ctx.db('votes').whereNot({ voter_id: await userId('anna@example.org') }).whereNotNull('voter_id');
    expect(otherVotes.length).toBeGreaterThan(0);
    expect(data.votes.map((v: { entryId: number }) => v.entryId)).not.toContain(otherVotes[0].nomination_id);
  });

  test('when a juror downloads their data, then it has their own scores and note and never another juror’s', async () => {
    const agent = await ctx.signIn('david@example.org');
    const data = JSON.parse((await myData(agent)).text);
    expect(data.jury.scores.map((s: { value: number }) => s.value)).toEqual([4]);
    expect(data.jury.notes.map((n: { note: string }) => n.note)).toEqual(['Davids egen anteckning']);
    expect(JSON.stringify(data)).not.toContain('Evas hemliga anteckning');
  });

  test('when an admin archives the edition, then the voter link is erased and the votes are no longer in the file (V4)', async () => {
    const edition = await currentEdition();
    const votesBefore = (await ctx.db('votes').where({ edition_id: edition.id })).length;
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.post(`/admin/editions/${edition.id}/archive`).type('form').send({ _csrf: await admin.csrf(), confirm: 'yes' });
    expect(res.status).toBe(303);
    try {
      expect(await ctx.db('votes').where({ edition_id: edition.id })).toHaveLength(0);
      const tallied = await ctx.db('vote_tallies').where({ edition_id: edition.id }).sum({ n: 'votes' }).first();
      expect(Number(tallied?.n ?? 0)).toBe(votesBefore);
      const agent = await ctx.signIn('anna@example.org');
      const data = JSON.parse((await myData(agent)).text);
      expect(data.votes).toEqual([]);
    } finally {
      // The rest of this file works on the current edition.
      await ctx.db('editions').where({ id: edition.id }).update({ archived_at: null });
    }
  });

  test('when signed out, then /me/data.json gives nothing', async () => {
    const anonymous = ctx.anonymous();
    const token = await anonymous.csrf();
    const res = await anonymous.post('/me/data.json').set('Accept', 'application/json').type('form').send({ _csrf: token });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('anna@example.org');
  });
});

describe('anonymising a user (R6)', () => {
  test('when an employee tries to anonymise someone, then it is refused and nothing changes', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const bo = await userId('bo@example.org');
    const res = await agent.post(`/admin/users/${bo}/anonymise`).type('form').send({ _csrf: await agent.csrf(), confirm: 'yes' });
    expect(res.status).toBe(403);
    expect((await ctx.db('users').where({ id: bo }).first()).name).toBe('Bo Ekström');
  });

  test('when the admin forgets to confirm, then the page says so and nothing changes', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const bo = await userId('bo@example.org');
    const res = await agent.post(`/admin/users/${bo}/anonymise`).type('form').send({ _csrf: await agent.csrf() });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('Kryssa i rutan');
    expect((await ctx.db('users').where({ id: bo }).first()).name).toBe('Bo Ekström');
  });

  test('when an admin anonymises a user, then the name and address are gone from every page and export, and the entries stay', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const bo = await userId('bo@example.org');
    const now = ctx.clock.now();
    const anna = await userId('anna@example.org');
    // Lines written before: an audit line about Bo (with his name in the details) and a notification naming him.
    await admin.post(`/admin/users/${bo}/role`).type('form').send({ _csrf: await admin.csrf(), admin: '1' });
    await ctx.db('audit_log').insert({ actor_id: bo, action: 'test.mention', details: JSON.stringify({ about: 'Bo Ekström', mail: 'bo@example.org' }), created_at: now });
    await ctx.db('notifications').insert({ user_id: anna, kind: 'consent.given', params: JSON.stringify({ name: 'Bo Ekström', title: 'Appen' }), created_at: now });
    const boAgent = await ctx.signIn('bo@example.org');
    expect((await boAgent.get('/')).status).toBe(200);
    const boEntries = await ctx.db('nominations').where({ submitter_id: bo });
    expect(boEntries.length).toBeGreaterThan(0);
    expect(visibleText((await admin.get('/admin/audit')).text)).toContain('Bo Ekström');

    const res = await admin.post(`/admin/users/${bo}/anonymise`).type('form').send({ _csrf: await admin.csrf(), confirm: 'yes' });
    expect(res.status).toBe(303);
    const row = await ctx.db('users').where({ id: bo }).first();
    expect(row.name).toBe('Anonymiserad användare');
    expect(row.email).toMatch(/\.invalid$/);
    expect(row.department).toBeNull();
    expect(Boolean(row.is_admin)).toBe(false);
    expect(await ctx.db('nominations').where({ submitter_id: bo })).toHaveLength(boEntries.length);
    // Their session has ended.
    expect((await boAgent.get('/')).status).toBe(303);

    const annaAgent = await ctx.signIn('anna@example.org');
    const chair = await ctx.signIn('cecilia@example.org');
    const published = await ctx.db('nominations').where({ status: 'published' }).select('id');
    const moderated = await ctx.db('nominations').whereNot({ status: 'draft' }).select('id');
    const years = (await ctx.db('editions').select('year')).map((e) => e.year);
    const adminPages = [
      '/admin', '/admin/users', `/admin/users/${bo}`, '/admin/audit', '/admin/audit?who=Anonymiserad', '/admin/exports',
      '/admin/moderation',
      ...moderated.map((p) => `/admin/moderation/${p.id}`), '/admin/editions', '/admin/jury', '/admin/cards', '/me',
      ...years.flatMap((y) => [`/archive/${y}`, `/ceremony/${y}`]),
    ];
    // The exports are POSTs (each download is audited).
    const exportPosts = ['/admin/exports/entries.csv', '/admin/exports/scores.csv', '/admin/exports/finalists', '/admin/exports/votes.csv'].flatMap((p) =>
      ['', ...years.map(String)].map((year) => ({ path: p, year })),
    );
    const adminToken = await admin.csrf();
    for (const { path, year } of exportPosts) {
      const res = await admin.post(path).type('form').send({ _csrf: adminToken, ...(year ? { year } : {}) });
      expect([path, year, res.status < 500]).toEqual([path, year, true]);
      expect([path, year, res.text.includes('Bo Ekström') || res.text.includes('bo@example.org')]).toEqual([path, year, false]);
    }
    for (const agent of [admin, annaAgent]) {
      const data = await myData(agent);
      expect(data.status).toBe(200);
      expect(data.text.includes('Bo Ekström') || data.text.includes('bo@example.org')).toBe(false);
    }
    const employeePages = ['/', '/entries', '/archive', '/notifications', '/nominations/mine', '/votes', ...published.map((p) => `/entries/${p.id}`)];
    const juryPages = ['/jury', '/jury/ranking', '/jury/decision', ...published.map((p) => `/jury/entries/${p.id}`)];
    let checked = 0;
    for (const [agent, pages] of [[admin, adminPages], [annaAgent, employeePages], [chair, juryPages]] as const) {
      for (const url of pages) {
        const page = await agent.get(url);
        if (page.status === 404) continue; // a page another feature has not built yet
        expect([url, page.status < 500]).toEqual([url, true]);
        expect([url, page.text.includes('Bo Ekström')]).toEqual([url, false]);
        expect([url, page.text.includes('bo@example.org')]).toEqual([url, false]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(30);
    expect(visibleText((await admin.get('/admin/audit')).text)).toContain('Anonymiserad användare');
  });

  test('when an admin tries to anonymise themselves, then it is refused', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const me = await userId('admin@example.org');
    const res = await agent.post(`/admin/users/${me}/anonymise`).type('form').send({ _csrf: await agent.csrf(), confirm: 'yes' });
    expect(res.status).toBe(409);
    expect((await ctx.db('users').where({ id: me }).first()).name).toBe('Alva Admin');
  });
});

describe('draft clean-up (R6)', () => {
  test('when drafts are older than the configured age, then they and their files are deleted and newer drafts and submitted entries stay', async () => {
    const now = ctx.clock.now();
    const edition = await currentEdition();
    const anna = await userId('anna@example.org');
    const old = new Date(now.getTime() - 200 * DAY);
    const oldDraft = await insertId('nominations', { edition_id: edition.id, submitter_id: anna, status: 'draft', title: 'Gammalt utkast', created_at: old, updated_at: old });
    const freshDraft = await insertId('nominations', { edition_id: edition.id, submitter_id: anna, status: 'draft', title: 'Nytt utkast', created_at: now, updated_at: new Date(now.getTime() - 10 * DAY) });
    const oldSubmitted = await insertId('nominations', { edition_id: edition.id, submitter_id: anna, status: 'in_moderation', title: 'Gammal inskickad', created_at: old, updated_at: old });
    const fs = await import('node:fs');
    const path = await import('node:path');
    const dir = path.join(ctx.dataDir, 'attachments');
    fs.mkdirSync(dir, { recursive: true });
    const gone = 'a'.repeat(48);
    const kept = 'b'.repeat(48);
    for (const f of [gone, `${gone}.thumb`, kept, `${kept}.thumb`]) fs.writeFileSync(path.join(dir, f), 'x');
    await ctx.db('attachments').insert({ nomination_id: oldDraft, storage_name: gone, original_name: 'bild.jpg', mime: 'image/jpeg', size_bytes: 1, created_at: old });

    const deleted = await deleteStaleDrafts(ctx.db, now, ctx.config.draftMaxAgeDays, ctx.dataDir);

    expect(deleted).toBe(1);
    const left = (await ctx.db('nominations').whereIn('id', [oldDraft, freshDraft, oldSubmitted])).map((r) => Number(r.id)).sort();
    expect(left).toEqual([freshDraft, oldSubmitted].sort());
    expect(fs.readdirSync(dir).sort()).toEqual([kept, `${kept}.thumb`]);
    const line = await ctx.db('audit_log').where({ action: 'drafts.deleted' }).first();
    expect(JSON.parse(line.details)).toEqual({ count: 1, maxAgeDays: 180 });
  });
});
