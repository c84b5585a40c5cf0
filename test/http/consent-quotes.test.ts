// Quotation marks follow the reader's language (N3, R7): consent requests and answers quote the entry
// title and the colleague's message with ”…” in Swedish and “…” in English, in mails, in the in-app
// list and on My nominations.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

let ctx: TestContext;
let smtp: TestSmtp;
let departmentId: number;
let users: Record<string, number>;

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestContext({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://misstag.example.org' } });
  const edition = await ctx.db('editions').whereNull('archived_at').first();
  departmentId = Number((await ctx.db('departments').where({ edition_id: edition.id }).first()).id);
  users = Object.fromEntries((await ctx.db('users').select('id', 'email')).map((u) => [u.email.split('@')[0], Number(u.id)]));
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

// English closes with the same ” as Swedish; only the opening mark tells them apart.
const SWEDISH_OPENING = /(^|\s)”/;

async function form(agent: Agent, url: string, fields: Record<string, string>) {
  const token = await agent.csrf();
  return agent.post(url).type('form').send({ _csrf: token, ...fields });
}

/** `submitter` nominates themself and `colleague`; returns the colleague's consent token. */
async function nominate(submitter: string, colleague: string, title: string): Promise<string> {
  const agent = await ctx.signIn(`${submitter}@example.org`);
  const res = await form(agent, '/nominate', {
    title,
    lesson: 'Vi lärde oss att fråga först.',
    what_happened: 'Något hände.',
    department_id: String(departmentId),
    includes_self: 'yes',
    eligibility: 'yes',
    show_submitter: 'yes',
    decline_policy: 'remove',
    c0_user: String(users[colleague]),
    action: 'submit',
  });
  expect(res.status).toBe(303);
  const n = await ctx.db('nominations').where({ submitter_id: users[submitter], title }).first();
  return String((await ctx.db('nominees').where({ nomination_id: n.id }).first()).consent_token);
}

test('when a Swedish user names an English-speaking colleague, then the colleague reads “…” and the Swedish submitter reads the answer in ”…”', async () => {
  await ctx.db('users').where({ id: users.bo }).update({ locale: 'en' });
  const token = await nominate('anna', 'bo', 'Kaffebryggaren');

  const request = await smtp.waitFor((m) => m.to.includes('bo@example.org') && m.text.includes(token));
  expect(request.text).toContain('has nominated “Kaffebryggaren” for Mistake of the Year');
  expect(request.text).not.toMatch(SWEDISH_OPENING);
  const bo = await ctx.signIn('bo@example.org');
  expect(visibleText((await bo.get('/notifications')).text)).toContain('has named you in the nomination “Kaffebryggaren”.');

  expect((await form(bo, `/consent/${token}`, { answer: 'give', message: 'Happy to!' })).status).toBe(303);
  const answer = await smtp.waitFor((m) => m.to.includes('anna@example.org') && m.subject.includes('vill vara med i din nominering'));
  expect(answer.text).toContain('har sagt ja till att vara med i din nominering ”Kaffebryggaren”. ”Happy to!”');
  expect(answer.text).not.toContain('“');
  const anna = await ctx.signIn('anna@example.org');
  expect(visibleText((await anna.get('/nominations/mine')).text)).toContain('– ”Happy to!”');
});

test('when an English-speaking user is answered with a message, then the mail and My nominations quote it with “…”', async () => {
  await ctx.db('users').where({ id: users.eva }).update({ locale: 'en' });
  await ctx.db('users').where({ id: users.cecilia }).update({ locale: 'sv' });
  const token = await nominate('eva', 'cecilia', 'Skrivaren i källaren');

  const request = await smtp.waitFor((m) => m.to.includes('cecilia@example.org') && m.text.includes(token));
  expect(request.text).toContain('har nominerat ”Skrivaren i källaren” till Årets misstag');

  const cecilia = await ctx.signIn('cecilia@example.org');
  expect((await form(cecilia, `/consent/${token}`, { answer: 'decline', message: 'Hellre inte, tack.' })).status).toBe(303);
  const answer = await smtp.waitFor((m) => m.to.includes('eva@example.org') && m.subject.includes('does not want to take part in your nomination'));
  expect(answer.text).toContain('does not want to take part in your nomination “Skrivaren i källaren”.');
  expect(answer.text).toContain('“Hellre inte, tack.”');
  expect(answer.text).not.toMatch(SWEDISH_OPENING);
  const eva = await ctx.signIn('eva@example.org');
  const mine = visibleText((await eva.get('/nominations/mine')).text);
  expect(mine).toContain('– “Hellre inte, tack.”');
  expect(mine).not.toMatch(SWEDISH_OPENING);
});

test('when a colleague answers without a message, then no empty quotation marks are shown', async () => {
  const token = await nominate('eva', 'bo', 'Nyckeln som försvann');
  const bo = await ctx.signIn('bo@example.org');
  expect((await form(bo, `/consent/${token}`, { answer: 'give', message: '' })).status).toBe(303);
  const answer = await smtp.waitFor((m) => m.to.includes('eva@example.org') && m.subject.includes('wants to take part in your nomination'));
  expect(answer.text).toContain('has agreed to take part in your nomination “Nyckeln som försvann”.');
  expect(answer.text).not.toContain('“”');
});
