// Edition setup for admins (SPEC R1): the settings form with its validation, opening and closing a
// phase early, copying to next year, archiving (which erases the voter links, V4), and the audit log.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { fromStockholmLocal, toStockholmLocal } from '../../src/time';

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

async function formOf(agent: Agent): Promise<Record<string, string | string[]>> {
  // What the page holds, as the browser would send it back.
  const html = (await agent.get(`/admin/editions/${editionId}`)).text;
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '';
  const textarea = (name: string) => (new RegExp(`name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const all = (name: string) => [...html.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))].map((m) => m[1]);
  const allText = (name: string) => [...html.matchAll(new RegExp(`name="${name}"[^>]*>([\\s\\S]*?)</textarea>`, 'g'))].map((m) => m[1]);
  return {
    title: value('title'),
    introSv: textarea('introSv'),
    introEn: textarea('introEn'),
    nominationOpensAt: value('nominationOpensAt'),
    nominationClosesAt: value('nominationClosesAt'),
    votingOpensAt: value('votingOpensAt'),
    votingClosesAt: value('votingClosesAt'),
    judgingOpensAt: value('judgingOpensAt'),
    judgingClosesAt: value('judgingClosesAt'),
    ceremonyAt: value('ceremonyAt'),
    voteBudget: value('voteBudget'),
    finalistCount: value('finalistCount'),
    departments: textarea('departments'),
    criterionId: all('criterionId'),
    criterionNameSv: all('criterionNameSv'),
    criterionNameEn: all('criterionNameEn'),
    criterionWeight: all('criterionWeight'),
    criterionDescriptionSv: allText('criterionDescriptionSv'),
    criterionDescriptionEn: allText('criterionDescriptionEn'),
  };
}

async function save(agent: Agent, form: Record<string, string | string[]>) {
  const token = await agent.csrf();
  return agent.post(`/admin/editions/${editionId}`).type('form').send({ _csrf: token, ...form });
}

async function auditActions(): Promise<string[]> {
  return (await ctx.db('audit_log').orderBy('id').select('action')).map((r) => String(r.action));
}

describe('who may set up editions', () => {
  test('when an employee or a juror opens edition setup or posts to it, then they get 403 and nothing changes', async () => {
    for (const email of ['anna@example.org', 'cecilia@example.org']) {
      const agent = await ctx.signIn(email);
      expect((await agent.get('/admin/editions')).status).toBe(403);
      expect((await agent.get(`/admin/editions/${editionId}`)).status).toBe(403);
      const token = await agent.csrf();
      const res = await agent.post(`/admin/editions/${editionId}/phase`).type('form').send({ _csrf: token, phase: 'voting', override: 'closed' });
      expect(res.status).toBe(403);
    }
    const row = await ctx.db('editions').where({ id: editionId }).first('voting_override');
    expect(row.voting_override).toBeNull();
  });

  test('when the admin opens the hub, then edition setup is listed and its page shows the current edition', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const hub = await admin.get('/admin');
    expect(hub.text).toContain('href="/admin/editions"');
    expect(visibleText(hub.text)).toContain('Omgångar och tidplan');
    const list = await admin.get('/admin/editions');
    expect(visibleText(list.text)).toContain(`Ändra Årets misstag ${year}`);
    expect(visibleText(list.text)).toContain(`Visa Årets misstag ${year - 1}`);
  });
});

describe('the settings form', () => {
  test('when the admin opens the form, then the dates are shown in Stockholm time', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const edition = await ctx.db('editions').where({ id: editionId }).first();
    const form = await formOf(admin);
    const expected = toStockholmLocal(new Date(ctx.isPostgres ? edition.voting_closes_at : Number(edition.voting_closes_at)));
    expect(form.votingClosesAt).toBe(expected);
    expect(form.voteBudget).toBe('3');
    expect(form.criterionNameSv).toEqual(['Mod', 'Lärdom', 'Spridning', 'Utmaning', '']);
  });

  test('when the admin saves new texts, dates, budget, criteria and departments, then they are stored and audited', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const form = await formOf(admin);
    const res = await save(admin, {
      ...form,
      title: `Årets misstag ${year} – hela staden`,
      introEn: 'New intro',
      votingClosesAt: `${year}-12-01T16:30`,
      judgingOpensAt: `${year}-12-02T08:00`,
      judgingClosesAt: `${year}-12-09T17:00`,
      ceremonyAt: `${year}-12-10T18:00`,
      voteBudget: '2',
      finalistCount: '4',
      departments: `${form.departments}\nHamnförvaltningen`,
      criterionNameSv: ['Mod', 'Lärdom', 'Spridning', 'Utmaning', 'Samverkan'],
      criterionNameEn: ['Courage', 'Lesson', 'Spread', 'Challenge', 'Collaboration'],
      criterionWeight: ['1', '2,5', '1', '1', '0.5'],
      criterionId: [...(form.criterionId as string[]).slice(0, 4), ''],
      criterionDescriptionSv: [...(form.criterionDescriptionSv as string[]).slice(0, 4), 'Hur många arbetade tillsammans?'],
      criterionDescriptionEn: [...(form.criterionDescriptionEn as string[]).slice(0, 4), 'How many worked together?'],
    });
    expect(res.status).toBe(303);
    const page = await admin.get(res.headers.location);
    expect(visibleText(page.text)).toContain(`Inställningarna för Årets misstag ${year} – hela staden är sparade.`);

    const e = await ctx.db('editions').where({ id: editionId }).first();
    expect(e.title).toBe(`Årets misstag ${year} – hela staden`);
    expect(e.intro_en).toBe('New intro');
    expect(Number(e.vote_budget)).toBe(2);
    expect(Number(e.finalist_count)).toBe(4);
    const closes = new Date(ctx.isPostgres ? e.voting_closes_at : Number(e.voting_closes_at));
    expect(closes.getTime()).toBe(fromStockholmLocal(`${year}-12-01T16:30`)!.getTime());
    const criteria = await ctx.db('criteria').where({ edition_id: editionId }).orderBy('sort_order');
    expect(criteria.map((c) => [c.name_sv, Number(c.weight)])).toEqual([['Mod', 1], ['Lärdom', 2.5], ['Spridning', 1], ['Utmaning', 1], ['Samverkan', 0.5]]);
    expect(criteria[4].key).toBe('collaboration');
    expect([criteria[4].description_sv, criteria[4].description_en]).toEqual(['Hur många arbetade tillsammans?', 'How many worked together?']);
    expect(criteria[0].description_sv).toContain('Hur modigt var det'); // kept as it was
    const departments = await ctx.db('departments').where({ edition_id: editionId }).orderBy('sort_order');
    expect(departments.at(-1).name).toBe('Hamnförvaltningen');
    const audit = await ctx.db('audit_log').where({ action: 'edition.updated' }).orderBy('id', 'desc').first();
    expect(JSON.parse(audit.details).changed).toEqual(expect.arrayContaining(['title', 'voteBudget', 'votingClosesAt']));
  });

  test('when the dates are out of order or the budget is 0, then the form comes back with what was typed and an error summary, and nothing is stored', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const before = await ctx.db('editions').where({ id: editionId }).first();
    const form = await formOf(admin);
    const res = await save(admin, {
      ...form,
      title: 'Ett nytt namn som inte ska sparas',
      votingOpensAt: `${year}-11-20T08:00`,
      votingClosesAt: `${year}-11-10T08:00`,
      voteBudget: '0',
      nominationOpensAt: 'i morgon',
    });
    expect(res.status).toBe(422);
    const text = visibleText(res.text);
    expect(text).toContain('Något behöver rättas');
    expect(text).toContain('Röstningen måste stänga efter att den öppnar.');
    expect(text).toContain('Röster per person ska vara ett heltal, minst 1 och högst 50.');
    expect(text).toContain('Skriv datum och tid, till exempel 2026-10-15 08:00.');
    expect(res.text).toContain('href="#f-votingClosesAt"');
    expect(res.text).toContain('value="Ett nytt namn som inte ska sparas"');
    expect(res.text).toContain(`value="${year}-11-20T08:00"`);
    const after = await ctx.db('editions').where({ id: editionId }).first();
    expect(after.title).toBe(before.title);
    expect(Number(after.vote_budget)).toBe(Number(before.vote_budget));
  });

  test('when the budget is lowered below what someone has already used, then it is refused', async () => {
    await ctx.db('editions').where({ id: editionId }).update({ vote_budget: 3 });
    const bo = Number((await ctx.db('users').where({ email: 'bo@example.org' }).first()).id);
    const targets = await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).whereNot({ submitter_id: bo }).limit(2).select('id');
    await ctx.db('votes').insert(targets.map((t, i) => ({ edition_id: editionId, nomination_id: t.id, voter_id: bo, slot: i + 1, created_at: ctx.clock.now() })));
    try {
      const admin = await ctx.signIn('admin@example.org');
      const res = await save(admin, { ...(await formOf(admin)), voteBudget: '1' });
      expect(res.status).toBe(422);
      expect(visibleText(res.text)).toContain('Någon har redan använt 2 röster. Röster per person kan inte bli färre än så.');
      expect(Number((await ctx.db('editions').where({ id: editionId }).first()).vote_budget)).toBe(3);
      expect((await save(admin, { ...(await formOf(admin)), voteBudget: '2' })).status).toBe(303);
    } finally {
      await ctx.db('votes').where({ voter_id: bo }).del();
    }
  });

  test('when a department used by entries is removed, then the form says so and nothing is stored', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const form = await formOf(admin);
    const res = await save(admin, { ...form, title: 'Inte sparad', departments: 'Hamnförvaltningen' });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toMatch(/Förvaltningen ”.+” används av bidrag och kan inte tas bort\./);
    expect((await ctx.db('editions').where({ id: editionId }).first()).title).not.toBe('Inte sparad');
    expect(await ctx.db('departments').where({ edition_id: editionId }).count({ n: '*' }).then(([r]) => Number(r.n))).toBeGreaterThan(1);
  });

  test('when a criterion has no weight or a criterion id from another edition is sent, then it is refused', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const form = await formOf(admin);
    const bad = await save(admin, { ...form, criterionWeight: ['1', '', '1', '1', ''] });
    expect(bad.status).toBe(422);
    expect(visibleText(bad.text)).toContain('Vikten ska vara ett tal större än 0');
    const other = await ctx.db('criteria').whereNot({ edition_id: editionId }).first('id');
    const ids = [...(form.criterionId as string[])];
    ids[0] = String(other.id);
    const foreign = await save(admin, { ...form, criterionId: ids });
    expect(foreign.status).toBe(422);
    const untouched = await ctx.db('criteria').where({ id: other.id }).first();
    expect(Number(untouched.edition_id)).not.toBe(editionId);
  });

  test('when a criterion is removed, then it is gone; the last one cannot be removed', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const form = await formOf(admin);
    const ids = (form.criterionId as string[]).filter(Boolean);
    const last = ids.at(-1)!;
    const res = await save(admin, { ...form, criterionRemove: last });
    expect(res.status).toBe(303);
    expect(await ctx.db('criteria').where({ id: Number(last) }).first()).toBeUndefined();
    const again = await formOf(admin);
    const all = await save(admin, { ...again, criterionRemove: (again.criterionId as string[]).filter(Boolean) });
    expect(all.status).toBe(422);
    expect(visibleText(all.text)).toContain('Omgången behöver minst ett kriterium.');
  });
});

describe('opening and closing phases early', () => {
  test('when the admin closes voting now, then voting is closed for everyone, audited, and can follow the dates again', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const token = await admin.csrf();
    const res = await admin.post(`/admin/editions/${editionId}/phase`).type('form').send({ _csrf: token, phase: 'voting', override: 'closed' });
    expect(res.status).toBe(303);
    expect(visibleText((await admin.get(`/admin/editions/${editionId}`)).text)).toContain('Röstning: stängd nu (manuellt beslut).');
    expect((await ctx.db('editions').where({ id: editionId }).first()).voting_override).toBe('closed');
    const audit = await ctx.db('audit_log').where({ action: 'phase.override' }).orderBy('id', 'desc').first();
    expect(JSON.parse(audit.details)).toMatchObject({ phase: 'voting', override: 'closed', openNow: false });

    const anna = await ctx.signIn('anna@example.org');
    const entry = await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).whereNot({ submitter_id: (await ctx.db('users').where({ email: 'anna@example.org' }).first()).id }).first('id');
    const vote = await anna.post('/votes').type('form').send({ _csrf: await anna.csrf(), entry: entry.id });
    expect(vote.status).toBe(409);

    const back = await admin.post(`/admin/editions/${editionId}/phase`).type('form').send({ _csrf: token, phase: 'voting', override: 'dates' });
    expect(back.status).toBe(303);
    expect((await ctx.db('editions').where({ id: editionId }).first()).voting_override).toBeNull();
    expect(visibleText((await admin.get(`/admin/editions/${editionId}`)).text)).toContain('Stäng röstningen nu');
  });

  test('when the admin opens nomination now, then the override is stored', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const token = await admin.csrf();
    await admin.post(`/admin/editions/${editionId}/phase`).type('form').send({ _csrf: token, phase: 'nomination', override: 'open' });
    expect((await ctx.db('editions').where({ id: editionId }).first()).nomination_override).toBe('open');
    await admin.post(`/admin/editions/${editionId}/phase`).type('form').send({ _csrf: token, phase: 'nomination', override: 'dates' });
  });

  test('when an unknown phase or value is sent, then it is refused with 400 and nothing changes', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const token = await admin.csrf();
    for (const body of [{ phase: 'ceremony', override: 'open' }, { phase: 'voting', override: 'maybe' }, {}]) {
      const res = await admin.post(`/admin/editions/${editionId}/phase`).type('form').send({ _csrf: token, ...body });
      expect(res.status).toBe(400);
    }
    expect((await ctx.db('editions').where({ id: editionId }).first()).voting_override).toBeNull();
  });
});

describe('next year and archiving', () => {
  test('when the admin creates next year’s edition, then it copies the settings with dates a year later and stays behind the current one', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const token = await admin.csrf();
    const res = await admin.post(`/admin/editions/${editionId}/copy`).type('form').send({ _csrf: token });
    expect(res.status).toBe(303);
    const next = await ctx.db('editions').where({ year: year + 1 }).first();
    expect(res.headers.location).toBe(`/admin/editions/${next.id}`);
    const source = await ctx.db('editions').where({ id: editionId }).first();
    expect(next.title).toBe(String(source.title).replace(String(year), String(year + 1)));
    expect(Number(next.vote_budget)).toBe(Number(source.vote_budget));
    const at = (v: unknown) => new Date(ctx.isPostgres ? (v as Date) : Number(v));
    expect(toStockholmLocal(at(next.voting_closes_at))).toBe(toStockholmLocal(at(source.voting_closes_at)).replace(String(year), String(year + 1)));
    const names = async (id: number, table: string, col: string) => (await ctx.db(table).where({ edition_id: id }).orderBy('sort_order').select(col)).map((r) => r[col]);
    expect(await names(next.id, 'criteria', 'name_sv')).toEqual(await names(editionId, 'criteria', 'name_sv'));
    expect(await names(next.id, 'departments', 'name')).toEqual(await names(editionId, 'departments', 'name'));
    expect(await auditActions()).toContain('edition.created');

    // This year's edition is still the current one (home page, voting).
    const anna = await ctx.signIn('anna@example.org');
    expect(visibleText((await anna.get('/')).text)).toContain(String(source.title));

    const again = await admin.post(`/admin/editions/${editionId}/copy`).type('form').send({ _csrf: token });
    expect(again.status).toBe(409);
    expect(visibleText(again.text)).toContain(`Det finns redan en omgång för ${year + 1}.`);
  });

  test('when the admin archives without confirming, then nothing happens', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const token = await admin.csrf();
    const res = await admin.post(`/admin/editions/${editionId}/archive`).type('form').send({ _csrf: token });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('Kryssa i rutan för att bekräfta');
    expect((await ctx.db('editions').where({ id: editionId }).first()).archived_at).toBeNull();
  });

  test('when the admin archives the edition, then the votes become counts without voters, it is audited and next year becomes current', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const boId = Number((await ctx.db('users').where({ email: 'bo@example.org' }).first()).id);
    const entries = await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).whereNot({ submitter_id: boId }).select('id');
    await ctx.db('editions').where({ id: editionId }).update({ vote_budget: 3 });
    for (const e of entries.slice(1, 3)) {
      const r = await bo.post('/votes').type('form').send({ _csrf: await bo.csrf(), entry: e.id });
      expect(r.status).toBe(303);
    }
    const countBefore = Number((await ctx.db('votes').where({ edition_id: editionId }).count({ n: '*' }))[0].n);
    expect(countBefore).toBeGreaterThanOrEqual(2);

    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.post(`/admin/editions/${editionId}/archive`).type('form').send({ _csrf: await admin.csrf(), confirm: 'yes' });
    expect(res.status).toBe(303);
    // V4: no vote row (voter, slot, time) is left; one count per entry is.
    expect(Number((await ctx.db('votes').where({ edition_id: editionId }).count({ n: '*' }))[0].n)).toBe(0);
    const tallies = await ctx.db('vote_tallies').where({ edition_id: editionId });
    expect(tallies.reduce((sum, t) => sum + Number(t.votes), 0)).toBe(countBefore);
    expect(Object.keys(tallies[0]).sort()).toEqual(['edition_id', 'nomination_id', 'votes']);
    expect((await ctx.db('editions').where({ id: editionId }).first()).archived_at).not.toBeNull();
    const audit = await ctx.db('audit_log').where({ action: 'edition.archived' }).first();
    expect(JSON.parse(audit.details)).toMatchObject({ year, voterLinksErased: countBefore });

    // The archived edition can no longer be changed; next year's is now current.
    const token = await admin.csrf();
    const change = await admin.post(`/admin/editions/${editionId}/phase`).type('form').send({ _csrf: token, phase: 'voting', override: 'open' });
    expect(change.status).toBe(409);
    expect(visibleText((await admin.get(`/admin/editions/${editionId}`)).text)).toContain('Omgången är arkiverad och kan inte längre ändras.');
    // Next year's edition is still being set up: the admin sees it, an employee sees last year's lessons (R10).
    expect(visibleText((await admin.get('/')).text)).toContain(`${year + 1}`);
    const boHome = visibleText((await bo.get('/')).text);
    expect(boHome).not.toContain(`${year + 1}`);
    expect(boHome).toContain(`Läs alla lärdomar från ${year}`);
  });
});

describe('a new edition from scratch', () => {
  test('when the admin creates an edition for a free year, then it has the default criteria and departments and is audited', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.post('/admin/editions').type('form').send({ _csrf: await admin.csrf(), year: String(year + 5) });
    expect(res.status).toBe(303);
    const created = await ctx.db('editions').where({ year: year + 5 }).first();
    expect(res.headers.location).toBe(`/admin/editions/${created.id}`);
    expect(created.title).toBe(`Årets misstag ${year + 5}`);
    expect((await ctx.db('criteria').where({ edition_id: created.id }).orderBy('sort_order').select('name_sv')).map((r) => r.name_sv)).toEqual(['Mod', 'Lärdom', 'Spridning', 'Utmaning']);
    expect(Number((await ctx.db('departments').where({ edition_id: created.id }).count({ n: '*' }))[0].n)).toBeGreaterThan(5);
    const audit = await ctx.db('audit_log').where({ action: 'edition.created', subject_id: created.id }).first();
    expect(JSON.parse(audit.details)).toEqual({ year: year + 5 });
  });

  test('when the year is taken or not a year, then the list comes back with the message and nothing is created', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const before = Number((await ctx.db('editions').count({ n: '*' }))[0].n);
    const taken = await admin.post('/admin/editions').type('form').send({ _csrf: await admin.csrf(), year: String(year) });
    expect(taken.status).toBe(422);
    expect(visibleText(taken.text)).toContain(`Det finns redan en omgång för ${year}.`);
    const early = await admin.post('/admin/editions').type('form').send({ _csrf: await admin.csrf(), year: String(year - 3) });
    expect(early.status).toBe(422);
    expect(visibleText(early.text)).toContain(`En ny omgång måste gälla ett senare år än den senaste omgången (${year + 5}).`);
    const bad = await admin.post('/admin/editions').type('form').send({ _csrf: await admin.csrf(), year: 'nästa år' });
    expect(bad.status).toBe(422);
    expect(visibleText(bad.text)).toContain('Skriv ett år med fyra siffror');
    expect(bad.text).toContain('value="nästa år"');
    expect(Number((await ctx.db('editions').count({ n: '*' }))[0].n)).toBe(before);
  });

  test('when an employee posts a new edition, then it is refused', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.post('/admin/editions').type('form').send({ _csrf: await anna.csrf(), year: '2090' });
    expect(res.status).toBe(403);
    expect(await ctx.db('editions').where({ year: 2090 }).first()).toBeUndefined();
  });
});
