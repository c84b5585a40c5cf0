// R7: phase openings are announced to everyone once, in each reader's language; "Påminn juryn" reminds
// the jurors who have entries left to score.
import { createTestContext, visibleText, type TestContext } from '../helpers/context';
import type { Mail, Mailer } from '../../src/mail';
import { mailEvents } from '../helpers/mail';
import { announceOpenPhases } from '../../src/admin/announcements';
import { startHousekeeping } from '../../src/admin/housekeeping';
import pino from 'pino';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const userId = async (email: string) => Number((await ctx.db('users').where({ email }).first()).id);
const currentEdition = async () => ctx.db('editions').whereNull('archived_at').orderBy('year', 'desc').first();

function fakeMailer(): Mailer & { sent: Mail[]; retried: Promise<void> } {
  const sent: Mail[] = [];
  let retried!: () => void;
  return {
    publicUrl: 'https://misstag.example.org',
    sent,
    retried: new Promise<void>((resolve) => (retried = resolve)),
    send: async (m) => (sent.push(m), true),
    retryUnsent: async () => (retried(), 0),
    close() {},
  };
}
const announce = (mailer: Mailer, now: Date) => announceOpenPhases(ctx.db, mailEvents(ctx, mailer), now);

describe('phase openings (R7)', () => {
  test('when a phase opened weeks ago (demo data, an upgrade), then nothing is announced', async () => {
    const mailer = fakeMailer();
    expect(await announce(mailer, ctx.clock.now())).toEqual([]);
    expect(mailer.sent).toHaveLength(0);
  });

  test('when voting has just opened, then everyone gets one notification and one mail in their own language, and a second check sends nothing', async () => {
    const now = ctx.clock.now();
    const edition = await currentEdition();
    await ctx.db('editions').where({ id: edition.id }).update({ voting_opens_at: new Date(now.getTime() - HOUR) });
    await ctx.db('users').where({ email: 'bo@example.org' }).update({ locale: 'en' });
    const users = (await ctx.db('users').whereNull('anonymised_at')).length;
    const mailer = fakeMailer();

    expect(await announce(mailer, now)).toEqual(['voting']);
    expect(await announce(mailer, new Date(now.getTime() + 5 * 60 * 1000))).toEqual([]);

    expect(mailer.sent).toHaveLength(users);
    const toBo = mailer.sent.find((m) => m.to === 'bo@example.org')!;
    expect(toBo.subject).toBe(`You can now vote in ${edition.title}`);
    const toAnna = mailer.sent.find((m) => m.to === 'anna@example.org')!;
    expect(toAnna.subject).toBe(`Nu kan du rösta i ${edition.title}`);
    expect(toAnna.text).toContain('https://misstag.example.org/entries');
    const rows = await ctx.db('notifications').where({ kind: 'phase.votingOpen' });
    expect(rows).toHaveLength(users);
    const line = await ctx.db('audit_log').where({ action: 'notify.phase_opened' }).first();
    expect(JSON.parse(line.details)).toEqual({ phase: 'voting', recipients: users });
  });

  test('when the announcement is in the in-app list, then the reader sees it in their language', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const edition = await currentEdition();
    expect(visibleText((await agent.get('/notifications')).text)).toContain(`Röstningen i ${edition.title} är öppen.`);
  });

  test('when an admin opens nomination early with the override, then it counts as just opened', async () => {
    const edition = await currentEdition();
    const now = ctx.clock.now();
    await ctx.db('editions').where({ id: edition.id }).update({ nomination_opens_at: new Date(now.getTime() + 10 * DAY), nomination_override: 'open', updated_at: now });
    const mailer = fakeMailer();
    expect(await announce(mailer, now)).toEqual(['nomination']);
    expect(mailer.sent.every((m) => m.subject.startsWith('Nu kan du nominera') || m.subject.startsWith('You can now nominate'))).toBe(true);
  });

  test('when two app instances check at the same moment, then the phase is announced once', async () => {
    const edition = await currentEdition();
    await ctx.db('phase_announcements').where({ edition_id: edition.id, phase: 'voting' }).delete();
    await ctx.db('notifications').where({ kind: 'phase.votingOpen' }).delete();
    const now = ctx.clock.now();
    const results = await Promise.all([announce(fakeMailer(), now), announce(fakeMailer(), now)]);
    expect(results.flat().filter((p) => p === 'voting')).toHaveLength(1);
    const users = (await ctx.db('users').whereNull('anonymised_at')).length;
    expect(await ctx.db('notifications').where({ kind: 'phase.votingOpen' })).toHaveLength(users);
  });

  test('when the app starts, then housekeeping runs the checks once, sends the mails waiting in the outbox, and stops cleanly at shutdown', async () => {
    const mailer = fakeMailer();
    const hk = startHousekeeping({ db: ctx.db, mailer, events: mailEvents(ctx, mailer), config: ctx.config, logger: pino({ level: 'silent' }), now: () => ctx.clock.now() });
    // The outbox round is the last of the first checks: it comes after the clean-up and the announcements.
    await mailer.retried;
    await hk.stop();
    // Everything was already announced above; the clean-up ran without error.
    expect(mailer.sent).toHaveLength(0);
  });
});

describe('jury reminders (R7)', () => {
  test('when judging is not open, then the reminder is refused and nobody is notified', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const res = await agent.post('/admin/reminders/jury').type('form').send({ _csrf: await agent.csrf() });
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('Juryn kan bara påminnas medan bedömningen pågår.');
    expect(await ctx.db('notifications').where({ kind: 'jury.reminder' })).toHaveLength(0);
  });

  test('when judging is open, then only jurors with entries left get a reminder, a second click within the hour is refused, and it is audited', async () => {
    const start = ctx.clock.now();
    ctx.clock.advance(23 * DAY); // judging is open from day 22 in the demo
    try {
      const edition = await currentEdition();
      const eva = await userId('eva@example.org');
      const david = await userId('david@example.org');
      // Eva has submitted every entry she may score; David and Cecilia have not.
      const entries = await ctx.db('nominations').where({ edition_id: edition.id, status: 'published' });
      const conflicts = new Set((await ctx.db('conflicts').where({ juror_id: eva })).map((c) => c.nomination_id));
      for (const e of entries) {
        if (conflicts.has(e.id)) continue;
        await ctx.db('jury_reviews').insert({ nomination_id: e.id, juror_id: eva, note: '', submitted_at: ctx.clock.now(), updated_at: ctx.clock.now() });
      }
      const agent = await ctx.signIn('admin@example.org');
      const dashboard = await agent.get('/admin');
      expect(visibleText(dashboard.text)).toContain('Påminn juryn');

      const res = await agent.post('/admin/reminders/jury').type('form').send({ _csrf: await agent.csrf() });
      expect(res.status).toBe(303);
      const reminded = (await ctx.db('notifications').where({ kind: 'jury.reminder' })).map((n) => Number(n.user_id));
      expect(reminded).toContain(david);
      expect(reminded).not.toContain(eva);
      expect(reminded).toHaveLength(2);
      expect(visibleText((await agent.get('/admin')).text)).toContain('Påminnelsen är skickad. Antal jurymedlemmar som fick den: 2.');

      const again = await agent.post('/admin/reminders/jury').type('form').send({ _csrf: await agent.csrf() });
      expect(again.status).toBe(409);
      expect(await ctx.db('notifications').where({ kind: 'jury.reminder' })).toHaveLength(2);
      expect(await ctx.db('audit_log').where({ action: 'notify.jury_reminder' })).toHaveLength(1);

      const davidAgent = await ctx.signIn('david@example.org');
      expect(visibleText((await davidAgent.get('/notifications')).text)).toMatch(/Du har \d+ av \d+ bidrag kvar att bedöma/);
    } finally {
      ctx.clock.set(start);
    }
  });

  test('when the reminder is sent several times at the same moment, then the jury gets it once', async () => {
    const start = ctx.clock.now();
    ctx.clock.advance(23 * DAY + 2 * 60 * 60 * 1000); // judging, and past the hour of the reminder above
    try {
      const before = (await ctx.db('notifications').where({ kind: 'jury.reminder' })).length;
      const audited = (await ctx.db('audit_log').where({ action: 'notify.jury_reminder' })).length;
      const agent = await ctx.signIn('admin@example.org');
      const token = await agent.csrf();
      const answers = await Promise.all(Array.from({ length: 5 }, () => agent.post('/admin/reminders/jury').type('form').send({ _csrf: token })));
      expect(answers.map((r) => r.status).sort()).toEqual([303, 409, 409, 409, 409]);
      expect(await ctx.db('audit_log').where({ action: 'notify.jury_reminder' })).toHaveLength(audited + 1);
      const sent = (await ctx.db('notifications').where({ kind: 'jury.reminder' })).length - before;
      expect(sent).toBeGreaterThan(0);
      expect(new Set((await ctx.db('notifications').where({ kind: 'jury.reminder' }).orderBy('id', 'desc').limit(sent)).map((n) => n.user_id)).size).toBe(sent);
    } finally {
      ctx.clock.set(start);
    }
  });

  test('when an employee posts a reminder, then it is refused', async () => {
    const agent = await ctx.signIn('anna@example.org');
    expect((await agent.post('/admin/reminders/jury').type('form').send({ _csrf: await agent.csrf() })).status).toBe(403);
  });
});
