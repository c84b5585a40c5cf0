// The year follows the employee (SPEC R10): the home page's "Att göra" card per role and phase, the
// edition card following the phase as it is (overrides included), an edition in setup hidden from
// employees, last year's lessons between editions, and consent questions on the notifications page
// until they are answered.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';

const DAY = 24 * 60 * 60 * 1000;
let ctx: TestContext;
let editionId: number;
let startedAt: Date;
let users: Record<string, number>;

beforeAll(async () => {
  ctx = await createTestContext();
  startedAt = ctx.clock.now();
  editionId = Number((await ctx.db('editions').whereNull('archived_at').first('id')).id);
  users = Object.fromEntries((await ctx.db('users').select('id', 'email')).map((u) => [u.email.split('@')[0], Number(u.id)]));
});
afterAll(async () => {
  await ctx.close();
});
afterEach(async () => {
  ctx.clock.set(startedAt);
  await ctx.db('editions').where({ id: editionId }).update({ nomination_override: null, voting_override: null, judging_override: null });
});

/** The items of the "Att göra" card, as read. */
function tasksOf(html: string): string[] {
  const card = /<section class="panel panel--tasks" aria-labelledby="tasks-heading">([\s\S]*?)<\/section>/.exec(html)?.[1];
  if (!card) return [];
  return [...card.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => visibleText(m[1].replace(/<\/?span[^>]*>/g, '')));
}

async function form(agent: Agent, url: string, fields: Record<string, string>) {
  const token = await agent.csrf();
  return agent.post(url).type('form').send({ _csrf: token, ...fields });
}

async function annasConsentToken(): Promise<string> {
  const row = await ctx.db('nominees').where({ user_id: users.anna, consent: 'pending' }).first('consent_token');
  return String(row.consent_token);
}

describe('the "Att göra" card', () => {
  test('when anna has an unanswered consent question during voting, then home lists it with its link and her votes left, and no role line', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get('/');
    const tasks = tasksOf(res.text);
    expect(tasks).toEqual(['Svara på om du vill stå med i ”Samrådsmötet klockan tio en tisdag”', 'Du har 3 röster kvar']);
    expect(res.text).toContain(`href="/consent/${await annasConsentToken()}"`);
    expect(visibleText(res.text)).not.toContain('Dina roller');
  });

  test('when bo has voted once and saved a draft, then home says 2 votes left and offers to finish the draft', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const entry = await ctx
      .db('nominations')
      .where({ edition_id: editionId, status: 'published' })
      .whereNot({ submitter_id: users.bo })
      .whereNotIn('id', ctx.db('nominees').where({ user_id: users.bo }).select('nomination_id'))
      .first('id');
    const voted = await form(bo, '/votes', { entry: String(entry.id) });
    expect(voted.status).toBe(303);
    const token = await bo.csrf();
    const draft = await bo.post('/nominate').field('_csrf', token).field('title', 'Mitt halvfärdiga utkast').field('action', 'draft');
    expect(draft.status).toBe(303);
    const draftRow = await ctx.db('nominations').where({ submitter_id: users.bo, status: 'draft' }).first('id');
    const res = await bo.get('/');
    const tasks = tasksOf(res.text);
    expect(tasks).toContain('Gör klart ditt utkast ”Mitt halvfärdiga utkast”');
    expect(tasks).toContain('Du har 2 röster kvar');
    expect(res.text).toContain(`href="/nominations/${draftRow.id}/edit"`);
    // In English too, in one term.
    const en = await bo.chooseLocale('en', '/');
    expect(en.status).toBe(303);
    const enHome = (await bo.get('/')).text;
    expect(tasksOf(enHome)).toContain('You have 2 votes left');
    // A colleague's Swedish title inside an English sentence says which language it is in.
    expect(enHome).toContain('Finish your draft “<span lang="sv">Mitt halvfärdiga utkast</span>”');
    await bo.chooseLocale('sv', '/');
  });

  test('when entries wait for moderation, then the admin sees how many and an employee does not', async () => {
    const waiting = (await ctx.db('nominations').where({ edition_id: editionId, status: 'in_moderation' }).count({ n: '*' }))[0].n;
    expect(Number(waiting)).toBeGreaterThan(0);
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.get('/');
    expect(tasksOf(res.text)).toContain(`${Number(waiting)} bidrag väntar på granskning`);
    expect(res.text).toContain('href="/admin/moderation"');
    const eva = await ctx.signIn('eva@example.org');
    expect((await eva.get('/')).text).not.toContain('väntar på granskning');
  });

  test('when judging is open, then a juror is asked to score the entries and the card no longer invites votes or nominations', async () => {
    ctx.clock.advance(23 * DAY);
    const david = await ctx.signIn('david@example.org');
    const res = await david.get('/');
    const published = Number((await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).count({ n: '*' }))[0].n);
    const tasks = tasksOf(res.text);
    expect(tasks.some((t) => /^Bedöm \d+ bidrag till$/.test(t))).toBe(true);
    expect(Number(/Bedöm (\d+)/.exec(tasks.join(' '))![1])).toBeLessThanOrEqual(published);
    const text = visibleText(res.text);
    expect(text).toContain('Juryn läser bidragen');
    expect(text).not.toContain('Nu kan du rösta');
    expect(text).not.toContain('Nominera det!');
    expect(text).not.toContain('röster kvar');
    // An employee sees the same heading, and no scoring task.
    const goran = await ctx.signIn('goran@example.org');
    const goranHome = await goran.get('/');
    expect(visibleText(goranHome.text)).toContain('Juryn läser bidragen');
    expect(tasksOf(goranHome.text).some((t) => t.startsWith('Bedöm'))).toBe(false);
  });
});

describe('the edition card follows the phase as it is', () => {
  test('when an admin closes voting early, then home says voting has closed and marks the step done instead of inviting votes', async () => {
    await ctx.db('editions').where({ id: editionId }).update({ voting_override: 'closed', nomination_override: 'closed' });
    const eva = await ctx.signIn('eva@example.org');
    const res = await eva.get('/');
    const text = visibleText(res.text);
    expect(text).toContain('Röstningen är stängd');
    expect(text).not.toContain('Nu kan du');
    expect(text).not.toContain('röster kvar');
    expect(res.text).toMatch(/<li class="timeline__item is-done">\s*<span class="timeline__name">Röstning/);
  });

  test('when voting and nomination are both open, then the heading says both and each open step is marked in words', async () => {
    const eva = await ctx.signIn('eva@example.org');
    const res = await eva.get('/');
    expect(visibleText(res.text)).toContain('Nu kan du nominera och rösta');
    expect(res.text).toMatch(/is-open">\s*<span class="timeline__name">Röstning <span class="timeline__state">\(pågår nu\)/);
  });

  test('when the ceremony date has come, then home says the winner is announced soon instead of "Dags för prisutdelning"', async () => {
    ctx.clock.advance(40 * DAY + 60_000);
    const eva = await ctx.signIn('eva@example.org');
    const text = visibleText((await eva.get('/')).text);
    expect(text).toContain('Snart presenteras vinnaren');
    expect(text).not.toContain('Dags för prisutdelning');
  });
});

describe('an edition in setup and the time between editions', () => {
  test('when the current edition is still being set up, then employees see last year\'s lessons and admins see the edition', async () => {
    const later = new Date(startedAt.getTime() + 400 * DAY);
    const current = await ctx.db('editions').where({ id: editionId }).first('archived_at');
    // This year's edition is over and archived; next year's is being set up with copied texts.
    await ctx.db('editions').where({ id: editionId }).update({ archived_at: new Date(startedAt.getTime() + 300 * DAY) });
    const [row] = await ctx
      .db('editions')
      .insert({
        year: 2099,
        title: 'Årets misstag 2099',
        intro_sv: 'KOPIERAD INTRODUKTION',
        intro_en: 'COPIED INTRO',
        vote_budget: 3,
        finalist_count: 3,
        nomination_opens_at: new Date(later.getTime() + 30 * DAY),
        created_at: later,
        updated_at: later,
      })
      .returning('id');
    const newId = Number(typeof row === 'object' ? row.id : row);
    try {
      ctx.clock.set(later);
      const eva = await ctx.signIn('eva@example.org');
      const res = await eva.get('/');
      const text = visibleText(res.text);
      expect(text).not.toContain('KOPIERAD INTRODUKTION');
      expect(text).not.toContain('Årets misstag 2099');
      expect(text).toContain('Förra årets lärdomar');
      expect(res.text).toMatch(/href="\/archive\/\d{4}"/);
      const admin = await ctx.signIn('admin@example.org');
      const adminText = visibleText((await admin.get('/')).text);
      expect(adminText).toContain('Årets misstag 2099');
      expect(adminText).toContain('Omgången förbereds');
    } finally {
      await ctx.db('editions').where({ id: newId }).delete();
      await ctx.db('editions').where({ id: editionId }).update({ archived_at: current.archived_at ?? null });
    }
  });
});

describe('consent is a notification (R10)', () => {
  test('when anna opens her notifications, then the unanswered question waits there; once answered it is gone from home and notifications', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const token = await annasConsentToken();
    const before = await anna.get('/notifications');
    const text = visibleText(before.text);
    expect(text).toContain('Väntar på ditt svar');
    expect(text).toContain('Du är nämnd i ”Samrådsmötet klockan tio en tisdag”');
    expect(text).not.toContain('Du har inga aviseringar');
    expect(before.text).toContain(`href="/consent/${token}"`);

    const answered = await form(anna, `/consent/${token}`, { answer: 'give', message: '' });
    expect(answered.status).toBe(303);
    const after = await anna.get('/notifications');
    expect(visibleText(after.text)).not.toContain('Väntar på ditt svar');
    expect(after.text).not.toContain(`/consent/${token}`);
    expect(tasksOf((await anna.get('/')).text).some((t) => t.startsWith('Svara på'))).toBe(false);
  });

  test('when a stored consent notification is answered, then it is marked read and not listed twice while it waits', async () => {
    const eva = await ctx.signIn('eva@example.org');
    const dept = await ctx.db('departments').where({ edition_id: editionId }).first('id');
    const token = await eva.csrf();
    const sent = await eva
      .post('/nominate')
      .field('_csrf', token)
      .field('title', 'Mötet utan dagordning')
      .field('what_happened', 'Vi träffades utan att veta varför.')
      .field('lesson', 'Vi lärde oss att skicka en dagordning dagen innan.')
      .field('changes', 'Nu skickar vi alltid en dagordning.')
      .field('department_id', String(dept.id))
      .field('c0_user', String(users.fatima))
      .field('eligibility', 'yes')
      .field('show_submitter', 'yes')
      .field('decline_policy', 'remove')
      .field('action', 'submit');
    expect(sent.status).toBe(303);
    const nominee = await ctx.db('nominees').where({ user_id: users.fatima }).orderBy('id', 'desc').first('consent_token');
    const link = `/consent/${nominee.consent_token}`;
    expect(Number((await ctx.db('notifications').where({ user_id: users.fatima, link }).whereNull('read_at').count({ n: '*' }))[0].n)).toBe(1);

    const fatima = await ctx.signIn('fatima@example.org');
    const page = await fatima.get('/notifications');
    expect(page.text.split(`href="${link}"`).length - 1).toBe(1);
    expect(page.text).not.toContain('/notifications/');

    const answered = await form(fatima, link, { answer: 'decline', message: '' });
    expect(answered.status).toBe(303);
    const stored = await ctx.db('notifications').where({ user_id: users.fatima, link }).first('read_at');
    expect(stored.read_at).not.toBeNull();
    expect(visibleText((await fatima.get('/notifications')).text)).not.toContain('Väntar på ditt svar');
  });
});
