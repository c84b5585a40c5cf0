// The jury (SPEC J1–J7) over HTTP: who gets in, scoring while judging is open, jäv, independence, the
// ranking, the chair's decision, the lock and the seal. One database for the file; the tests build on
// each other in the order a real jury works, and the lock comes last.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import * as jury from '../../src/jury/service';

const DAY = 24 * 60 * 60 * 1000;
let ctx: TestContext;
let seededAt: Date;
let editionId: number;
let criteria: Array<{ id: number; name_sv: string }>;
const users: Record<string, number> = {};
const entries: Record<string, number> = {};

beforeAll(async () => {
  ctx = await createTestContext();
  seededAt = ctx.clock.now();
  const edition = await ctx.db('editions').whereNull('archived_at').first();
  editionId = Number(edition.id);
  criteria = (await ctx.db('criteria').where({ edition_id: editionId }).orderBy('sort_order')).map((c) => ({ id: Number(c.id), name_sv: c.name_sv }));
  for (const u of await ctx.db('users').select('id', 'email')) users[String(u.email).split('@')[0]] = Number(u.id);
  for (const n of await ctx.db('nominations').where({ edition_id: editionId }).select('id', 'title')) entries[n.title] = Number(n.id);
});
afterAll(async () => {
  await ctx.close();
});

const OWN_DAVID = 'Väntrummet där ingen ville vänta'; // submitted by david: automatic jäv
const APP = 'Appen som ingen förälder laddade ner';
const FORM = 'Bygglovsblanketten med 47 frågor';
const NIGHT = 'Nattpatrullen som körde i cirklar';
const SOLAR = 'Solcellerna på fel tak';
const LIBRARY = 'Biblioteksevenemanget som krockade med Eid';
const IN_MODERATION = 'Utställningen som ingen i rullstol kunde se';

function intoJudging(): void {
  ctx.clock.set(new Date(seededAt.getTime() + 23 * DAY));
}
function beforeJudging(): void {
  ctx.clock.set(seededAt);
}

function fullScores(values: number[]): Record<string, string> {
  return Object.fromEntries(criteria.map((c, i) => [`c${c.id}`, String(values[i % values.length])]));
}

async function post(agent: Agent, url: string, body: Record<string, string | string[]>) {
  const _csrf = await agent.csrf();
  return agent.post(url).type('form').send({ _csrf, ...body });
}

async function storedScores(email: string, title: string) {
  return ctx.db('scores').where({ juror_id: users[email], nomination_id: entries[title] });
}
async function review(email: string, title: string) {
  return ctx.db('jury_reviews').where({ juror_id: users[email], nomination_id: entries[title] }).first();
}

describe('who may enter the jury pages', () => {
  test('when an employee opens any jury page, then they get 403 with a Swedish explanation and no jury data', async () => {
    const anna = await ctx.signIn('anna@example.org');
    for (const path of ['/jury', '/jury/ranking', '/jury/decision', `/jury/entries/${entries[FORM]}`, `/jury/entries/${entries[FORM]}/discussion`]) {
      const res = await anna.get(path);
      expect(res.status).toBe(403);
      expect(visibleText(res.text)).toContain('Juryns sidor är bara för jurymedlemmar och administratörer.');
      expect(res.text).not.toContain('Viktat medel');
    }
    const save = await post(anna, `/jury/entries/${entries[FORM]}`, fullScores([5]));
    expect(save.status).toBe(403);
    expect(await ctx.db('scores').select('id')).toHaveLength(0);
  });

  test('when an admin who is not a juror opens /jury, then they are sent to the ranking, which they may read', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.get('/jury');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/jury/ranking');
    const ranking = await admin.get('/jury/ranking');
    expect(ranking.status).toBe(200);
    expect(visibleText(ranking.text)).toContain('Rangordning');
  });

  test('when a juror opens the dashboard, then they see their progress and automatic jäv for their own entry', async () => {
    const david = await ctx.signIn('david@example.org');
    const res = await david.get('/jury');
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('0 av 11 bedömda'); // 12 published entries, one his own
    expect(text).toContain('Du är jävig för 1 bidrag.');
    expect(text).toContain('Du har skickat in bidraget.');
    expect(res.text).not.toContain(`href="/jury/entries/${entries[OWN_DAVID]}"`);
    expect(res.text).not.toContain(IN_MODERATION);
  });

  test('when a juror asks for an entry that is not published in the current edition, then it is not found', async () => {
    const david = await ctx.signIn('david@example.org');
    expect((await david.get(`/jury/entries/${entries[IN_MODERATION]}`)).status).toBe(404);
    expect((await david.get('/jury/entries/999999')).status).toBe(404);
    expect((await david.get('/jury/entries/abc')).status).toBe(404);
    const old = await ctx.db('nominations').whereNot({ edition_id: editionId }).where({ status: 'published' }).first();
    expect((await david.get(`/jury/entries/${old.id}`)).status).toBe(404);
  });
});

describe('scoring (J3)', () => {
  afterEach(beforeJudging);

  test('when judging has not opened, then a juror can read the entry and save a note, but scores are refused and nothing is stored', async () => {
    beforeJudging();
    const eva = await ctx.signIn('eva@example.org');
    const page = await eva.get(`/jury/entries/${entries[FORM]}`);
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain('Lärdomen');
    expect(text.indexOf('Lärdomen')).toBeLessThan(text.indexOf('Det här hände'));
    expect(text).toContain('Poäng kan sparas först när bedömningen har öppnat.');

    const refused = await post(eva, `/jury/entries/${entries[FORM]}`, { ...fullScores([4]), note: 'Försök', action: 'save' });
    expect(refused.status).toBe(409);
    expect(visibleText(refused.text)).toContain('Juryns bedömning är inte öppen just nu, så poäng kan inte sparas.');
    expect(await storedScores('eva', FORM)).toHaveLength(0);
    expect(await review('eva', FORM)).toBeUndefined();

    const note = await post(eva, `/jury/entries/${entries[FORM]}`, { note: 'Läs om siffrorna för kompletteringar.', action: 'save' });
    expect(note.status).toBe(303);
    expect((await review('eva', FORM)).note).toBe('Läs om siffrorna för kompletteringar.');
  });

  test('when judging is open, then the scoring page has one 1–5 control per criterion labelled with its rubric', async () => {
    intoJudging();
    const david = await ctx.signIn('david@example.org');
    const res = await david.get(`/jury/entries/${entries[FORM]}`);
    expect(res.status).toBe(200);
    for (const c of criteria) {
      for (let v = 1; v <= 5; v++) expect(res.text).toContain(`name="c${c.id}" value="${v}"`);
    }
    expect(visibleText(res.text)).toContain('Ett vardagligt försök med liten risk.');
    expect(res.text).toContain('aria-live="polite"');
    expect(res.text).toContain('/static/js/jury.js');
  });

  test('when a juror saves with JavaScript, then the scores are stored and the answer is JSON', async () => {
    intoJudging();
    const david = await ctx.signIn('david@example.org');
    const token = await david.csrf();
    const res = await david
      .post(`/jury/entries/${entries[FORM]}`)
      .set('Accept', 'application/json')
      .set('x-csrf-token', token)
      .type('form')
      .send({ [`c${criteria[0].id}`]: '4', note: 'Tydlig lärdom, bra siffror.', action: 'save' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, submitted: false, message: 'Sparat' });
    expect((await storedScores('david', FORM)).map((s) => s.value)).toEqual([4]);
    const dashboard = visibleText((await david.get('/jury')).text);
    expect(dashboard).toContain('Sparad, inte inskickad');
  });

  test('when a juror submits with a criterion missing, then the form comes back with the message and nothing is submitted', async () => {
    intoJudging();
    const david = await ctx.signIn('david@example.org');
    const res = await post(david, `/jury/entries/${entries[FORM]}`, { [`c${criteria[0].id}`]: '5', note: 'Ändrad anteckning', action: 'submit' });
    expect(res.status).toBe(422);
    const text = visibleText(res.text);
    expect(text).toContain('Något behöver rättas');
    expect(text).toContain(`Ge poäng för ${criteria[1].name_sv} innan du skickar in.`);
    expect(res.text).toContain('Ändrad anteckning'); // what was typed comes back
    expect((await review('david', FORM)).submitted_at).toBeNull();
    expect((await storedScores('david', FORM)).map((s) => s.value)).toEqual([4]);
  });

  test('when a score is outside 1–5, then it is refused and nothing changes', async () => {
    intoJudging();
    const david = await ctx.signIn('david@example.org');
    const res = await post(david, `/jury/entries/${entries[FORM]}`, { [`c${criteria[0].id}`]: '9', action: 'save' });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('Välj en poäng mellan 1 och 5.');
    expect((await storedScores('david', FORM)).map((s) => s.value)).toEqual([4]);
  });

  test('when the CSRF token is missing, then the save is refused and nothing is stored', async () => {
    intoJudging();
    const david = await ctx.signIn('david@example.org');
    const res = await david.post(`/jury/entries/${entries[NIGHT]}`).type('form').send({ ...fullScores([3]), action: 'save' });
    expect(res.status).toBe(403);
    expect(await storedScores('david', NIGHT)).toHaveLength(0);
  });

  test('when a juror submits a complete review without JavaScript, then it is submitted, audited and counted in the progress', async () => {
    intoJudging();
    const david = await ctx.signIn('david@example.org');
    const res = await post(david, `/jury/entries/${entries[FORM]}`, { ...fullScores([4, 5, 3, 4]), note: 'David: tydlig lärdom.', action: 'submit' });
    expect(res.status).toBe(303);
    expect((await review('david', FORM)).submitted_at).not.toBeNull();
    expect(await ctx.db('audit_log').where({ action: 'jury.review_submitted', actor_id: users.david, subject_id: entries[FORM] })).toHaveLength(1);
    const text = visibleText((await david.get('/jury')).text);
    expect(text).toContain('1 av 11 bedömda');
    expect(text).toContain('Inskickad');
    // Submitting twice keeps the first submission time and records it once.
    await post(david, `/jury/entries/${entries[FORM]}`, { ...fullScores([4, 5, 3, 4]), note: 'David: tydlig lärdom.', action: 'submit' });
    expect(await ctx.db('audit_log').where({ action: 'jury.review_submitted', actor_id: users.david, subject_id: entries[FORM] })).toHaveLength(1);
  });
});

describe('jäv (J4)', () => {
  afterEach(beforeJudging);

  test('when a juror scores an entry they submitted, then it is refused with 403 and nothing is stored', async () => {
    intoJudging();
    const david = await ctx.signIn('david@example.org');
    const page = await david.get(`/jury/entries/${entries[OWN_DAVID]}`);
    expect(page.status).toBe(403);
    expect(visibleText(page.text)).toContain('Du är jävig för det här bidraget');
    expect(page.text).not.toContain(`name="c${criteria[0].id}"`);
    const res = await post(david, `/jury/entries/${entries[OWN_DAVID]}`, { ...fullScores([5]), action: 'submit' });
    expect(res.status).toBe(403);
    expect(await storedScores('david', OWN_DAVID)).toHaveLength(0);
    expect(await review('david', OWN_DAVID)).toBeUndefined();
  });

  test('when a juror is named in an entry by e-mail only, then the jäv is automatic too', async () => {
    intoJudging();
    await ctx.db('nominees').insert({
      nomination_id: entries[LIBRARY],
      user_id: null,
      name: 'Eva Sjöberg',
      email: 'EVA@example.org',
      consent: 'given',
      consent_token: 'jury-test-token-eva',
      created_at: ctx.clock.now(),
    });
    const eva = await ctx.signIn('eva@example.org');
    expect((await eva.get(`/jury/entries/${entries[LIBRARY]}`)).status).toBe(403);
    expect(visibleText((await eva.get('/jury')).text)).toContain('Du är nämnd i bidraget.');
  });

  test('when a juror declares jäv without a reason, then the form asks for one and nothing is stored', async () => {
    const cecilia = await ctx.signIn('cecilia@example.org');
    const res = await post(cecilia, `/jury/entries/${entries[SOLAR]}/conflict`, { reason: '  ' });
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('Skriv varför du är jävig.');
    expect(await ctx.db('conflicts').where({ juror_id: users.cecilia })).toHaveLength(0);
  });

  test('when a juror declares jäv with a reason, then they can neither see nor score the entry, and the chair and admins see the reason', async () => {
    intoJudging();
    const eva = await ctx.signIn('eva@example.org');
    const declared = await post(eva, `/jury/entries/${entries[SOLAR]}/conflict`, { reason: 'Min bror arbetar i projektet.' });
    expect(declared.status).toBe(303);
    expect(await ctx.db('audit_log').where({ action: 'jury.conflict_declared', actor_id: users.eva })).toHaveLength(1);

    expect((await eva.get(`/jury/entries/${entries[SOLAR]}`)).status).toBe(403);
    expect((await eva.get(`/jury/entries/${entries[SOLAR]}/discussion`)).status).toBe(403);
    const res = await post(eva, `/jury/entries/${entries[SOLAR]}`, { ...fullScores([5]), action: 'save' });
    expect(res.status).toBe(403);
    expect(await storedScores('eva', SOLAR)).toHaveLength(0);

    for (const email of ['cecilia@example.org', 'admin@example.org']) {
      const agent = await ctx.signIn(email);
      expect(visibleText((await agent.get('/jury/ranking')).text)).toContain('Min bror arbetar i projektet.');
    }
    const david = await ctx.signIn('david@example.org');
    expect(visibleText((await david.get('/jury/ranking')).text)).not.toContain('Min bror arbetar i projektet.');
  });

  test('when a juror withdraws a declared jäv, then they may score again; an automatic one cannot be withdrawn', async () => {
    intoJudging();
    const eva = await ctx.signIn('eva@example.org');
    expect((await post(eva, `/jury/entries/${entries[SOLAR]}/conflict/withdraw`, {})).status).toBe(303);
    expect((await eva.get(`/jury/entries/${entries[SOLAR]}`)).status).toBe(200);
    const david = await ctx.signIn('david@example.org');
    const res = await post(david, `/jury/entries/${entries[OWN_DAVID]}/conflict/withdraw`, {});
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('Jävet är automatiskt');
  });
});

describe('independence (J5)', () => {
  afterEach(beforeJudging);

  test('when a juror has not submitted, then other jurors\' scores and notes are refused and not on the page', async () => {
    intoJudging();
    const eva = await ctx.signIn('eva@example.org');
    const discussion = await eva.get(`/jury/entries/${entries[FORM]}/discussion`);
    expect(discussion.status).toBe(403);
    expect(visibleText(discussion.text)).toContain('Du ser de andra jurymedlemmarnas poäng och anteckningar först när du har skickat in din egen bedömning av bidraget.');
    const json = await eva.get(`/jury/entries/${entries[FORM]}/discussion`).set('Accept', 'application/json');
    expect(json.status).toBe(403);
    expect(JSON.stringify(json.body)).not.toContain('David');
    const page = await eva.get(`/jury/entries/${entries[FORM]}`);
    expect(page.text).not.toContain('David: tydlig lärdom.');
    expect(visibleText(page.text)).toContain('visas här när du har skickat in din egen bedömning');
    // The ranking hides that entry's figures from her too.
    const ranking = visibleText((await eva.get('/jury/ranking')).text);
    expect(ranking).toContain('Visas när du har skickat in din bedömning');
  });

  test('when the juror has submitted, then the others\' submitted scores and notes appear', async () => {
    intoJudging();
    const eva = await ctx.signIn('eva@example.org');
    expect((await post(eva, `/jury/entries/${entries[FORM]}`, { ...fullScores([3]), note: 'Eva: bra spridning.', action: 'submit' })).status).toBe(303);
    const discussion = await eva.get(`/jury/entries/${entries[FORM]}/discussion`);
    expect(discussion.status).toBe(200);
    expect(visibleText(discussion.text)).toContain('David: tydlig lärdom.');
    expect(visibleText(discussion.text)).toContain('Har inte skickat in ännu'); // cecilia
    // Jäv on another entry does not hide a juror from this one's discussion.
    await ctx.db('conflicts').insert({ nomination_id: entries[NIGHT], juror_id: users.david, reason: 'Annat bidrag', automatic: false, created_at: ctx.clock.now() });
    expect(visibleText((await eva.get(`/jury/entries/${entries[FORM]}/discussion`)).text)).toContain('David: tydlig lärdom.');
    await ctx.db('conflicts').where({ nomination_id: entries[NIGHT], juror_id: users.david }).delete();
    const page = await eva.get(`/jury/entries/${entries[FORM]}`);
    expect(page.text).toContain('David: tydlig lärdom.');
  });
});

describe('ranking (J6)', () => {
  afterEach(beforeJudging);

  test('when jurors have submitted, then the ranking shows the weighted mean, count, spread and normalised score', async () => {
    intoJudging();
    const cecilia = await ctx.signIn('cecilia@example.org');
    await post(cecilia, `/jury/entries/${entries[FORM]}`, { ...fullScores([5]), action: 'submit' });
    await post(cecilia, `/jury/entries/${entries[APP]}`, { ...fullScores([2]), action: 'submit' });
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.get('/jury/ranking');
    const text = visibleText(res.text);
    // FORM: david (4, 5, 3, 4) with weights 1, 1.5, 1, 1 → 18.5 / 4.5 = 4.111; eva 3; cecilia 5
    // → mean 12.111 / 3 = 4,04 from 3 reviews, spread 5 − 3 = 2,00.
    const row = text.slice(text.indexOf(FORM), text.indexOf(FORM) + 120);
    expect(row).toMatch(/^Bygglovsblanketten med 47 frågor 4,04 [+−-]?\d,\d\d 3 2,00/);
    expect(text).toContain('För få bedömningar (minst 3)');
    expect(text).toContain('Skillnaden mellan det högsta och det lägsta');
  });

  test('when the ranking is sorted by title, then the links work without JavaScript and say how it is sorted', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.get('/jury/ranking?sort=title&dir=asc');
    expect(res.text).toContain('aria-sort="ascending"');
    const text = visibleText(res.text);
    expect(text.indexOf('Appen som ingen förälder')).toBeLessThan(text.indexOf('Väntrummet där ingen'));
    const desc = visibleText((await admin.get('/jury/ranking?sort=title&dir=desc')).text);
    expect(desc.indexOf('Appen som ingen förälder')).toBeGreaterThan(desc.indexOf('Väntrummet där ingen'));
    expect((await admin.get('/jury/ranking?sort=nonsense&dir=up')).status).toBe(200);
  });

  test('when voting is still open, then the people\'s votes are not shown; once it has closed, they are', async () => {
    beforeJudging();
    const admin = await ctx.signIn('admin@example.org');
    const during = await admin.get('/jury/ranking');
    expect(visibleText(during.text)).toContain('Kollegornas röster visas när röstningen har stängt.');
    expect(during.text).not.toContain('sort=votes');
    intoJudging(); // days later: a new session (an idle one ends after 8 hours)
    const after = await (await ctx.signIn('admin@example.org')).get('/jury/ranking');
    expect(after.text).toContain('sort=votes');
  });
});

describe('decision (J7)', () => {
  afterEach(beforeJudging);

  test('when a juror who is not the chair tries to decide or lock, then it is refused and nothing is stored', async () => {
    intoJudging();
    const david = await ctx.signIn('david@example.org');
    const res = await post(david, '/jury/decision', { finalist: [String(entries[FORM])], winner: String(entries[FORM]), motivation: 'Nej' });
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('Det är bara juryns ordförande som kan välja finalister och vinnare');
    const lock = await post(david, '/jury/decision/lock', { confirm: 'yes' });
    expect(lock.status).toBe(403);
    expect(await ctx.db('results').where({ edition_id: editionId })).toHaveLength(0);
    expect(await ctx.db('finalists').where({ edition_id: editionId })).toHaveLength(0);
    const admin = await ctx.signIn('admin@example.org');
    expect((await post(admin, '/jury/decision', { motivation: 'x' })).status).toBe(403);
  });

  test('when the chair picks a winner outside the finalists or too many finalists, then the form explains it', async () => {
    intoJudging();
    const cecilia = await ctx.signIn('cecilia@example.org');
    const notFinalist = await post(cecilia, '/jury/decision', { finalist: [String(entries[FORM])], winner: String(entries[APP]), motivation: '' });
    expect(notFinalist.status).toBe(422);
    expect(visibleText(notFinalist.text)).toContain('Vinnaren måste vara en av finalisterna.');
    const four = [FORM, APP, NIGHT, SOLAR].map((t) => String(entries[t]));
    const tooMany = await post(cecilia, '/jury/decision', { finalist: four, motivation: '' });
    expect(tooMany.status).toBe(422);
    expect(visibleText(tooMany.text)).toContain('Välj högst 3 finalister.');
    expect(await ctx.db('finalists').where({ edition_id: editionId })).toHaveLength(0);
  });

  test('when the chair locks an incomplete decision or without confirming, then it is refused', async () => {
    intoJudging();
    const cecilia = await ctx.signIn('cecilia@example.org');
    await post(cecilia, '/jury/decision', { finalist: [String(entries[FORM])], winner: String(entries[FORM]), motivation: '' });
    const unconfirmed = await post(cecilia, '/jury/decision/lock', {});
    expect(unconfirmed.status).toBe(422);
    expect(visibleText(unconfirmed.text)).toContain('Bekräfta att du har läst igenom beslutet');
    const incomplete = await post(cecilia, '/jury/decision/lock', { confirm: 'yes' });
    expect(incomplete.status).toBe(422);
    expect(visibleText(incomplete.text)).toContain('Välj exakt 3 finalister innan du låser.');
    expect((await ctx.db('results').where({ edition_id: editionId }).first()).locked_at).toBeNull();
  });

  test('when the chair saves finalists, winner and motivation and locks, then the result is stored, ordered, audited and exposed to the ceremony', async () => {
    intoJudging();
    const cecilia = await ctx.signIn('cecilia@example.org');
    const finalists = [NIGHT, APP, FORM].map((t) => String(entries[t]));
    const saved = await post(cecilia, '/jury/decision', { finalist: finalists, winner: String(entries[FORM]), motivation: 'Bygglovsenheten vågade ta bort frågor.' });
    expect(saved.status).toBe(303);
    const locked = await post(cecilia, '/jury/decision/lock', { confirm: 'yes' });
    expect(locked.status).toBe(303);

    const result = await jury.lockedResult(ctx.db, editionId);
    expect(result).not.toBeNull();
    expect(result!.winnerId).toBe(entries[FORM]);
    expect(result!.motivation).toBe('Bygglovsenheten vågade ta bort frågor.');
    // Ordered as the ranking: FORM (mean 4) before APP (cecilia 2) before NIGHT (no reviews).
    expect(result!.finalistIds).toEqual([entries[FORM], entries[APP], entries[NIGHT]]);
    expect(await ctx.db('audit_log').whereIn('action', ['jury.decision_saved', 'jury.result_locked']).where({ actor_id: users.cecilia })).toHaveLength(3); // two saves (one in the previous test) and the lock

    const page = visibleText((await cecilia.get('/jury/decision')).text);
    expect(page).toContain('Resultatet låstes');
    expect(page).toContain('Bygglovsenheten vågade ta bort frågor.');
  });

  test('when anything of the jury\'s is changed after the lock, then it is refused with a clear message and nothing changes', async () => {
    intoJudging();
    const before = {
      scores: await ctx.db('scores').orderBy('id'),
      reviews: await ctx.db('jury_reviews').orderBy('id'),
      conflicts: await ctx.db('conflicts').orderBy('id'),
      finalists: await ctx.db('finalists').orderBy('id'),
      results: await ctx.db('results').orderBy('edition_id'),
      members: await ctx.db('jury_members').orderBy('id'),
    };
    const david = await ctx.signIn('david@example.org');
    const cecilia = await ctx.signIn('cecilia@example.org');
    const admin = await ctx.signIn('admin@example.org');
    const attempts = [
      await post(david, `/jury/entries/${entries[FORM]}`, { ...fullScores([1]), note: 'Ändrat', action: 'save' }),
      await post(david, `/jury/entries/${entries[NIGHT]}`, { ...fullScores([1]), action: 'submit' }),
      await post(david, `/jury/entries/${entries[NIGHT]}/conflict`, { reason: 'Sent påkommet' }),
      await post(cecilia, '/jury/decision', { finalist: [String(entries[SOLAR])], winner: String(entries[SOLAR]), motivation: 'Ny' }),
      await post(cecilia, '/jury/decision/lock', { confirm: 'yes' }),
      await post(admin, '/admin/jury/members', { userId: String(users.hanna) }),
      await post(admin, `/admin/jury/members/${users.eva}/remove`, {}),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(409);
      expect(visibleText(res.text)).toContain('Juryns resultat är låst');
    }
    expect(await ctx.db('scores').orderBy('id')).toEqual(before.scores);
    expect(await ctx.db('jury_reviews').orderBy('id')).toEqual(before.reviews);
    expect(await ctx.db('conflicts').orderBy('id')).toEqual(before.conflicts);
    expect(await ctx.db('finalists').orderBy('id')).toEqual(before.finalists);
    expect(await ctx.db('results').orderBy('edition_id')).toEqual(before.results);
    expect(await ctx.db('jury_members').orderBy('id')).toEqual(before.members);
    const page = await david.get(`/jury/entries/${entries[FORM]}`);
    expect(page.text).not.toContain('Anmäl jäv</button>');
  });

  test('when an employee looks after the lock, then nothing of the result appears in pages or JSON', async () => {
    const anna = await ctx.signIn('anna@example.org');
    for (const path of ['/', '/jury/decision', '/jury/ranking', `/entries/${entries[FORM]}`, '/entries']) {
      for (const accept of ['text/html', 'application/json']) {
        const res = await anna.get(path).set('Accept', accept);
        expect(res.text).not.toContain('Bygglovsenheten vågade ta bort frågor.');
        expect(res.text).not.toContain('Viktat medel');
      }
    }
  });
});

describe('jury members (J1)', () => {
  test('when an employee tries the admin jury page, then it is refused and the jury is unchanged', async () => {
    const anna = await ctx.signIn('anna@example.org');
    expect((await anna.get('/admin/jury')).status).toBe(403);
    expect((await post(anna, '/admin/jury/members', { userId: String(users.anna) })).status).toBe(403);
    expect(await ctx.db('jury_members').where({ user_id: users.anna })).toHaveLength(0);
  });

  test('when an admin searches, adds, names the chair and removes, then the jury changes and each step is audited', async () => {
    // The current edition is locked by now; a fresh unlocked edition shows the flow.
    await ctx.db('results').where({ edition_id: editionId }).update({ locked_at: null });
    const admin = await ctx.signIn('admin@example.org');
    const page = await admin.get('/admin/jury');
    expect(page.status).toBe(200);
    expect(visibleText(page.text)).toContain('Cecilia Nordin');
    const search = await admin.get('/admin/jury?q=hanna');
    expect(visibleText(search.text)).toContain('Hanna Öst');
    expect(visibleText((await admin.get('/admin/jury?q=cecilia')).text)).toContain('Vi hittade ingen som passar');

    expect((await post(admin, '/admin/jury/members', { userId: String(users.hanna) })).status).toBe(303);
    expect((await post(admin, '/admin/jury/members', { userId: String(users.hanna) })).status).toBe(409);
    expect((await post(admin, `/admin/jury/members/${users.hanna}/chair`, {})).status).toBe(303);
    const chairs = await ctx.db('jury_members').where({ edition_id: editionId }).where('is_chair', true);
    expect(chairs.map((c) => Number(c.user_id))).toEqual([users.hanna]);
    expect((await post(admin, `/admin/jury/members/${users.hanna}/remove`, {})).status).toBe(303);
    expect(await ctx.db('jury_members').where({ edition_id: editionId, user_id: users.hanna })).toHaveLength(0);
    expect((await post(admin, `/admin/jury/members/${users.anna}/chair`, {})).status).toBe(404);
    const actions = (await ctx.db('audit_log').where('action', 'like', 'jury.%').where({ actor_id: users.admin })).map((a) => a.action);
    expect(actions).toEqual(['jury.member_added', 'jury.chair_named', 'jury.member_removed']);
    const hub = await admin.get('/admin');
    expect(hub.text).toContain('href="/admin/jury"');
  });
});
