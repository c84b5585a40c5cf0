// Mail goes out through a real SMTP server started by the test, and each mail is also an in-app
// notification (SPEC R7).

import { createTestContext, visibleText, type TestContext } from '../helpers/context';
import { createMailer, unsentDir } from '../../src/mail';
import * as notifications from '../../src/notifications/service';
import { notify } from '../../src/notifications/subscriber';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

let smtp: TestSmtp;
let ctx: TestContext;
beforeAll(async () => {
  smtp = await startSmtp({ refuseRecipient: (address) => address.endsWith('@finns-inte.example') });
  ctx = await createTestContext({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://misstag.example.org' } });
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

async function userId(email: string): Promise<number> {
  return Number((await ctx.db('users').where({ email }).first()).id);
}

test('when a user is notified, then the mail arrives at the SMTP server in their language and the notification is listed in the app', async () => {
  const bo = await userId('bo@example.org');
  await ctx.db('users').where({ id: bo }).update({ locale: 'en' });
  const mailer = createMailer(ctx.config);
  await notify({ db: ctx.db, mailer, config: ctx.config, now: () => ctx.clock.now() }, { userId: bo, kind: 'moderation.published', params: { title: 'Åäö-test' }, link: '/entries/1' });
  const mail = await smtp.waitFor((m) => m.to.includes('bo@example.org'));
  expect(mail.subject).toBe('Your nomination is published');
  expect(mail.text).toContain('“Åäö-test”');
  expect(mail.text).toContain('https://misstag.example.org/entries/1');
  // The HTML part beside it: the reader's language on <html>, the same words, a real link.
  expect(mail.html).toContain('<html lang="en">');
  expect(mail.html).toContain('“Åäö-test”');
  expect(mail.html).toContain('<a href="https://misstag.example.org/entries/1">');

  const agent = await ctx.signIn('bo@example.org');
  const home = await agent.get('/');
  expect(visibleText(home.text)).toContain('1 unread');
  const list = await agent.get('/notifications');
  expect(visibleText(list.text)).toContain('“Åäö-test” is published and can be read by all colleagues.');
});

test('when a notification is opened, then it is marked as read and the link is followed', async () => {
  const agent = await ctx.signIn('bo@example.org');
  const [n] = await notifications.list(ctx.db, await userId('bo@example.org'));
  const token = await agent.csrf();
  expect((await agent.get(`/notifications/${n.id}/open`)).status).toBe(404); // a GET changes nothing
  expect((await notifications.list(ctx.db, await userId('bo@example.org')))[0].readAt).toBeNull();
  const res = await agent.post(`/notifications/${n.id}/open`).type('form').send({ _csrf: token });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/entries/1');
  expect((await notifications.list(ctx.db, await userId('bo@example.org')))[0].readAt).not.toBeNull();
});

test("when someone opens another user's notification by id, then it is not found and stays unread", async () => {
  const anna = await userId('anna@example.org');
  const id = await notify({ db: ctx.db, mailer: createMailer(ctx.config), config: ctx.config, now: () => ctx.clock.now() }, { userId: anna, kind: 'moderation.rejected', params: { title: 'X', reason: 'Y' }, link: '/nominations/mine' });
  const bo = await ctx.signIn('bo@example.org');
  const token = await bo.csrf();
  const res = await bo.post(`/notifications/${id}/open`).type('form').send({ _csrf: token });
  expect(res.status).toBe(404);
  await bo.post('/notifications/read').type('form').send({ _csrf: token, id: String(id) });
  expect((await notifications.list(ctx.db, anna))[0].readAt).toBeNull();
});

test('when there is no SMTP_URL, then mails are written to the outbox folder', async () => {
  const outbox = await createTestContext({ seed: false });
  try {
    const mailer = createMailer(outbox.config);
    expect(await mailer.send({ to: 'x@example.org', subject: 'Hej åäö', text: 'Brödtext' })).toBe(true);
    const fs = await import('node:fs');
    const path = await import('node:path');
    const files = fs.readdirSync(path.join(outbox.dataDir, 'outbox'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
  } finally {
    await outbox.close();
  }
});

test('when mails wait in the outbox after the SMTP server refused them, then the retry sends the recent ones in order, drops those older than 7 days or refused for good, and sets an unreadable one aside', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const waiting = await createTestContext({ seed: false, env: { SMTP_URL: smtp.url } });
  try {
    const dir = unsentDir(waiting.dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const write = (name: string, to: string, ageDays: number) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify({ to, subject: `Väntade ${to}`, text: 'Brödtext' }));
      // File times by the app's clock: the mailer measures a waiting mail's age with it.
      const when = new Date(waiting.clock.now().getTime() - ageDays * 24 * 60 * 60 * 1000);
      fs.utimesSync(file, when, when);
    };
    write('2026-11-01T10-00-00-000Z-aaaa.json', 'gammal@example.org', 8);
    write('2026-11-30T10-00-00-000Z-bbbb.json', 'forst@example.org', 2);
    write('2026-11-30T12-00-00-000Z-bbbc.json', 'borta@finns-inte.example', 2);
    write('2026-12-01T10-00-00-000Z-cccc.json', 'sedan@example.org', 1);
    fs.writeFileSync(path.join(dir, '2026-12-02T10-00-00-000Z-dddd.json'), '{"to": "trasig@exa');
    const mailer = createMailer(waiting.config, undefined, () => waiting.clock.now());

    expect(await mailer.retryUnsent()).toBe(2);

    const first = smtp.mails.findIndex((m) => m.to.includes('forst@example.org'));
    const then = smtp.mails.findIndex((m) => m.to.includes('sedan@example.org'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(then).toBeGreaterThan(first);
    expect(smtp.mails.find((m) => m.to.includes('sedan@example.org'))?.subject).toBe('Väntade sedan@example.org');
    expect(smtp.mails.some((m) => m.to.includes('gammal@example.org'))).toBe(false);
    // A file that is not a mail is set aside, not retried for ever.
    expect(fs.readdirSync(dir)).toEqual(['2026-12-02T10-00-00-000Z-dddd.json.unreadable']);
    expect(await mailer.retryUnsent()).toBe(0);
    mailer.close();
  } finally {
    await waiting.close();
  }
});

test('when a process stopped while sending a mail from the outbox, then the mail goes out on a later retry, and a fresh claim is left to its sender', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const crashed = await createTestContext({ seed: false, env: { SMTP_URL: smtp.url } });
  try {
    const dir = unsentDir(crashed.dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const nowMs = crashed.clock.now().getTime();
    const claim = (name: string, to: string, claimedMinutesAgo: number) => {
      const file = path.join(dir, `${name}.4242.${nowMs - claimedMinutesAgo * 60_000}.sending`);
      fs.writeFileSync(file, JSON.stringify({ to, subject: `Halvskickat ${to}`, text: 'Brödtext' }));
      const when = new Date(nowMs - 60 * 60_000);
      fs.utimesSync(file, when, when);
    };
    claim('2026-12-01T10-00-00-000Z-eeee.json', 'kraschad@example.org', 16);
    claim('2026-12-01T11-00-00-000Z-ffff.json', 'pagar@example.org', 1);
    const mailer = createMailer(crashed.config, undefined, () => crashed.clock.now());

    expect(await mailer.retryUnsent()).toBe(1);

    expect(smtp.mails.find((m) => m.to.includes('kraschad@example.org'))?.subject).toBe('Halvskickat kraschad@example.org');
    expect(smtp.mails.some((m) => m.to.includes('pagar@example.org'))).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([`2026-12-01T11-00-00-000Z-ffff.json.4242.${nowMs - 60_000}.sending`]);
    mailer.close();
  } finally {
    await crashed.close();
  }
});

test('when the SMTP server refuses a recipient for good, then the mail does not wait in the outbox, and other mails still go', async () => {
  const fs = await import('node:fs');
  const refused = await createTestContext({ seed: false, env: { SMTP_URL: smtp.url } });
  try {
    const mailer = createMailer(refused.config, undefined, () => refused.clock.now());

    expect(await mailer.send({ to: 'ingen@finns-inte.example', subject: 'Till ingen', text: 'x' })).toBe(false);
    expect(await mailer.send({ to: 'efter@example.org', subject: 'Efter', text: 'x' })).toBe(true);

    expect(fs.existsSync(unsentDir(refused.dataDir))).toBe(false);
    expect(smtp.mails.some((m) => m.to.includes('efter@example.org'))).toBe(true);
    expect(smtp.mails.some((m) => m.subject === 'Till ingen')).toBe(false);
    mailer.close();
  } finally {
    await refused.close();
  }
});
