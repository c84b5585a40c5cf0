// The app is no mail relay: a nomination names colleagues only at the organisation's domains
// (ALLOWED_EMAIL_DOMAINS, here the default of dev mode: example.org), consent mails are limited per
// recipient and per sender per hour (counted in the database), and consent answers are rate-limited.
// Mail goes through a real SMTP server started here.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { MAIL_LIMITS } from '../../src/notifications/service';

let ctx: TestContext;
let smtp: TestSmtp;
let departmentId: number;

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestContext({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://misstag.example.org' } });
  const edition = await ctx.db('editions').whereNull('archived_at').orderBy('year').first();
  departmentId = Number((await ctx.db('departments').where({ edition_id: edition.id }).first()).id);
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

function nomination(title: string, colleagues: Array<{ name: string; email: string }>): Record<string, string> {
  const fields: Record<string, string> = {
    title,
    lesson: 'Vi lärde oss att fråga först.',
    what_happened: 'Det som hände.',
    changes: '',
    department_id: String(departmentId),
    eligibility: 'yes',
    show_submitter: 'yes',
    decline_policy: 'remove',
    action: 'submit',
    colleague_slots: String(Math.max(3, colleagues.length)),
  };
  colleagues.forEach((c, i) => {
    fields[`c${i}_name`] = c.name;
    fields[`c${i}_email`] = c.email;
  });
  return fields;
}

async function nominate(agent: Agent, fields: Record<string, string>) {
  let req = agent.post('/nominate').field('_csrf', await agent.csrf());
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req;
}

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.some((t) => t.toLowerCase().includes(address.toLowerCase())));

describe('only the organisation\'s domains (ALLOWED_EMAIL_DOMAINS)', () => {
  test.each([
    ['an outside domain', 'offer@attacker.example.com'],
    ['a look-alike subdomain', 'x@example.org.attacker.net'],
    ['a domain that ends the same', 'x@notexample.org'],
  ])('when a colleague is named at %s, then the form says which domains are allowed, nothing is stored and no mail goes out', async (_what, email) => {
    const anna = await ctx.signIn('anna@example.org');
    const before = Number((await ctx.db('nominations').count({ n: '*' }).first())?.n);
    const res = await nominate(anna, nomination('Reläförsöket', [{ name: 'Okänd Person', email }]));
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('Du kan bara nämna kolleger med en e-postadress i organisationen (@example.org).');
    expect(Number((await ctx.db('nominations').count({ n: '*' }).first())?.n)).toBe(before);
    expect(await ctx.db('nominees').where({ email })).toHaveLength(0);
    expect(mailsTo(email)).toHaveLength(0);
  });

  test('when the page is in English, then the message is too', async () => {
    await ctx.db('users').where({ email: 'david@example.org' }).update({ locale: 'en' });
    const david = await ctx.signIn('david@example.org');
    const res = await nominate(david, nomination('Relay attempt', [{ name: 'Outsider', email: 'x@attacker.example.com' }]));
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('You can only name colleagues with an e-mail address at the organisation (@example.org).');
  });

  test('when a colleague at the organisation\'s domain is named by e-mail, then the consent mail goes out', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const res = await nominate(bo, nomination('Rätt domän', [{ name: 'Ny Kollega', email: 'ny.kollega@EXAMPLE.org' }]));
    expect(res.status).toBe(303);
    await smtp.waitFor((m) => m.to.some((t) => t.includes('ny.kollega@example.org')));
  });
});

describe('consent mail limits', () => {
  test('when one sender names the same colleague in many nominations, then at most the per-recipient limit of mails reaches them in an hour; the requests stay in the app', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const target = 'mottagare@example.org';
    for (let i = 0; i < MAIL_LIMITS.perRecipientPerHour + 3; i++) {
      expect((await nominate(anna, nomination(`Upprepning ${i}`, [{ name: 'Mottagare', email: target }]))).status).toBe(303);
    }
    expect(mailsTo(target)).toHaveLength(MAIL_LIMITS.perRecipientPerHour);
    expect(await ctx.db('nominees').where({ email: target })).toHaveLength(MAIL_LIMITS.perRecipientPerHour + 3);
    // An hour later the next one goes out again.
    ctx.clock.advance(61 * 60 * 1000);
    expect((await nominate(anna, nomination('En timme senare', [{ name: 'Mottagare', email: target }]))).status).toBe(303);
    expect(mailsTo(target)).toHaveLength(MAIL_LIMITS.perRecipientPerHour + 1);
  });

  test('when one sender names many colleagues, then at most the per-sender limit of consent mails goes out in an hour', async () => {
    const eva = await ctx.signIn('eva@example.org');
    const sentBefore = smtp.mails.length;
    const total = MAIL_LIMITS.perSenderPerHour + 10;
    for (let batch = 0; batch * 10 < total; batch++) {
      const colleagues = Array.from({ length: 10 }, (_, i) => ({ name: `Kollega ${batch}-${i}`, email: `massutskick-${batch}-${i}@example.org` }));
      expect((await nominate(eva, nomination(`Massutskick ${batch}`, colleagues))).status).toBe(303);
    }
    const consentMails = smtp.mails.slice(sentBefore).filter((m) => m.to.some((t) => t.includes('massutskick-')));
    expect(consentMails).toHaveLength(MAIL_LIMITS.perSenderPerHour);
    expect(await ctx.db('mail_sends').where({ sender_id: (await ctx.db('users').where({ email: 'eva@example.org' }).first()).id })).toHaveLength(MAIL_LIMITS.perSenderPerHour);
  });
});

describe('consent answers are rate-limited', () => {
  test('when a named colleague changes their answer in a loop, then the surplus gets 429 with a clear message and the submitter is not flooded', async () => {
    const anna = await ctx.signIn('anna@example.org');
    expect((await nominate(anna, nomination('Fram och tillbaka', [{ name: 'Bo Ekström', email: 'bo@example.org' }]))).status).toBe(303);
    const nominee = await ctx.db('nominees').where({ email: 'bo@example.org' }).orderBy('id', 'desc').first();
    const bo = await ctx.signIn('bo@example.org');
    const token = await bo.csrf();
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 14; i++) {
      const res = await bo.post(`/consent/${nominee.consent_token}`).type('form').send({ _csrf: token, answer: i % 2 ? 'withdraw' : 'give' });
      statuses.push(res.status);
      if (res.status === 429) last = visibleText(res.text);
    }
    expect(statuses.slice(0, 10).every((s) => s === 303)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429]);
    expect(last).toContain('Du har gjort för många försök på kort tid.');
  });
});
