// C7: everyone in the hall votes with the code on the slide, one vote per phone (a signed cookie),
// counted apart from the signed-in employees' votes, the code rate-limited per address; the bars can
// stay hidden from the audience until the vote closes.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { lockCurrentResult } from './ceremony-fixtures';

let ctx: TestContext;
let fixture: Awaited<ReturnType<typeof lockCurrentResult>>;
let admin: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  fixture = await lockCurrentResult(ctx.db, ctx.clock.now());
  admin = await ctx.signIn('admin@example.org');
});
afterAll(async () => {
  await ctx.close();
});

const settings = async (audience: string, hideBars = false) =>
  admin.post(`/ceremony/${fixture.year}/live/settings`).type('form').send({ _csrf: await admin.csrf(), audience, ...(hideBars ? { hideBars: '1' } : {}) });
const openPoll = async () => admin.post(`/ceremony/${fixture.year}/live/open`).set('Accept', 'application/json').type('form').send({ _csrf: await admin.csrf() });
const latestPoll = async () => ctx.db('live_polls').orderBy('id', 'desc').first();
const deviceCookie = (res: { headers: Record<string, unknown> }) => ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('live_device='));

/** A phone in the hall: not signed in, it has typed the code. */
async function phoneWithCode(code: string): Promise<Agent> {
  const phone = ctx.anonymous();
  const token = await phone.csrf(); // first: the agent sends the cookies it has when the request is made
  const res = await phone.post('/live/join').type('form').send({ _csrf: token, code });
  expect(res.status).toBe(303);
  return phone;
}

const roomVote = async (phone: Agent, nomination: number) =>
  phone.post('/live/vote').type('form').send({ _csrf: await phone.csrf(), poll: (await latestPoll()).id, nomination });

test('when the ceremony lets only employees vote, then a phone that is not signed in is sent to sign in and cannot vote', async () => {
  await openPoll();
  const phone = ctx.anonymous();
  const page = await phone.get('/live');
  expect(page.status).toBe(303);
  expect(page.headers.location).toBe('/auth/login');
  const poll = await latestPoll();
  const vote = await phone.post('/live/vote').type('form').send({ _csrf: await phone.csrf(), poll: poll.id, nomination: fixture.finalistIds[0] });
  expect(vote.status).toBe(401);
  const join = await phone.post('/live/join').type('form').send({ _csrf: await phone.csrf(), code: poll.code });
  expect(join.status).toBe(303);
  expect(deviceCookie(join)).toBeUndefined();
  expect(await ctx.db('live_votes')).toHaveLength(0);
});

test('when the admin sends an audience that does not exist, then it is refused in plain words and nothing changes', async () => {
  const res = await settings('everyone-on-earth');
  expect(res.status).toBe(400);
  expect(visibleText(res.text)).toContain('Välj vilka som får rösta.');
  expect(await ctx.db('ceremony_shows').where({ live_audience: 'everyone-on-earth' })).toHaveLength(0);
});

describe('everyone in the hall may vote', () => {
  beforeAll(async () => {
    expect((await settings('room')).status).toBe(303);
  });

  test('when the vote is open, then the code is six digits and is on the audience’s slide', async () => {
    const poll = await latestPoll();
    expect(poll.code).toMatch(/^\d{6}$/);
    await admin.post(`/ceremony/${fixture.year}/show`).type('form').send({ _csrf: await admin.csrf(), action: 'goto', slide: 'live' });
    const anna = await ctx.signIn('anna@example.org');
    const screen = visibleText((await anna.get(`/ceremony/${fixture.year}/screen`)).text);
    expect(screen).toContain(`Kod: ${poll.code.slice(0, 3)} ${poll.code.slice(3)}`);
  });

  test('when a phone types a wrong code, then it is told so in plain words, gets no cookie and cannot vote', async () => {
    const poll = await latestPoll();
    const wrong = poll.code === '123456' ? '654321' : '123456';
    const phone = ctx.anonymous();
    const page = visibleText((await phone.get('/live')).text);
    expect(page).toContain('Skriv koden');
    for (const code of [wrong, 'abc', '', '1'.repeat(500)]) {
      const res = await phone.post('/live/join').type('form').send({ _csrf: await phone.csrf(), code });
      expect(res.status).toBe(400);
      expect(visibleText(res.text)).toContain('Koden stämmer inte');
      expect(deviceCookie(res)).toBeUndefined();
    }
    expect((await roomVote(phone, fixture.finalistIds[0])).status).toBe(401);
    expect(await ctx.db('live_votes')).toHaveLength(0);
  });

  test('when phones vote with the right code, then each has one vote it can move, counted apart from the employees’ votes', async () => {
    const poll = await latestPoll();
    const one = await phoneWithCode(poll.code);
    const two = await phoneWithCode(`${poll.code.slice(0, 3)} ${poll.code.slice(3)}`); // typed with the space from the slide
    expect((await roomVote(one, fixture.finalistIds[0])).status).toBe(303);
    expect((await roomVote(one, fixture.finalistIds[1])).status).toBe(303);
    expect((await roomVote(two, fixture.finalistIds[1])).status).toBe(303);
    const bo = await ctx.signIn('bo@example.org');
    expect((await roomVote(bo, fixture.finalistIds[1])).status).toBe(303);

    const rows = await ctx.db('live_votes').orderBy('id');
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.kind === 'room')).toHaveLength(2);
    expect(rows.filter((r) => r.kind === 'employee')).toHaveLength(1);
    const counts = await admin.get(`/ceremony/${fixture.year}/live/counts`);
    const option = counts.body.options.find((o: { nominationId: number }) => o.nominationId === fixture.finalistIds[1]);
    expect(option).toEqual({ nominationId: fixture.finalistIds[1], votes: 3, employee: 1, room: 2 });
    expect(counts.body.split).toBe(true);
    const phonePage = (await one.get('/live')).text;
    expect(visibleText(/<button[^>]*aria-pressed="true"[^>]*>([\s\S]*?)<\/button>/.exec(phonePage)![1])).toContain(fixture.titles[1]);
  });

  test('when the QR code is scanned, then the code it carries lets the phone in', async () => {
    const poll = await latestPoll();
    const phone = ctx.anonymous();
    const res = await phone.get(`/live?code=${poll.code}`);
    expect(res.status).toBe(303);
    expect(deviceCookie(res)).toBeDefined();
    expect(visibleText((await phone.get('/live')).text)).toContain('Tryck på din favorit');
  });

  test('when a phone forges or copies its cookie for another poll, then the vote is refused', async () => {
    const poll = await latestPoll();
    const phone = await phoneWithCode(poll.code);
    const cookie = (phone as unknown as { jar: { getCookie(name: string, o: unknown): { value: string } } }).jar.getCookie('live_device', { domain: '127.0.0.1', path: '/', secure: false, script: false });
    const [device, pollId, sig] = cookie.value.split('.');
    const before = await ctx.db('live_votes').count({ n: '*' });
    for (const forged of [`other${device}.${pollId}.${sig}`, `${device}.${Number(pollId) + 1}.${sig}`, `${device}.${pollId}.${sig.slice(1)}x`, 'garbage']) {
      const intruder = ctx.anonymous();
      const token = await intruder.csrf();
      const res = await intruder.post('/live/vote').set('Cookie', `live_device=${forged}`).type('form').send({ _csrf: token, poll: poll.id, nomination: fixture.finalistIds[2] });
      expect([401, 403]).toContain(res.status);
    }
    expect(await ctx.db('live_votes').count({ n: '*' })).toEqual(before);
  });

  test('when the bars are hidden until the close, then the audience gets the total only, the presenter every count, and everyone the bars after the close', async () => {
    await settings('room', true);
    const anna = await ctx.signIn('anna@example.org');
    const screen = await anna.get(`/ceremony/${fixture.year}/screen`);
    expect(screen.text).toMatch(/<p class="live-slide__hidden-note">/);
    expect(screen.text).toContain('chart--hidden');
    expect(screen.text).not.toMatch(/<span class="chart__count">[1-9]/);
    const presenter = await admin.get(`/ceremony/${fixture.year}/live/counts`);
    expect(presenter.body.hidden).toBe(false);
    expect(presenter.body.options).toHaveLength(3);
    // Votes per kind of voter, from the vote rows while open and from the tallies after the close.
    const byKind = async (table: 'live_votes' | 'live_vote_tallies') => {
      const q = ctx.db(table).groupBy('kind').select('kind');
      const rows = (await (table === 'live_votes' ? q.count({ n: '*' }) : q.sum({ n: 'votes' }))) as Array<{ kind: string; n: number | string }>;
      return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
    };
    const countsBefore = await byKind('live_votes');
    expect(countsBefore.room).toBeGreaterThan(0);
    await admin.post(`/ceremony/${fixture.year}/live/close`).type('form').send({ _csrf: await admin.csrf() });
    const after = (await anna.get(`/ceremony/${fixture.year}/screen`)).text;
    expect(after).toMatch(/<p class="live-slide__hidden-note" hidden>/);
    expect(after).not.toContain('chart--hidden');
    expect(visibleText(after)).toContain('Så röstade publiken');
    // Without JavaScript the projector still shows the numbers.
    expect(after).toMatch(new RegExp(`data-nomination="${fixture.finalistIds[1]}"[\\s\\S]*?<span class="chart__count">3</span>`));
    // The secret ballot (V4): after the close no vote row is left, only tallies, the hall's apart (C7).
    expect(await ctx.db('live_votes')).toHaveLength(0);
    expect(await byKind('live_vote_tallies')).toEqual(countsBefore);
  });

  test('when a closed poll’s code is typed, then the phone is told the vote is closed', async () => {
    const poll = await latestPoll();
    const phone = ctx.anonymous();
    const token = await phone.csrf();
    const res = await phone.post('/live/join').type('form').send({ _csrf: token, code: poll.code });
    expect(res.status).toBe(400);
    expect(visibleText(res.text)).toContain('Omröstningen är stängd');
  });

  test('when one address guesses codes again and again, then it is stopped, while a hall behind the same address still gets in', async () => {
    await openPoll();
    const poll = await latestPoll();
    const phone = ctx.anonymous();
    const token = await phone.csrf();
    // A full hall behind one address: the right code never counts against it.
    for (let i = 0; i < 350; i++) {
      expect((await phone.post('/live/join').type('form').send({ _csrf: token, code: poll.code })).status).toBe(303);
    }
    const wrong = (i: number) => String((Number(poll.code) + 1 + i) % 1_000_000).padStart(6, '0');
    let status = 0;
    let tries = 0;
    while (status !== 429 && tries < 400) {
      status = (await phone.post('/live/join').type('form').send({ _csrf: token, code: wrong(tries) })).status;
      tries += 1;
    }
    expect(status).toBe(429);
    expect(tries).toBeGreaterThan(290); // the earlier wrong codes from this address count too
    expect(tries).toBeLessThanOrEqual(301);
    expect(visibleText((await phone.post('/live/join').type('form').send({ _csrf: token, code: poll.code })).text)).toContain('För många försök');
  });
});
