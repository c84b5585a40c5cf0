// After-commit events (src/events) over HTTP, one year in order: each event fires once, its subscriber
// finds the change already committed (it reads it back through the plain database), and a change that
// is rolled back emits nothing. The rollback is real: a trigger makes the audit line of that action
// fail inside the transaction, as a full disk or a lost connection would.
import { createTestContext, type Agent, type TestContext } from '../helpers/context';
import type { EventMap, EventName } from '../../src/events';
import { announceOpenPhases } from '../../src/admin/announcements';
import { lockCurrentResult } from './ceremony-fixtures';
import { makeEntry, makeUser } from '../helpers/factories';

const DAY = 24 * 60 * 60 * 1000;
let ctx: TestContext;
let editionId: number;
let year: number;
let departmentId: number;
const users: Record<string, number> = {};

beforeAll(async () => {
  ctx = await createTestContext();
  const edition = await ctx.db('editions').whereNull('archived_at').orderBy('year', 'desc').first();
  editionId = Number(edition.id);
  year = Number(edition.year);
  departmentId = Number((await ctx.db('departments').where({ edition_id: editionId }).first('id')).id);
  for (const u of await ctx.db('users').select('id', 'email')) users[String(u.email).split('@')[0]] = Number(u.id);
});
afterAll(async () => {
  await ctx.close();
});

type Seen<K extends EventName> = Array<{ payload: EventMap[K]; committed: unknown }>;

/** Records each `name` event with what `probe` reads from the database at that moment. */
function listen<K extends EventName>(name: K, probe: (payload: EventMap[K]) => Promise<unknown>): { seen: Seen<K>; stop(): void } {
  const seen: Seen<K> = [];
  const stop = ctx.events.on(name, async (payload) => {
    seen.push({ payload, committed: await probe(payload) });
  });
  return { seen, stop };
}

/** Makes the audit line of `action` fail inside its transaction while `work` runs. */
async function failingAudit<T>(action: string, work: () => Promise<T>): Promise<T> {
  const name = `am_fail_${action.replace(/\W/g, '_')}`;
  if (ctx.isPostgres) {
    await ctx.db.raw(`create or replace function am_fail() returns trigger as $$ begin raise exception 'forced rollback'; end $$ language plpgsql`);
    await ctx.db.raw(`create trigger ${name} before insert on audit_log for each row when (new.action = '${action}') execute function am_fail()`);
  } else {
    await ctx.db.raw(`create trigger ${name} before insert on audit_log when new.action = '${action}' begin select raise(abort, 'forced rollback'); end`);
  }
  try {
    return await work();
  } finally {
    await ctx.db.raw(ctx.isPostgres ? `drop trigger ${name} on audit_log` : `drop trigger ${name}`);
  }
}

async function post(agent: Agent, url: string, body: Record<string, string | string[]>) {
  const _csrf = await agent.csrf();
  return agent.post(url).type('form').send({ _csrf, ...body });
}

async function nominate(agent: Agent, title: string) {
  const _csrf = await agent.csrf();
  const fields: Record<string, string> = {
    _csrf,
    title,
    lesson: 'Vi frågar användarna först.',
    what_happened: 'Vi köpte något som ingen förstod.',
    changes: 'Nu testar vi med fem användare.',
    includes_self: 'yes',
    eligibility: 'yes',
    show_submitter: 'yes',
    decline_policy: 'remove',
    department_id: String(departmentId),
    c0_user: String(users.bo),
    action: 'submit',
  };
  let req = agent.post('/nominate');
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req;
}

const statusOf = async (id: number) => (await ctx.db('nominations').where({ id }).first('status'))?.status;

describe('nominations and consent', () => {
  let nominationId: number;
  let token: string;

  test('when a nomination is sent with a colleague named, then nomination.submitted and consent.requested fire once each, after the commit', async () => {
    const submitted = listen('nomination.submitted', (e) => statusOf(e.nominationId));
    const requested = listen('consent.requested', async (e) => (await ctx.db('nominees').where({ id: e.nominee.id }).first('requested_at'))?.requested_at !== null);
    const res = await nominate(await ctx.signIn('anna@example.org'), 'Händelsetestet');
    submitted.stop();
    requested.stop();
    expect(res.status).toBe(303);
    expect(submitted.seen).toHaveLength(1);
    expect(submitted.seen[0].payload).toMatchObject({ editionId, submitterId: users.anna, title: 'Händelsetestet', status: 'awaiting_consent', resubmitted: false });
    expect(submitted.seen[0].committed).toBe('awaiting_consent');
    nominationId = submitted.seen[0].payload.nominationId;
    expect(requested.seen).toHaveLength(1);
    expect(requested.seen[0].payload).toMatchObject({ nominationId, title: 'Händelsetestet', nominee: { userId: users.bo } });
    expect(requested.seen[0].committed).toBe(true);
    token = requested.seen[0].payload.nominee.consentToken;
  });

  test('when the save is rolled back, then neither event fires and nothing is stored', async () => {
    const submitted = listen('nomination.submitted', async () => null);
    const requested = listen('consent.requested', async () => null);
    const before = await ctx.db('nominations').count({ n: '*' }).first();
    const res = await failingAudit('nomination.submitted', async () => nominate(await ctx.signIn('anna@example.org'), 'Återställt'));
    submitted.stop();
    requested.stop();
    expect(res.status).toBe(500);
    expect(submitted.seen).toHaveLength(0);
    expect(requested.seen).toHaveLength(0);
    expect(await ctx.db('nominations').count({ n: '*' }).first()).toEqual(before);
  });

  test('when the consent answer is rolled back, then consent.answered does not fire; when it commits, it fires once', async () => {
    const answered = listen('consent.answered', async () => (await ctx.db('nominees').where({ consent_token: token }).first('consent'))?.consent);
    const bo = await ctx.signIn('bo@example.org');
    const refused = await failingAudit('consent.given', () => post(bo, `/consent/${token}`, { answer: 'give', message: '' }));
    expect(refused.status).toBe(500);
    expect(answered.seen).toHaveLength(0);
    expect(await statusOf(nominationId)).toBe('awaiting_consent');

    expect((await post(bo, `/consent/${token}`, { answer: 'give', message: 'Gärna!' })).status).toBe(303);
    answered.stop();
    expect(answered.seen).toHaveLength(1);
    expect(answered.seen[0].payload).toMatchObject({ nominationId, submitterId: users.anna, answer: 'given', message: 'Gärna!' });
    expect(answered.seen[0].committed).toBe('given');
  });

  test('when a moderator publishes, then moderation.decided and entry.published fire once each after the commit, and not when it is rolled back', async () => {
    const decided = listen('moderation.decided', (e) => statusOf(e.nominationId));
    const published = listen('entry.published', (e) => statusOf(e.nominationId));
    const admin = await ctx.signIn('admin@example.org');
    expect((await failingAudit('moderation.publish', () => post(admin, `/admin/moderation/${nominationId}/publish`, {}))).status).toBe(500);
    expect(decided.seen).toHaveLength(0);
    expect(published.seen).toHaveLength(0);
    expect(await statusOf(nominationId)).toBe('in_moderation');

    expect((await post(admin, `/admin/moderation/${nominationId}/publish`, {})).status).toBe(303);
    decided.stop();
    published.stop();
    expect(decided.seen).toEqual([{ payload: { nominationId, submitterId: users.anna, title: 'Händelsetestet', decision: 'publish', text: '' }, committed: 'published' }]);
    expect(published.seen).toEqual([{ payload: { nominationId, editionId, title: 'Händelsetestet' }, committed: 'published' }]);
  });

  test('when a moderator rejects, then moderation.decided carries the reason and entry.published does not fire', async () => {
    const entry = await makeEntry(ctx.db, { status: 'in_moderation', submitterId: (await makeUser(ctx.db)).id });
    const decided = listen('moderation.decided', (e) => statusOf(e.nominationId));
    const published = listen('entry.published', async () => null);
    const admin = await ctx.signIn('admin@example.org');
    expect((await post(admin, `/admin/moderation/${entry.id}/reject`, { reason: 'Handlar inte om ett misstag.' })).status).toBe(303);
    decided.stop();
    published.stop();
    expect(decided.seen).toHaveLength(1);
    expect(decided.seen[0]).toMatchObject({ payload: { decision: 'reject', text: 'Handlar inte om ett misstag.' }, committed: 'rejected' });
    expect(published.seen).toHaveLength(0);
  });
});

describe('a failing subscriber', () => {
  test('when a subscriber throws, then the moderator still gets the confirmation, the change stands and the mail subscriber has run', async () => {
    const submitter = await makeUser(ctx.db);
    const entry = await makeEntry(ctx.db, { status: 'in_moderation', submitterId: submitter.id });
    const stop = ctx.events.on('moderation.decided', () => {
      throw new Error('the channel is down');
    });
    const admin = await ctx.signIn('admin@example.org');
    const res = await post(admin, `/admin/moderation/${entry.id}/request-changes`, { message: 'Berätta vad ni ändrade efteråt.' });
    stop();
    expect(res.status).toBe(303);
    expect(await statusOf(entry.id)).toBe('changes_requested');
    expect(await ctx.db('notifications').where({ user_id: submitter.id, kind: 'moderation.changesRequested' })).toHaveLength(1);
  });
});

describe('phase openings', () => {
  test('when voting has just opened, then phase.opened fires once with everyone as recipients, a second check fires nothing, and a rolled-back claim is tried again', async () => {
    const now = ctx.clock.now();
    await ctx.db('editions').where({ id: editionId }).update({ voting_opens_at: new Date(now.getTime() - 60 * 60 * 1000) });
    const opened = listen('phase.opened', async (e) => (await ctx.db('phase_announcements').where({ edition_id: e.editionId, phase: e.phase })).length);

    const refused = await failingAudit('notify.phase_opened', () => announceOpenPhases(ctx.db, ctx.events, now)).then(
      (announced) => ({ announced, current: ctx.db('editions').where({ id: editionId }).first(), claims: ctx.db('phase_announcements') }),
      (err: Error) => err.message,
    );
    expect(refused).toMatch(/forced rollback/);
    expect(opened.seen).toHaveLength(0);
    expect(await ctx.db('phase_announcements').where({ edition_id: editionId })).toHaveLength(0);

    expect(await announceOpenPhases(ctx.db, ctx.events, now)).toEqual(['voting']);
    expect(await announceOpenPhases(ctx.db, ctx.events, now)).toEqual([]);
    opened.stop();
    const everyone = (await ctx.db('users').whereNull('anonymised_at').select('id')).map((u) => Number(u.id)).sort((a, b) => a - b);
    expect(opened.seen).toHaveLength(1);
    expect(opened.seen[0].payload).toMatchObject({ editionId, year, phase: 'voting' });
    expect(opened.seen[0].payload.recipientIds).toEqual(everyone);
    expect(opened.seen[0].committed).toBe(1);
  });
});

describe('the jury and the ceremony', () => {
  beforeAll(() => {
    // Into judging.
    ctx.clock.set(new Date(ctx.clock.now().getTime() + 23 * DAY));
  });

  test('when an admin reminds the jury, then jury.reminded fires once after the commit, and not when it is rolled back', async () => {
    const reminded = listen('jury.reminded', async (e) => (await ctx.db('audit_log').where({ action: 'notify.jury_reminder', subject_id: e.editionId })).length);
    const admin = await ctx.signIn('admin@example.org');
    expect((await failingAudit('notify.jury_reminder', () => post(admin, '/admin/reminders/jury', {}))).status).toBe(500);
    expect(reminded.seen).toHaveLength(0);
    expect((await post(admin, '/admin/reminders/jury', {})).status).toBe(303);
    reminded.stop();
    expect(reminded.seen).toHaveLength(1);
    expect(reminded.seen[0].committed).toBe(1);
    expect(reminded.seen[0].payload.jurors.length).toBeGreaterThan(0);
    for (const j of reminded.seen[0].payload.jurors) expect(j.left).toBeGreaterThan(0);
  });

  test('when the chair locks, then result.locked fires once after the commit, and not when it is rolled back', async () => {
    const locked = listen('result.locked', async (e) => (await ctx.db('results').where({ edition_id: e.editionId }).first('locked_at'))?.locked_at != null);
    const cecilia = await ctx.signIn('cecilia@example.org');
    const published = await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).orderBy('id').limit(3).select('id');
    const finalists = published.map((n) => String(n.id));
    expect((await post(cecilia, '/jury/decision', { finalist: finalists, winner: finalists[0], motivation: 'Modigt och lärorikt.' })).status).toBe(303);
    expect((await failingAudit('jury.result_locked', () => post(cecilia, '/jury/decision/lock', { confirm: 'yes' }))).status).toBe(500);
    expect(locked.seen).toHaveLength(0);
    expect((await post(cecilia, '/jury/decision/lock', { confirm: 'yes' })).status).toBe(303);
    locked.stop();
    expect(locked.seen).toHaveLength(1);
    expect(locked.seen[0]).toMatchObject({ payload: { editionId, chairId: users.cecilia, winnerId: Number(finalists[0]) }, committed: true });
  });

  test('when an admin unlocks, then result.unlocked fires once after the commit, and not when it is rolled back', async () => {
    const unlocked = listen('result.unlocked', async (e) => (await ctx.db('results').where({ edition_id: e.editionId }).first('locked_at'))?.locked_at == null);
    const admin = await ctx.signIn('admin@example.org');
    expect((await failingAudit('jury.result_unlocked', () => post(admin, '/jury/decision/unlock', { reason: 'Fel i motiveringen', confirm: 'yes' }))).status).toBe(500);
    expect(unlocked.seen).toHaveLength(0);
    expect((await post(admin, '/jury/decision/unlock', { reason: 'Fel i motiveringen', confirm: 'yes' })).status).toBe(303);
    // A second click finds nothing to unlock: no second event.
    expect((await post(admin, '/jury/decision/unlock', { reason: 'Fel i motiveringen', confirm: 'yes' })).status).toBe(303);
    unlocked.stop();
    expect(unlocked.seen).toHaveLength(1);
    expect(unlocked.seen[0]).toMatchObject({ payload: { editionId, actor: { id: users.admin }, reason: 'Fel i motiveringen' }, committed: true });
  });

  test('when the live vote opens, gets a vote and closes, then live.opened, live.voted and live.closed fire once each, after the commit', async () => {
    await ctx.db('finalists').where({ edition_id: editionId }).delete();
    await ctx.db('results').where({ edition_id: editionId }).delete();
    const { finalistIds } = await lockCurrentResult(ctx.db, ctx.clock.now());
    const pollOpen = async (e: { pollId: number }) => (await ctx.db('live_polls').where({ id: e.pollId }).first('closed_at'))?.closed_at == null;
    const opened = listen('live.opened', pollOpen);
    const voted = listen('live.voted', async (e) => (await ctx.db('live_votes').where({ poll_id: e.pollId })).length);
    const closed = listen('live.closed', async (e) => !(await pollOpen(e)));
    const admin = await ctx.signIn('admin@example.org');

    expect((await failingAudit('live.open', () => post(admin, `/ceremony/${year}/live/open`, {}))).status).toBe(500);
    expect(opened.seen).toHaveLength(0);
    expect((await post(admin, `/ceremony/${year}/live/open`, {})).status).toBe(303);
    expect((await post(admin, `/ceremony/${year}/live/open`, {})).status).toBe(303); // a double click opens one poll
    expect(opened.seen).toHaveLength(1);
    expect(opened.seen[0].committed).toBe(true);
    const pollId = opened.seen[0].payload.pollId;

    const anna = await ctx.signIn('anna@example.org');
    expect((await post(anna, '/live/vote', { poll: String(pollId), nomination: String(finalistIds[0]) })).status).toBe(303);
    expect(voted.seen).toEqual([{ payload: { editionId, pollId }, committed: 1 }]);

    expect((await failingAudit('live.close', () => post(admin, `/ceremony/${year}/live/close`, {}))).status).toBe(500);
    expect(closed.seen).toHaveLength(0);
    expect((await post(admin, `/ceremony/${year}/live/close`, {})).status).toBe(303);
    expect(closed.seen).toEqual([{ payload: { editionId, pollId }, committed: true }]);

    // A vote in a closed poll is refused: no event.
    expect((await post(anna, '/live/vote', { poll: String(pollId), nomination: String(finalistIds[1]) })).status).toBe(409);
    opened.stop();
    voted.stop();
    closed.stop();
    expect(voted.seen).toHaveLength(1);
  });

  test('when the presenter moves the show or rehearses, then show.changed fires after the change is stored; a rehearsal reveal never fires winner.revealed', async () => {
    const show = async () => (await ctx.db('ceremony_shows').where({ edition_id: editionId }).first()) as { slide_key: string; rehearsal: unknown; rehearsal_revealed: unknown } | undefined;
    const changed = listen('show.changed', async () => {
      const s = await show();
      return s ? { slide: s.slide_key, rehearsal: Boolean(s.rehearsal), revealed: Boolean(s.rehearsal_revealed) } : null;
    });
    const revealed = listen('winner.revealed', async () => true);
    const admin = await ctx.signIn('admin@example.org');
    const csrf = await admin.csrf();
    const move = (body: Record<string, string>) => admin.post(`/ceremony/${year}/show`).set('Accept', 'application/json').type('form').send({ _csrf: csrf, ...body });

    expect((await move({ action: 'goto', slide: 'title' })).body).toEqual({ moved: false }); // already there: nothing changes, nobody told
    expect(changed.seen).toHaveLength(0);
    expect((await move({ action: 'next' })).body).toEqual({ moved: true });
    expect(changed.seen).toEqual([{ payload: { editionId }, committed: { slide: 'idea', rehearsal: false, revealed: false } }]);
    expect((await move({ action: 'goto', slide: 'winner' })).body).toEqual({ moved: false }); // sealed until the reveal
    expect(changed.seen).toHaveLength(1);

    expect((await post(admin, `/ceremony/${year}/rehearsal`, { on: '1' })).status).toBe(303);
    expect((await post(admin, `/ceremony/${year}/reveal`, { confirm: 'yes' })).status).toBe(303);
    expect((await post(admin, `/ceremony/${year}/rehearsal`, { on: '0' })).status).toBe(303);
    changed.stop();
    revealed.stop();
    expect(changed.seen.slice(1).map((c) => c.committed)).toEqual([
      { slide: 'title', rehearsal: true, revealed: false },
      { slide: 'winner', rehearsal: true, revealed: true },
      { slide: 'title', rehearsal: false, revealed: false },
    ]);
    expect(revealed.seen).toHaveLength(0);
    expect((await ctx.db('editions').where({ id: editionId }).first()).revealed_at).toBeNull();
  });

  test('when the winner is revealed, then winner.revealed fires once after the commit, and not when it is rolled back', async () => {
    const revealed = listen('winner.revealed', async (e) => (await ctx.db('editions').where({ id: e.editionId }).first('revealed_at'))?.revealed_at != null);
    const admin = await ctx.signIn('admin@example.org');
    const result = await ctx.db('results').where({ edition_id: editionId }).first();
    const winner = await ctx.db('nominations').where({ id: result.winner_nomination_id }).first('title');
    const slideOnScreen = async () => String((await ctx.db('ceremony_shows').where({ edition_id: editionId }).first('slide_key'))?.slide_key ?? 'title');
    const changed = listen('show.changed', slideOnScreen);
    expect((await failingAudit('ceremony.reveal', () => post(admin, `/ceremony/${year}/reveal`, { confirm: 'yes' }))).status).toBe(500);
    expect(revealed.seen).toHaveLength(0);
    expect(changed.seen).toHaveLength(0);
    expect((await ctx.db('editions').where({ id: editionId }).first()).revealed_at).toBeNull();
    expect((await post(admin, `/ceremony/${year}/reveal`, { confirm: 'yes' })).status).toBe(303);
    expect((await post(admin, `/ceremony/${year}/reveal`, { confirm: 'yes' })).status).toBe(303); // a second reveal changes nothing
    revealed.stop();
    changed.stop();
    // The screens were told each time the winner's slide was put up, after it was stored.
    expect(changed.seen[0]).toEqual({ payload: { editionId }, committed: 'winner' });
    expect(revealed.seen).toEqual([{ payload: { editionId, year, title: expect.any(String), winner: { nominationId: Number(result.winner_nomination_id), title: winner.title } }, committed: true }]);
  });
});
