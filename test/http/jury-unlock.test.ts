// Unlocking the jury's locked result (J7, R4) over HTTP: an admin or the chair unlocks with a reason
// until the ceremony reveal; the unlock is audited and shown to the whole jury; the chair then changes
// the decision and locks again. One database for the file; the tests build on each other in the order
// a real jury works, and the reveal comes last.
import fs from 'node:fs';
import path from 'node:path';
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import * as jury from '../../src/jury/service';
import * as ceremony from '../../src/ceremony/service';
import * as editions from '../../src/editions/service';

const DAY = 24 * 60 * 60 * 1000;
let ctx: TestContext;
let editionId: number;
let year: number;
const users: Record<string, number> = {};
const entries: Record<string, number> = {};

const APP = 'Appen som ingen förälder laddade ner';
const FORM = 'Bygglovsblanketten med 47 frågor';
const NIGHT = 'Nattpatrullen som körde i cirklar';
const TYPO = 'Bygglovsenheten vågade ta bort frågor, och hela kommunen lärde sig av dett.';
const FIXED = 'Nattpatrullen vågade säga att rutten var fel, och hela kommunen lärde sig av det.';

async function post(agent: Agent, url: string, body: Record<string, string | string[]>) {
  const _csrf = await agent.csrf();
  return agent.post(url).type('form').send({ _csrf, ...body });
}

/** Everything an unlock could change, to compare before and after a refused attempt. */
async function snapshot() {
  return {
    results: await ctx.db('results').orderBy('edition_id'),
    finalists: await ctx.db('finalists').orderBy('id'),
    unlocks: await ctx.db('result_unlocks').orderBy('id'),
    audit: await ctx.db('audit_log').where({ action: 'jury.result_unlocked' }).orderBy('id'),
  };
}

beforeAll(async () => {
  ctx = await createTestContext();
  const edition = await ctx.db('editions').whereNull('archived_at').first();
  editionId = Number(edition.id);
  year = Number(edition.year);
  for (const u of await ctx.db('users').select('id', 'email')) users[String(u.email).split('@')[0]] = Number(u.id);
  for (const n of await ctx.db('nominations').where({ edition_id: editionId }).select('id', 'title')) entries[n.title] = Number(n.id);
  // Into judging; the chair (cecilia) decides and locks, with a typo in the citation.
  ctx.clock.set(new Date(ctx.clock.now().getTime() + 23 * DAY));
  const cecilia = await ctx.signIn('cecilia@example.org');
  const finalists = [FORM, APP, NIGHT].map((t) => String(entries[t]));
  expect((await post(cecilia, '/jury/decision', { finalist: finalists, winner: String(entries[FORM]), motivation: TYPO })).status).toBe(303);
  expect((await post(cecilia, '/jury/decision/lock', { confirm: 'yes' })).status).toBe(303);
});
afterAll(async () => {
  await ctx.close();
});

describe('who may unlock', () => {
  test('when a jury member who is not the chair, or an employee, tries to unlock, then it is refused with 403 and nothing changes', async () => {
    const before = await snapshot();
    const david = await ctx.signIn('david@example.org');
    const anna = await ctx.signIn('anna@example.org');
    const byJuror = await post(david, '/jury/decision/unlock', { reason: 'Jag vill ändra', confirm: 'yes' });
    expect(byJuror.status).toBe(403);
    expect(visibleText(byJuror.text)).toContain('Det är bara juryns ordförande och administratörerna som kan låsa upp resultatet.');
    const byEmployee = await post(anna, '/jury/decision/unlock', { reason: 'Jag vill ändra', confirm: 'yes' });
    expect(byEmployee.status).toBe(403);
    expect(await snapshot()).toEqual(before);
    expect((await jury.lockedResult(ctx.db, editionId))?.motivation).toBe(TYPO);
  });

  test('when a jury member who is not the chair reads the locked decision, then no unlock form is offered; the admin and the chair get one', async () => {
    const david = await ctx.signIn('david@example.org');
    expect((await david.get('/jury/decision')).text).not.toContain('action="/jury/decision/unlock"');
    for (const email of ['admin@example.org', 'cecilia@example.org']) {
      const page = await (await ctx.signIn(email)).get('/jury/decision');
      expect(page.text).toContain('action="/jury/decision/unlock"');
      expect(page.text).toMatch(/action="\/jury\/decision\/unlock"[\s\S]*name="_csrf"[\s\S]*name="reason"[\s\S]*name="confirm" value="yes"/);
    }
  });

  test('when the unlock is posted without a CSRF token, then it is refused and the result stays locked', async () => {
    const before = await snapshot();
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.post('/jury/decision/unlock').type('form').send({ reason: 'Stavfel i motiveringen', confirm: 'yes' });
    expect(res.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});

describe('during the ceremony', () => {
  test('when the audience vote among the finalists is open, then unlocking is refused with a clear message and nothing changes', async () => {
    const [poll] = await ctx.db('live_polls').insert({ edition_id: editionId, code: 'ULK123', opened_at: ctx.clock.now() }).returning('id');
    const pollId = Number(typeof poll === 'object' ? poll.id : poll);
    try {
      const before = await snapshot();
      const admin = await ctx.signIn('admin@example.org');
      const res = await post(admin, '/jury/decision/unlock', { reason: 'Stavfel', confirm: 'yes' });
      expect(res.status).toBe(409);
      expect(visibleText(res.text)).toContain('Röstningen i salen på prisutdelningen pågår. Stäng den först, sedan kan du låsa upp resultatet.');
      expect(await snapshot()).toEqual(before);
      expect((await jury.lockedResult(ctx.db, editionId))?.motivation).toBe(TYPO);
    } finally {
      await ctx.db('live_polls').where({ id: pollId }).update({ closed_at: ctx.clock.now() });
    }
  });
});

describe('the unlock form', () => {
  test('when the admin unlocks without a reason, then the form says so and the result stays locked', async () => {
    const before = await snapshot();
    const admin = await ctx.signIn('admin@example.org');
    for (const reason of ['', '   ']) {
      const res = await post(admin, '/jury/decision/unlock', { reason, confirm: 'yes' });
      expect(res.status).toBe(422);
      expect(visibleText(res.text)).toContain('Skriv varför du låser upp resultatet.');
    }
    expect(await snapshot()).toEqual(before);
  });

  test('when the admin gives a reason but does not confirm, or writes too long a reason, then the form explains it and keeps the text', async () => {
    const before = await snapshot();
    const admin = await ctx.signIn('admin@example.org');
    const unconfirmed = await post(admin, '/jury/decision/unlock', { reason: 'Stavfel i motiveringen' });
    expect(unconfirmed.status).toBe(422);
    expect(visibleText(unconfirmed.text)).toContain('Bekräfta att du vill låsa upp resultatet.');
    expect(unconfirmed.text).toContain('>Stavfel i motiveringen</textarea>');
    const tooLong = await post(admin, '/jury/decision/unlock', { reason: 'x'.repeat(jury.UNLOCK_REASON_MAX + 1), confirm: 'yes' });
    expect(tooLong.status).toBe(422);
    expect(visibleText(tooLong.text)).toContain(`Skälet får vara högst ${jury.UNLOCK_REASON_MAX} tecken.`);
    expect(await snapshot()).toEqual(before);
  });
});

describe('unlock, change and lock again', () => {
  test('when the admin unlocks with a reason, then the result is unlocked, audited with who, when and why, and the jury sees it', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const at = ctx.clock.now();
    const res = await post(admin, '/jury/decision/unlock', { reason: 'Stavfel i motiveringen', confirm: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/jury/decision');

    expect(await jury.isLocked(ctx.db, editionId)).toBe(false);
    expect(await jury.lockedResult(ctx.db, editionId)).toBeNull();
    const rows = await ctx.db('audit_log').where({ action: 'jury.result_unlocked' });
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].actor_id)).toBe(users.admin);
    expect(Number(rows[0].subject_id)).toBe(editionId);
    expect(new Date(rows[0].created_at).getTime()).toBe(at.getTime());
    const details = JSON.parse(rows[0].details);
    expect(details.reason).toBe('Stavfel i motiveringen');
    expect(details.winnerId).toBe(entries[FORM]);

    // The admin sees the flash; a jury member who is not the chair sees who unlocked, when and why.
    expect(visibleText((await admin.get('/jury/decision')).text)).toContain('Resultatet är upplåst. Ordföranden kan nu ändra beslutet och låsa det igen.');
    const david = await ctx.signIn('david@example.org');
    const page = visibleText((await david.get('/jury/decision')).text);
    expect(page).toContain('Resultatet är upplåst. Alva Admin låste upp det');
    expect(page).toContain('Skäl: Stavfel i motiveringen');
    // Unlocked, jury members may work again (the lock no longer refuses them).
    expect(visibleText((await david.get('/jury')).text)).not.toContain('Juryns resultat är låst');
    // In the admins' audit log, with its label.
    expect(visibleText((await admin.get('/admin/audit')).text)).toMatch(/Alva Admin låste upp juryns resultat för Årets misstag \d{4}/);
    // Every jury member is told, in the app and by e-mail; the admin who unlocked is not.
    const members = (await ctx.db('jury_members').where({ edition_id: editionId }).select('user_id')).map((m) => Number(m.user_id));
    const told = (await ctx.db('notifications').where({ kind: 'jury.unlocked' }).select('user_id', 'link')).map((n) => Number(n.user_id));
    expect(told.sort()).toEqual(members.sort());
    expect(told).not.toContain(users.admin);
    expect(visibleText((await david.get('/notifications')).text)).toContain('Alva Admin har låst upp juryns resultat för');
    // The outbox holds .eml files with quoted-printable bodies: undo that to read the text.
    const unQuote = (eml: string) => Buffer.from(eml.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
    const mails = fs.readdirSync(path.join(ctx.dataDir, 'outbox')).map((f) => unQuote(fs.readFileSync(path.join(ctx.dataDir, 'outbox', f), 'latin1')));
    expect(mails.filter((m) => m.includes('/jury/decision') && m.includes('Skäl: ”Stavfel i motiveringen”'))).toHaveLength(members.length);
  });

  test('when the unlock is submitted twice, then the second changes nothing and says the result is not locked', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const before = await snapshot();
    const again = await post(admin, '/jury/decision/unlock', { reason: 'Stavfel i motiveringen', confirm: 'yes' });
    expect(again.status).toBe(303);
    expect(await snapshot()).toEqual(before);
    expect(visibleText((await admin.get('/jury/decision')).text)).toContain('Resultatet är inte låst, så det fanns inget att låsa upp.');
  });

  test('when the ceremony tries to reveal while the result is unlocked, then it is refused and nothing is published', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await post(admin, `/ceremony/${year}/reveal`, { confirm: 'yes' });
    expect(res.status).toBe(409);
    expect((await ctx.db('editions').where({ id: editionId }).first()).revealed_at).toBeNull();
  });

  test('when the chair changes the winner and the citation and locks again, then the new result is locked and the unlock is still shown', async () => {
    const cecilia = await ctx.signIn('cecilia@example.org');
    const finalists = [FORM, APP, NIGHT].map((t) => String(entries[t]));
    expect((await post(cecilia, '/jury/decision', { finalist: finalists, winner: String(entries[NIGHT]), motivation: FIXED })).status).toBe(303);
    expect((await post(cecilia, '/jury/decision/lock', { confirm: 'yes' })).status).toBe(303);
    const result = await jury.lockedResult(ctx.db, editionId);
    expect(result?.winnerId).toBe(entries[NIGHT]);
    expect(result?.motivation).toBe(FIXED);
    expect(await ctx.db('audit_log').where({ action: 'jury.result_locked', actor_id: users.cecilia })).toHaveLength(2);
    const page = visibleText((await (await ctx.signIn('david@example.org')).get('/jury/decision')).text);
    expect(page).toContain('Resultatet låstes');
    expect(page).toContain('Resultatet har låsts upp och sedan låsts igen.');
    expect(page).toContain('Skäl: Stavfel i motiveringen');
  });

  test('when the chair unlocks too, then it works the same way and is recorded as the chair\'s', async () => {
    const cecilia = await ctx.signIn('cecilia@example.org');
    expect((await post(cecilia, '/jury/decision/unlock', { reason: 'Fel ordning på finalisterna', confirm: 'yes' })).status).toBe(303);
    expect(await jury.isLocked(ctx.db, editionId)).toBe(false);
    const rows = await ctx.db('audit_log').where({ action: 'jury.result_unlocked' }).orderBy('id');
    expect(rows.map((r) => Number(r.actor_id))).toEqual([users.admin, users.cecilia]);
    expect((await post(cecilia, '/jury/decision/lock', { confirm: 'yes' })).status).toBe(303);
    expect(await jury.isLocked(ctx.db, editionId)).toBe(true);
  });
});

describe('in English', () => {
  test('when an admin reads the jury pages in English, then they say "Jury member", never "Juror"', async () => {
    const admin = await ctx.signIn('admin@example.org');
    await admin.chooseLocale('en');
    const decision = visibleText((await admin.get('/jury/decision')).text);
    expect(decision).toContain('Unlock the result');
    expect(decision).toContain('Reason: Stavfel i motiveringen');
    const ranking = visibleText((await admin.get('/jury/ranking')).text);
    expect(ranking).toContain('Jury member');
    const juryAdmin = visibleText((await admin.get('/admin/jury')).text);
    expect(juryAdmin).toContain('Jury members');
    for (const text of [decision, ranking, juryAdmin]) expect(text).not.toMatch(/\bJurors?\b/);
    await admin.chooseLocale('sv'); // the choice is kept on the user; the tests after this one read Swedish
  });
});

describe('after the reveal', () => {
  test('when an unlock and a reveal come at the same moment, then the reveal waits for the unlock and publishes nothing', async () => {
    const { edition } = (await editions.current(ctx.db, ctx.clock.now()))!;
    const trx = await ctx.db.transaction();
    await jury.unlock(trx, ctx.events, edition, { id: users.admin, name: 'Admin', admin: true }, 'Samtidigt som avslöjandet', ctx.clock.now());
    let settled = false;
    const reveal = ceremony.reveal(ctx.db, ctx.events, editionId, users.admin, ctx.clock.now()).finally(() => {
      settled = true;
    });
    reveal.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    await trx.commit();
    await expect(reveal).rejects.toMatchObject({ status: 409, messageKey: 'ceremony.errors.notLocked' });
    expect((await ctx.db('editions').where({ id: editionId }).first()).revealed_at).toBeNull();
    // The chair locks again for the real reveal below.
    expect((await post(await ctx.signIn('cecilia@example.org'), '/jury/decision/lock', { confirm: 'yes' })).status).toBe(303);
  });

  test('when the ceremony has revealed the result, then unlocking is refused with a clear message, nothing changes and no form is offered', async () => {
    const admin = await ctx.signIn('admin@example.org');
    expect((await post(admin, `/ceremony/${year}/reveal`, { confirm: 'yes' })).status).toBe(303);
    const before = await snapshot();
    for (const email of ['admin@example.org', 'cecilia@example.org']) {
      const agent = await ctx.signIn(email);
      const res = await post(agent, '/jury/decision/unlock', { reason: 'För sent påkommet', confirm: 'yes' });
      expect(res.status).toBe(409);
      expect(visibleText(res.text)).toContain('Resultatet kan inte låsas upp längre, eftersom det redan har visats vid prisutdelningen');
      expect((await agent.get('/jury/decision')).text).not.toContain('action="/jury/decision/unlock"');
    }
    expect(await snapshot()).toEqual(before);
    expect(await jury.isLocked(ctx.db, editionId)).toBe(true);
  });
});
