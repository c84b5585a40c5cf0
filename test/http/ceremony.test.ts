// The ceremony over HTTP (C1–C3, C6, C8): who may open which view, the show's moves and what the
// audience's stream carries before and after the reveal, the confirmed reveal and the rehearsal.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { cookieOf, listen, readEvents } from '../helpers/sse';
import { currentYear, lockCurrentResult, MOTIVATION } from './ceremony-fixtures';

let ctx: TestContext;
let year: number;
beforeAll(async () => {
  ctx = await createTestContext();
  year = await currentYear(ctx.db);
});
afterAll(async () => {
  await ctx.close();
});

const revealedAt = async () => (await ctx.db('editions').where({ year }).first()).revealed_at;
const show = async () => ctx.db('ceremony_shows').first();
/** This year's locked result (the seed has last year's too). */
const currentResult = async () => ctx.db('results').where({ edition_id: (await ctx.db('editions').where({ year }).first()).id }).first();
const move = async (agent: Agent, body: Record<string, string>) =>
  agent.post(`/ceremony/${year}/show`).set('Accept', 'application/json').type('form').send({ _csrf: await agent.csrf(), ...body });

describe('before the jury has locked the result', () => {
  test('when an admin opens the presenter view, then it says clearly that the result is not locked and offers the rehearsal', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.get(`/ceremony/${year}`);
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Juryn har inte låst resultatet');
    expect(text).toContain('Starta repetitionen');
  });

  test('when the chair confirms the reveal, then it is refused and nothing is published', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const res = await chair.post(`/ceremony/${year}/reveal`).type('form').send({ _csrf: await chair.csrf(), confirm: 'yes' });
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('Resultatet kan inte offentliggöras förrän juryn har låst det.');
    expect(await revealedAt()).toBeNull();
  });
});

describe('with a locked result, before the reveal', () => {
  let fixture: Awaited<ReturnType<typeof lockCurrentResult>>;
  beforeAll(async () => {
    fixture = await lockCurrentResult(ctx.db, ctx.clock.now());
  });

  test.each(['anna@example.org', 'david@example.org'])('when %s (employee or juror, not chair) opens the presentation, then they are sent to the audience view, and the deck, its counts and its chart stream are refused', async (email) => {
    const agent = await ctx.signIn(email);
    const page = await agent.get(`/ceremony/${year}`);
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe(`/ceremony/${year}/screen`);
    const screen = await agent.get(`/ceremony/${year}/screen`);
    expect(screen.status).toBe(200);
    expect(screen.text).not.toContain(MOTIVATION);
    expect(screen.text).not.toMatch(/slide--winner|slide--citation/);
    expect((await agent.get(`/ceremony/${year}/slides`)).status).toBe(403);
    const json = await agent.get(`/ceremony/${year}/live/counts`).set('Accept', 'application/json');
    expect(json.status).toBe(403);
    expect(JSON.stringify(json.body)).not.toMatch(/nominationId/);
    expect((await agent.get(`/ceremony/${year}/live/stream`).set('Accept', 'text/event-stream')).status).toBe(403);
  });

  test('when the chair opens the presenter view, then it shows the slide on screen and the next one, the notes, the neutral order and the controls, with no external resource', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const res = await chair.get(`/ceremony/${year}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const text = visibleText(res.text);
    expect(text).toContain('Visas nu: Välkommen');
    expect(text).toContain('Nästa bild: Idén med priset');
    expect(text).toContain('Finalisterna visas i bokstavsordning');
    expect(text).toContain('Hälsa alla välkomna');
    expect(res.text).toContain('id="clock"');
    for (const title of fixture.titles) expect(text).toContain(`Finalist: ${title}`);
    const urls = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
  });

  test('when the chair pages through the deck, then the finalists come in alphabetical order, not the jury’s', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const res = await chair.get(`/ceremony/${year}/slides`);
    const shown = [...res.text.matchAll(/data-key="finalist-\d"[\s\S]*?<h1>([^<]+)<\/h1>/g)].map((m) => m[1]);
    expect(shown).toEqual([...fixture.titles].sort((a, b) => a.localeCompare(b, 'sv')));
    expect(res.text).toContain('Vi belönar lärdomen – inte misstaget');
    expect(res.text).toMatch(/<img class="live-slide__qr" src="data:image\/svg\+xml;base64,/);
  });

  test("when colleagues have voted and voting has closed, then the people's choice slide names the entry with the most votes and its count", async () => {
    const users = await ctx.db('users').whereIn('email', ['anna@example.org', 'bo@example.org']).select('id');
    for (const u of users) {
      await ctx.db('votes').insert({ edition_id: fixture.editionId, nomination_id: fixture.finalistIds[2], voter_id: u.id, slot: 1, created_at: ctx.clock.now() });
    }
    const chair = await ctx.signIn('cecilia@example.org');
    // V3: while voting is open, no counts, so no people's choice slide.
    expect((await chair.get(`/ceremony/${year}/slides`)).text).not.toContain('slide--peoples-choice');
    await ctx.db('editions').where({ id: fixture.editionId }).update({ voting_override: 'closed' });
    const res = await chair.get(`/ceremony/${year}/slides`);
    const slide = /<div class="slide slide--peoples-choice[\s\S]*?<\/section>/.exec(res.text);
    expect(slide).not.toBeNull();
    const text = visibleText(slide![0]);
    expect(text).toContain('Kollegornas röst');
    expect(text).toContain(fixture.titles[2]);
    expect(text).toContain('2 röster');
  });

  test('when the chair asks the deck for the winner slide by number before the reveal, then the drumroll slide is shown instead and there is no way on', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const first = await chair.get(`/ceremony/${year}/slides`);
    const total = Number(/data-total="(\d+)"/.exec(first.text)![1]);
    const res = await chair.get(`/ceremony/${year}/slides?slide=${total}`);
    expect(res.text).toContain(`data-current="${total - 2}"`);
    // The drumroll's own navigation has no "next".
    const drumroll = new RegExp(`<section class="deck__slide" id="slide-${total - 2}"[\\s\\S]*?</section>`).exec(res.text)![0];
    expect(drumroll).not.toContain('rel="next"');
  });

  test('without JavaScript, when someone follows "next" in the deck, then each slide is its own page with links back and forth', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.get(`/ceremony/${year}/slides?slide=3`);
    expect(res.text).toContain(`href="/ceremony/${year}/slides?slide=2"`);
    expect(res.text).toContain(`href="/ceremony/${year}/slides?slide=4"`);
    expect(res.text).not.toMatch(/id="slide-3"[^>]*hidden/);
  });

  test('when the presenter sends an unknown move or a slide that does not exist, then it is refused in plain words and the show stays', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const before = await show();
    const bad = await chair.post(`/ceremony/${year}/show`).type('form').send({ _csrf: await chair.csrf(), action: 'explode' });
    expect(bad.status).toBe(400);
    expect(visibleText(bad.text)).toContain('Det gick inte att förstå vad som skulle hända');
    const nowhere = await move(chair, { action: 'goto', slide: 'finalist-99' });
    expect(nowhere.body).toEqual({ moved: false });
    expect(await show()).toEqual(before);
  });

  test('when an employee tries to move the show, to reveal or to rehearse, then it is refused and nothing changes', async () => {
    const anna = await ctx.signIn('anna@example.org');
    expect((await move(anna, { action: 'next' })).status).toBe(403);
    expect((await anna.post(`/ceremony/${year}/reveal`).type('form').send({ _csrf: await anna.csrf(), confirm: 'yes' })).status).toBe(403);
    expect((await anna.post(`/ceremony/${year}/rehearsal`).type('form').send({ _csrf: await anna.csrf(), on: '1' })).status).toBe(403);
    expect(await revealedAt()).toBeNull();
  });

  test('when the reveal is posted without a CSRF token, then it is refused', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const res = await chair.post(`/ceremony/${year}/reveal`).type('form').send({ confirm: 'yes' });
    expect(res.status).toBe(403);
    expect(await revealedAt()).toBeNull();
  });

  test('when the archive is read before the reveal, then the current edition and its result are not there', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get('/archive');
    expect(res.text).not.toContain(`Årets misstag ${year}<`);
    expect((await anna.get(`/archive/${year}`)).status).toBe(404);
  });

  test('when the presenter rehearses, then the audience sees placeholder names, the placeholder winner after the confirmation, and nothing is published', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const anna = await ctx.signIn('anna@example.org');
    const token = await chair.csrf();
    expect((await chair.post(`/ceremony/${year}/rehearsal`).type('form').send({ _csrf: token, on: '1' })).status).toBe(303);
    const presenter = visibleText((await chair.get(`/ceremony/${year}`)).text);
    expect(presenter).toContain('Repetition pågår');
    expect(presenter).toContain('Finalist: Exempelbidrag A');
    for (const title of fixture.titles) expect(presenter).not.toContain(title);
    await move(chair, { action: 'goto', slide: 'drumroll' });
    expect((await move(chair, { action: 'next' })).body).toEqual({ moved: false });
    const reveal = await chair.post(`/ceremony/${year}/reveal`).set('Accept', 'application/json').type('form').send({ _csrf: token, confirm: 'yes' });
    expect(reveal.body).toEqual({ revealed: false, rehearsal: true });
    const screen = visibleText((await anna.get(`/ceremony/${year}/screen`)).text);
    expect(screen).toContain('Exempelbidrag B');
    expect(screen).toContain('Kollega 3 och Kollega 4');
    expect(await revealedAt()).toBeNull();
    expect(await ctx.db('audit_log').where({ action: 'ceremony.reveal' })).toHaveLength(0);
    await chair.post(`/ceremony/${year}/rehearsal`).type('form').send({ _csrf: token, on: '0' });
    expect(await show()).toMatchObject({ slide_key: 'title' });
    expect(visibleText((await anna.get(`/ceremony/${year}/screen`)).text)).not.toContain('Exempelbidrag');
  });
});

describe('the reveal', () => {
  test('when colleagues follow from their desk, then their stream never carries the winner before the confirmed reveal, and carries it right after', async () => {
    const server = await listen(ctx);
    const chair = await ctx.signIn('cecilia@example.org');
    const anna = await ctx.signIn('anna@example.org');
    const winner = await currentResult();
    const winnerTitle = (await ctx.db('nominations').where({ id: winner.winner_nomination_id }).first()).title;
    const desk = readEvents(server.port, `/ceremony/${year}/screen/stream`, cookieOf(anna));
    try {
      expect(await desk.status).toBe(200);
      await desk.waitFor((events) => events.some((e) => e.event === 'slide'));
      // The presenter walks the whole show to the drumroll, tries the next slide, asks for the winner's
      // and the citation's slides by key and posts the reveal without its confirmation.
      for (let i = 0; i < 12; i++) await move(chair, { action: 'next' });
      expect(await show()).toMatchObject({ slide_key: 'drumroll' });
      expect((await move(chair, { action: 'goto', slide: 'winner' })).body).toEqual({ moved: false });
      expect((await move(chair, { action: 'goto', slide: 'citation' })).body).toEqual({ moved: false });
      const bare = await chair.post(`/ceremony/${year}/reveal`).type('form').send({ _csrf: await chair.csrf() });
      expect(bare.status).toBe(303);
      expect(bare.headers.location).toBe(`/ceremony/${year}#reveal`);
      expect(visibleText((await chair.get(`/ceremony/${year}`)).text)).toContain('Kryssa i rutan ”Ja, visa vinnaren nu”');
      const json = await chair.post(`/ceremony/${year}/reveal`).set('Accept', 'application/json').type('form').send({ _csrf: await chair.csrf(), confirm: 'on' });
      expect(json.status).toBe(400);
      expect(await revealedAt()).toBeNull();
      await desk.waitFor((events) => events.some((e) => e.event === 'slide' && JSON.parse(e.data).kind === 'drumroll'));
      await new Promise((r) => setTimeout(r, 300));
      const before = desk.raw();
      expect(before).not.toContain(MOTIVATION);
      expect(before).not.toMatch(/slide--winner|slide--citation|går till/);
      expect(before).not.toContain('"kind":"winner"');

      // The confirmed reveal: the winner's slide reaches the desk.
      const res = await chair.post(`/ceremony/${year}/reveal`).type('form').send({ _csrf: await chair.csrf(), confirm: 'yes' });
      expect(res.status).toBe(303);
      const events = await desk.waitFor((all) => all.some((e) => e.event === 'slide' && JSON.parse(e.data).kind === 'winner'));
      const slide = JSON.parse(events.find((e) => e.event === 'slide' && JSON.parse(e.data).kind === 'winner')!.data);
      expect(visibleText(slide.html)).toContain(winnerTitle);
      expect(slide.html).toContain('aria-hidden="true"'); // the confetti is decoration
      expect(slide.html).toContain('data-announce="Vinnaren är');
    } finally {
      desk.close();
      await server.stop();
    }
  });

  test('when the chair reveals a second time (a double click), then the edition stays revealed once and is audited once', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const again = await chair.post(`/ceremony/${year}/reveal`).set('Accept', 'application/json').type('form').send({ _csrf: await chair.csrf(), confirm: 'yes' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ revealed: true, rehearsal: false });
    expect(await revealedAt()).not.toBeNull();
    expect(await ctx.db('audit_log').where({ action: 'ceremony.reveal' })).toHaveLength(1);
  });

  test('after the reveal, the winner slide names only the people who agreed to be named, and the citation has a slide of its own', async () => {
    const result = await currentResult();
    const given = 'Greta Godkänd';
    const declined = 'Nils Nekade';
    const pending = 'Vera Väntar';
    for (const [name, consent] of [[given, 'given'], [declined, 'declined'], [pending, 'pending']]) {
      await ctx.db('nominees').insert({ nomination_id: result.winner_nomination_id, name, email: `${consent}@example.org`, consent, consent_token: `token-${consent}-${Date.now()}`, created_at: ctx.clock.now() });
    }
    const chair = await ctx.signIn('cecilia@example.org');
    const anna = await ctx.signIn('anna@example.org');
    const winnerSlide = visibleText((await anna.get(`/ceremony/${year}/screen`)).text);
    expect(winnerSlide).toContain(given);
    expect(winnerSlide).not.toContain(declined);
    expect(winnerSlide).not.toContain(pending);
    expect(winnerSlide).not.toContain(MOTIVATION);
    await move(chair, { action: 'next' });
    const citation = visibleText((await anna.get(`/ceremony/${year}/screen`)).text);
    expect(citation).toContain(MOTIVATION);
    expect(citation).toContain('Juryns motivering');
  });

  test('after the reveal, when an employee opens the presentation, then they replay the deck but cannot run it', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get(`/ceremony/${year}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/ceremony/${year}/slides`);
    const deck = await anna.get(res.headers.location);
    expect(deck.text).toContain(MOTIVATION);
    expect(deck.text).not.toContain('/live/open');
    expect((await anna.post(`/ceremony/${year}/live/open`).type('form').send({ _csrf: await anna.csrf() })).status).toBe(403);
  });

  test('after the reveal, the home page and the entry page show the winner with the citation', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const result = await currentResult();
    const winner = await ctx.db('nominations').where({ id: result.winner_nomination_id }).first();
    const home = visibleText((await anna.get('/')).text);
    expect(home).toContain(winner.title);
    expect(home).toContain(MOTIVATION);
    // The winner and the citation lead: before the edition card (and any tasks).
    expect(home.indexOf(MOTIVATION)).toBeLessThan(home.indexOf('Vinnaren är utsedd'));
    expect(home.indexOf(winner.title)).toBeLessThan(home.indexOf('Vinnaren är utsedd'));
    const entry = visibleText((await anna.get(`/entries/${winner.id}`)).text);
    expect(entry).toContain(MOTIVATION);
    const other = await ctx.db('finalists').where({ edition_id: result.edition_id }).whereNot({ nomination_id: winner.id }).first();
    expect(visibleText((await anna.get(`/entries/${other.nomination_id}`)).text)).not.toContain(MOTIVATION);
  });

  test("after the reveal, when an employee reads the archive, then the winner, the finalists and the colleagues' choice are there, without counts", async () => {
    const anna = await ctx.signIn('anna@example.org');
    const edition = await ctx.db('editions').where({ year }).first();
    const result = await ctx.db('results').where({ edition_id: edition.id }).first();
    const winner = await ctx.db('nominations').where({ id: result.winner_nomination_id }).first();
    const index = visibleText((await anna.get('/archive')).text);
    expect(index).toContain(`Årets misstag ${year}`);
    expect(index).toContain(winner.title);
    const page = await anna.get(`/archive/${year}`);
    expect(page.status).toBe(200);
    const text = visibleText(page.text);
    expect(text).toContain(MOTIVATION);
    // The colleagues' choice is named; no count stands beside a colleague's lesson (V3).
    expect(text).toContain('Kollegornas röst');
    expect(text).not.toMatch(/Röster/);
    expect(page.text).toContain(`href="/entries/${winner.id}"`);
  });

  test('after the reveal, a rehearsal can no longer be started', async () => {
    const chair = await ctx.signIn('cecilia@example.org');
    const res = await chair.post(`/ceremony/${year}/rehearsal`).type('form').send({ _csrf: await chair.csrf(), on: '1' });
    expect(res.status).toBe(409);
    expect(Boolean((await show()).rehearsal)).toBe(false);
  });

  test('when a year has no edition, then the presentation is 404', async () => {
    const admin = await ctx.signIn('admin@example.org');
    expect((await admin.get('/ceremony/1999')).status).toBe(404);
    expect((await admin.get('/ceremony/abc')).status).toBe(404);
    expect((await admin.get('/ceremony/1999/screen')).status).toBe(404);
  });
});
