// N3: a colleague's yes is for the text they read. When the submitter changes the text afterwards,
// the colleague is asked again and the entry waits for them before it can be published.
import { createTestContext, type Agent, type TestContext } from '../helpers/context';

let ctx: TestContext;
let users: Record<string, number>;
let departmentId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  users = Object.fromEntries((await ctx.db('users').select('id', 'email')).map((u) => [u.email.split('@')[0], Number(u.id)]));
  const edition = await ctx.db('editions').whereNull('archived_at').first();
  departmentId = Number((await ctx.db('departments').where({ edition_id: edition.id }).first()).id);
});
afterAll(async () => {
  await ctx.close();
});

function fields(extra: Record<string, string> = {}): Record<string, string> {
  return {
    title: 'Schemat som ingen hittade',
    lesson: 'Vi lärde oss att lägga informationen där folk redan letar.',
    what_happened: 'Vi publicerade det nya schemat på en sida som ingen besökte.',
    changes: 'Nu skickar vi ut schemat i den kanal alla redan läser.',
    department_id: String(departmentId),
    includes_self: 'yes',
    eligibility: 'yes',
    show_submitter: 'yes',
    decline_policy: 'remove',
    action: 'submit',
    c0_user: String(users.bo),
    ...extra,
  };
}

async function send(agent: Agent, url: string, data: Record<string, string>) {
  const token = await agent.csrf();
  return agent.post(url).type('form').send({ _csrf: token, ...data });
}

async function nomineeOf(nominationId: number) {
  return ctx.db('nominees').where({ nomination_id: nominationId }).first();
}

test('when the submitter changes the lesson after a colleague said yes, then the colleague is asked again and the entry cannot be published until they answer', async () => {
  const anna = await ctx.signIn('anna@example.org');
  expect((await send(anna, '/nominate', fields({ form_key: 'reconsent-1' }))).status).toBe(303);
  const entry = await ctx.db('nominations').where({ submitter_id: users.anna }).orderBy('id', 'desc').first();
  const first = await nomineeOf(entry.id);

  const bo = await ctx.signIn('bo@example.org');
  expect((await send(bo, `/consent/${first.consent_token}`, { answer: 'give' })).status).toBe(303);
  expect((await nomineeOf(entry.id)).consent).toBe('given');
  expect((await ctx.db('nominations').where({ id: entry.id }).first()).status).toBe('in_moderation');
  const requestsBefore = Number((await ctx.db('notifications').where({ user_id: users.bo, kind: 'consent.requested' }).count({ n: '*' }).first())?.n);

  const current = await ctx.db('nominations').where({ id: entry.id }).first();
  const edited = await send(anna, `/nominations/${entry.id}`, fields({ lesson: 'Vi lärde oss något helt annat, som kollegan inte har läst.', version: String(current.version) }));
  expect(edited.status).toBe(303);

  const after = await nomineeOf(entry.id);
  expect(after.consent).toBe('pending');
  expect((await ctx.db('nominations').where({ id: entry.id }).first()).status).toBe('awaiting_consent');
  const requestsAfter = Number((await ctx.db('notifications').where({ user_id: users.bo, kind: 'consent.requested' }).count({ n: '*' }).first())?.n);
  expect(requestsAfter).toBe(requestsBefore + 1);

  // The admin cannot publish it while bo has not answered the new text.
  const admin = await ctx.signIn('admin@example.org');
  await send(admin, `/admin/moderation/${entry.id}`, { action: 'publish' });
  expect((await ctx.db('nominations').where({ id: entry.id }).first()).status).toBe('awaiting_consent');
});

test('when the submitter saves without changing the text, then a given consent stands', async () => {
  const anna = await ctx.signIn('anna@example.org');
  expect((await send(anna, '/nominate', fields({ title: 'Oförändrad text', form_key: 'reconsent-2' }))).status).toBe(303);
  const entry = await ctx.db('nominations').where({ submitter_id: users.anna }).orderBy('id', 'desc').first();
  const bo = await ctx.signIn('bo@example.org');
  await send(bo, `/consent/${(await nomineeOf(entry.id)).consent_token}`, { answer: 'give' });

  const current = await ctx.db('nominations').where({ id: entry.id }).first();
  expect((await send(anna, `/nominations/${entry.id}`, fields({ title: 'Oförändrad text', version: String(current.version) }))).status).toBe(303);
  expect((await nomineeOf(entry.id)).consent).toBe('given');
  expect((await ctx.db('nominations').where({ id: entry.id }).first()).status).toBe('in_moderation');
});
