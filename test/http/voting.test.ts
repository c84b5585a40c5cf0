// People's-choice voting over HTTP (SPEC V1, V2, V5): casting, withdrawing and moving votes, the
// refusals, and the budget under concurrent requests.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import * as voting from '../../src/voting/service';

let ctx: TestContext;
let editionId: number;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  ctx = await createTestContext();
  editionId = Number((await ctx.db('editions').orderBy('year', 'desc').first('id')).id);
});
afterAll(async () => {
  await ctx.close();
});
beforeEach(async () => {
  await ctx.db('votes').where({ edition_id: editionId }).del();
  await ctx.db('editions').where({ id: editionId }).update({ vote_budget: 3, voting_override: null });
});

async function entryId(title: string): Promise<number> {
  const row = await ctx.db('nominations').where({ edition_id: editionId }).andWhere('title', 'like', `${title}%`).first('id');
  if (!row) throw new Error(`no entry ${title}`);
  return Number(row.id);
}

async function userId(email: string): Promise<number> {
  return Number((await ctx.db('users').where({ email }).first('id')).id);
}

async function votesOf(email: string): Promise<number[]> {
  const rows = await ctx.db('votes').where({ voter_id: await userId(email) }).orderBy('slot').select('nomination_id');
  return rows.map((r) => Number(r.nomination_id));
}

async function post(agent: Agent, path: string, fields: Record<string, string | number> = {}) {
  const token = await agent.csrf();
  return agent.post(path).type('form').send({ _csrf: token, ...fields });
}

async function postJson(agent: Agent, path: string, fields: Record<string, string | number> = {}) {
  const token = await agent.csrf();
  return agent.post(path).set('x-csrf-token', token).set('Accept', 'application/json').type('form').send(fields);
}

/** A user of the demo tenant, so the demo sign-in accepts them. */
async function createUsers(prefix: string, n: number): Promise<string[]> {
  const now = ctx.clock.now();
  const rows = Array.from({ length: n }, (_, i) => ({
    tenant_id: 'demo',
    object_id: `${prefix}-${i}`,
    email: `${prefix}${i}@example.org`,
    name: `${prefix} ${i}`,
    department: 'Miljöförvaltningen',
    is_admin: false,
    created_at: now,
  }));
  await ctx.db.batchInsert('users', rows, 100);
  return rows.map((r) => r.email);
}

describe('casting a vote', () => {
  test('when bo votes for a colleague’s entry without JavaScript, then the vote is stored and he sees a confirmation and his panel', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const target = await entryId('Nattpatrullen');
    const res = await post(bo, '/votes', { entry: target, returnTo: '/votes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/votes');
    expect(await votesOf('bo@example.org')).toEqual([target]);

    const page = await bo.get('/votes');
    const text = visibleText(page.text);
    expect(text).toContain('Tack! Din röst på ”Nattpatrullen som körde i cirklar” är registrerad. Du har använt 1 av 3 röster.');
    expect(text).toContain('Du har använt 1 av 3 röster.');
    expect(page.text).toContain(`href="/entries/${target}"`);
    // The confirmation is shown once.
    expect(visibleText((await bo.get('/votes')).text)).not.toContain('Tack!');
  });

  test('when a background request reads the session between a vote and the next page, then the page still shows the confirmation', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const target = await entryId('Solcellerna');
    const token = await bo.csrf();
    expect((await post(bo, '/votes', { entry: target, returnTo: '/votes' })).status).toBe(303);
    // e.g. the jury's autosave or a fetch from another tab, answered with JSON
    await bo.get('/votes').set('Accept', 'application/json');
    await bo.post('/votes').set('Accept', 'application/json').set('x-csrf-token', token).type('form').send({ entry: target });
    expect(visibleText((await bo.get('/votes')).text)).toContain('Tack! Din röst på ”Solcellerna');
  });

  test('when the vote is sent with fetch, then the answer is JSON with the voter’s own votes and no counts', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const target = await entryId('Solcellerna');
    const res = await postJson(bo, '/votes', { entry: target });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.message).toContain('Din röst på ”Solcellerna på fel tak” är registrerad');
    expect(res.body.voting).toEqual({ open: true, budget: 3, used: 1, votes: [{ id: target, title: 'Solcellerna på fel tak', href: `/entries/${target}` }] });
    expect(JSON.stringify(res.body)).not.toMatch(/count/i);
  });

  test('when a colleague votes twice for the same entry, then the second vote is refused with 409 and one vote remains', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const target = await entryId('Nattpatrullen');
    await post(bo, '/votes', { entry: target });
    const again = await post(bo, '/votes', { entry: target });
    expect(again.status).toBe(409);
    expect(visibleText(again.text)).toContain('Du har redan röstat på det här bidraget.');
    expect(await votesOf('bo@example.org')).toEqual([target]);
  });

  test('when bo votes for an entry he submitted, then it is refused with a clear message and nothing is stored', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const res = await post(bo, '/votes', { entry: await entryId('Bygglovsblanketten') });
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('Du kan inte rösta på ett bidrag som du har skickat in eller är nämnd i.');
    expect(await votesOf('bo@example.org')).toEqual([]);
  });

  test('when bo votes for an entry he is named in, then it is refused and nothing is stored', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const res = await postJson(bo, '/votes', { entry: await entryId('Appen som ingen') });
    expect(res.status).toBe(403);
    expect(res.body.error).toContain('nämnd i');
    expect(await votesOf('bo@example.org')).toEqual([]);
  });

  test('when someone is named by e-mail only (no user link yet), then they still cannot vote for the entry', async () => {
    const target = await entryId('Nattpatrullen');
    await ctx.db('nominees').insert({ nomination_id: target, user_id: null, name: 'Eva', email: 'EVA@example.org', consent: 'given', consent_token: 'eva-token-voting-test', created_at: ctx.clock.now() });
    try {
      const eva = await ctx.signIn('eva@example.org');
      const res = await post(eva, '/votes', { entry: target });
      expect(res.status).toBe(403);
      expect(await votesOf('eva@example.org')).toEqual([]);
    } finally {
      await ctx.db('nominees').where({ consent_token: 'eva-token-voting-test' }).del();
    }
  });

  test('when someone votes for an entry that is not published, then it is refused with a clear message and nothing is stored', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await post(anna, '/votes', { entry: await entryId('Utställningen som ingen') });
    expect(res.status).toBe(404);
    expect(visibleText(res.text)).toContain('Det går bara att rösta på publicerade bidrag i årets omgång.');
    expect(await votesOf('anna@example.org')).toEqual([]);
  });

  test('when someone votes for last year’s entry, an unknown id or a non-number, then it is refused and nothing is stored', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const old = await ctx.db('nominations').whereNot({ edition_id: editionId }).first('id');
    for (const id of [String(old.id), '999999', 'abc', '1e3']) {
      const res = await post(anna, '/votes', { entry: id });
      expect(res.status).toBe(404);
    }
    expect(await ctx.db('votes').where({ voter_id: await userId('anna@example.org') }).count({ n: '*' })).toEqual([{ n: ctx.isPostgres ? '0' : 0 }]);
  });

  test('when the budget is used, then one more vote is refused with 409 "Du har använt alla dina röster" and nothing changes', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const targets = [await entryId('Bygglovsblanketten'), await entryId('Nattpatrullen'), await entryId('Solcellerna')];
    for (const t of targets) expect((await post(anna, '/votes', { entry: t })).status).toBe(303);
    const res = await post(anna, '/votes', { entry: await entryId('Biblioteksevenemanget') });
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('Du har använt alla dina röster');
    expect(await votesOf('anna@example.org')).toEqual(targets);
  });

  test('when voting has closed, then a direct POST is refused with a clear message and nothing is stored', async () => {
    const target = await entryId('Nattpatrullen');
    const now = ctx.clock.now();
    ctx.clock.advance(21 * DAY + 60_000);
    try {
      const anna = await ctx.signIn('anna@example.org');
      const res = await post(anna, '/votes', { entry: target });
      expect(res.status).toBe(409);
      expect(visibleText(res.text)).toContain('Röstningen är inte öppen just nu');
    } finally {
      ctx.clock.set(now);
    }
    expect(await votesOf('anna@example.org')).toEqual([]);
  });

  test('when an admin has closed voting early, then votes are refused', async () => {
    await ctx.db('editions').where({ id: editionId }).update({ voting_override: 'closed' });
    const anna = await ctx.signIn('anna@example.org');
    const res = await postJson(anna, '/votes', { entry: await entryId('Nattpatrullen') });
    expect(res.status).toBe(409);
    expect(res.body.error).toContain('Röstningen är inte öppen just nu');
    expect(await votesOf('anna@example.org')).toEqual([]);
  });

  test('when the CSRF token is missing, then the vote is refused with 403 and nothing is stored', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.post('/votes').type('form').send({ entry: await entryId('Nattpatrullen') });
    expect(res.status).toBe(403);
    expect(await votesOf('anna@example.org')).toEqual([]);
  });

  test('when a signed-out script posts a vote, then it gets 401', async () => {
    const anonymous = ctx.anonymous();
    const token = await anonymous.csrf();
    const res = await anonymous.post('/votes').set('x-csrf-token', token).set('Accept', 'application/json').type('form').send({ entry: await entryId('Nattpatrullen') });
    expect(res.status).toBe(401);
    expect(await ctx.db('votes').where({ edition_id: editionId }).count({ n: '*' }).then(([r]) => Number(r.n))).toBe(0);
  });

  test('when the return address points elsewhere, then the redirect stays on the site', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await post(anna, '/votes', { entry: await entryId('Nattpatrullen'), returnTo: '//evil.example.com/x' });
    expect(res.headers.location).toBe('/');
  });
});

describe('withdrawing and moving', () => {
  test('when bo withdraws his vote, then it is gone and his panel says so', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const target = await entryId('Nattpatrullen');
    await post(bo, '/votes', { entry: target });
    const res = await post(bo, '/votes/withdraw', { entry: target, returnTo: '/votes' });
    expect(res.status).toBe(303);
    expect(await votesOf('bo@example.org')).toEqual([]);
    const text = visibleText((await bo.get('/votes')).text);
    expect(text).toContain('Du har tagit tillbaka din röst på ”Nattpatrullen som körde i cirklar”.');
    expect(text).toContain('Du har använt 0 av 3 röster.');
    expect(text).toContain('Du har inte röstat ännu.');
  });

  test('when someone withdraws a vote they do not have, then it is refused and other people’s votes stay', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const anna = await ctx.signIn('anna@example.org');
    const target = await entryId('Nattpatrullen');
    await post(anna, '/votes', { entry: target });
    const res = await post(bo, '/votes/withdraw', { entry: target });
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('Du har ingen röst på det bidraget.');
    expect(await votesOf('anna@example.org')).toEqual([target]);
  });

  test('when bo moves his vote, then it leaves one entry and lands on the other in one step', async () => {
    await ctx.db('editions').where({ id: editionId }).update({ vote_budget: 1 });
    const bo = await ctx.signIn('bo@example.org');
    const from = await entryId('Nattpatrullen');
    const to = await entryId('Solcellerna');
    await post(bo, '/votes', { entry: from });
    const res = await post(bo, '/votes/move', { from, to, returnTo: '/votes' });
    expect(res.status).toBe(303);
    expect(await votesOf('bo@example.org')).toEqual([to]);
    expect(visibleText((await bo.get('/votes')).text)).toContain('Din röst är flyttad från ”Nattpatrullen som körde i cirklar” till ”Solcellerna på fel tak”.');
  });

  test('when bo tries to move his vote to his own entry, then nothing changes', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const from = await entryId('Nattpatrullen');
    await post(bo, '/votes', { entry: from });
    const res = await post(bo, '/votes/move', { from, to: await entryId('Cykelbanan') });
    expect(res.status).toBe(403);
    expect(await votesOf('bo@example.org')).toEqual([from]);
  });

  test('when a move names a vote that is not his, then nothing changes', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const res = await post(bo, '/votes/move', { from: await entryId('Nattpatrullen'), to: await entryId('Solcellerna') });
    expect(res.status).toBe(409);
    expect(await votesOf('bo@example.org')).toEqual([]);
  });

  test('when voting has closed, then votes can no longer be withdrawn or moved', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const from = await entryId('Nattpatrullen');
    await post(bo, '/votes', { entry: from });
    await ctx.db('editions').where({ id: editionId }).update({ voting_override: 'closed' });
    expect((await post(bo, '/votes/withdraw', { entry: from })).status).toBe(409);
    expect((await post(bo, '/votes/move', { from, to: await entryId('Solcellerna') })).status).toBe(409);
    expect(await votesOf('bo@example.org')).toEqual([from]);
  });

  test('when a slot is freed by withdrawing, then the next vote takes it and the budget still holds', async () => {
    await ctx.db('editions').where({ id: editionId }).update({ vote_budget: 2 });
    const bo = await ctx.signIn('bo@example.org');
    const [a, b, c] = [await entryId('Nattpatrullen'), await entryId('Solcellerna'), await entryId('Biblioteksevenemanget')];
    await post(bo, '/votes', { entry: a });
    await post(bo, '/votes', { entry: b });
    await post(bo, '/votes/withdraw', { entry: a });
    expect((await post(bo, '/votes', { entry: c })).status).toBe(303);
    // The confirmation counts the votes in use after this one: the freed slot 1 and slot 2.
    expect(visibleText((await bo.get('/votes')).text)).toContain('är registrerad. Du har använt 2 av 2 röster.');
    expect((await post(bo, '/votes', { entry: a })).status).toBe(409);
    const slots = await ctx.db('votes').where({ voter_id: await userId('bo@example.org') }).orderBy('slot').select('slot', 'nomination_id');
    expect(slots.map((s) => [Number(s.slot), Number(s.nomination_id)])).toEqual([[1, c], [2, b]]);
  });

  test('when the budget is 1, then the confirmations say "av 1 röst", not "av 1 röster"', async () => {
    await ctx.db('editions').where({ id: editionId }).update({ vote_budget: 1 });
    const bo = await ctx.signIn('bo@example.org');
    const target = await entryId('Nattpatrullen');
    expect((await post(bo, '/votes', { entry: target, returnTo: '/votes' })).status).toBe(303);
    const text = visibleText((await bo.get('/votes')).text);
    expect(text).toContain('Tack! Din röst på ”Nattpatrullen som körde i cirklar” är registrerad. Du har använt 1 av 1 röst.');
    expect(text).not.toContain('röster.');
    const res = await postJson(bo, '/votes/withdraw', { entry: target });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('Du har tagit tillbaka din röst på ”Nattpatrullen som körde i cirklar”. Du har använt 0 av 1 röst.');
  });
});

describe('integrity under concurrency (V5)', () => {
  test('when one user with a budget of 1 sends 100 vote requests at once, then exactly one vote is stored', async () => {
    await ctx.db('editions').where({ id: editionId }).update({ vote_budget: 1 });
    const [email] = await createUsers('racer', 1);
    const agent = await ctx.signIn(email);
    const token = await agent.csrf();
    const published = (await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).select('id')).map((r) => Number(r.id));
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        agent.post('/votes').set('x-csrf-token', token).set('Accept', 'application/json').type('form').send({ entry: published[i % published.length] }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 409 || s === 429)).toBe(true);
    expect(await votesOf(email)).toHaveLength(1);
  });

  test('when one user’s 100 votes race past the web layer (service calls in parallel), then the database still stores exactly one', async () => {
    await ctx.db('editions').where({ id: editionId }).update({ vote_budget: 1 });
    const [email] = await createUsers('direct', 1);
    const voter = { id: await userId(email), email };
    const published = (await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).select('id')).map((r) => Number(r.id));
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => voting.castVote(ctx.db, voter, published[i % published.length], ctx.clock.now())),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { status?: number }).status).toBe(409);
    }
    expect(await votesOf(email)).toHaveLength(1);
  });

  test('when one user races 100 votes for the same entry with a larger budget, then one vote is stored', async () => {
    const [email] = await createUsers('same', 1);
    const voter = { id: await userId(email), email };
    const target = await entryId('Nattpatrullen');
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => voting.castVote(ctx.db, voter, target, ctx.clock.now())));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await votesOf(email)).toEqual([target]);
  });

  test('when 200 users vote at the same moment, then exactly 200 votes are stored', async () => {
    const emails = await createUsers('crowd', 200);
    const agents: Array<{ agent: Agent; token: string }> = [];
    for (const email of emails) {
      const agent = await ctx.signIn(email);
      agents.push({ agent, token: await agent.csrf() });
    }
    const published = (await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).select('id')).map((r) => Number(r.id));
    const responses = await Promise.all(
      agents.map(({ agent, token }, i) =>
        agent.post('/votes').set('x-csrf-token', token).set('Accept', 'application/json').type('form').send({ entry: published[i % published.length] }),
      ),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const [{ n }] = await ctx.db('votes').where({ edition_id: editionId }).count({ n: '*' });
    expect(Number(n)).toBe(200);
  }, 120_000);
});

describe('rate limit and the people’s choice', () => {
  test('when one user fires many vote requests in a minute, then the surplus gets 429 with a clear message', async () => {
    const [email] = await createUsers('hasty', 1);
    const agent = await ctx.signIn(email);
    const token = await agent.csrf();
    const target = await entryId('Nattpatrullen');
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 32; i++) {
      const res = await agent.post(i % 2 ? '/votes/withdraw' : '/votes').set('x-csrf-token', token).set('Accept', 'application/json').type('form').send({ entry: target });
      statuses.push(res.status);
      if (res.status === 429) last = res.body.error;
    }
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    expect(last).toContain('Du har gjort för många försök på kort tid.');
  });

  test('when two entries share the most votes, then the people’s choice is a tie naming both', async () => {
    const [a, b, c] = [await entryId('Nattpatrullen'), await entryId('Solcellerna'), await entryId('Biblioteksevenemanget')];
    const emails = await createUsers('tie', 5);
    const voters = await Promise.all(emails.map(async (email) => ({ id: await userId(email), email })));
    for (const [i, target] of [a, b, a, b, c].entries()) await voting.castVote(ctx.db, voters[i], target, ctx.clock.now());
    expect(await voting.peoplesChoice(ctx.db, editionId)).toEqual({ nominationIds: [a, b].sort((x, y) => x - y), votes: 2, tie: true });
    expect(Object.fromEntries(await voting.voteCounts(ctx.db, editionId))).toEqual({ [a]: 2, [b]: 2, [c]: 1 });
  });

  test('when nobody has voted, then there is no people’s choice', async () => {
    expect(await voting.peoplesChoice(ctx.db, editionId)).toBeNull();
  });
});
