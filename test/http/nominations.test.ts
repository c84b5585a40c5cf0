// Nominations end to end over HTTP (N1–N6): the form, drafts, consent by mail, moderation and the
// gallery, with the hostile cases. Mail goes through a real SMTP server started here.
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

const DAY = 24 * 60 * 60 * 1000;
let ctx: TestContext;
let smtp: TestSmtp;
let departmentId: number;
let users: Record<string, number>;
let startedAt: Date;

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestContext({ env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://misstag.example.org' } });
  startedAt = ctx.clock.now();
  const edition = await ctx.db('editions').whereNull('archived_at').first();
  departmentId = Number((await ctx.db('departments').where({ edition_id: edition.id, name: 'Skol- och fritidsförvaltningen' }).first()).id);
  users = Object.fromEntries((await ctx.db('users').select('id', 'email')).map((u) => [u.email.split('@')[0], Number(u.id)]));
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});
afterEach(() => ctx.clock.set(startedAt));

type Fields = Record<string, string | string[]>;

function complete(extra: Fields = {}): Fields {
  return {
    title: 'Kalendern som ingen kunde boka',
    lesson: 'Vi lärde oss att fråga dem som ska använda systemet innan vi köper det.',
    what_happened: 'Vi köpte ett bokningssystem som ingen förstod.',
    changes: 'Nu testar vi alltid med fem användare först.',
    department_id: String(departmentId),
    includes_self: 'yes',
    eligibility: 'yes',
    show_submitter: 'yes',
    decline_policy: 'remove',
    action: 'submit',
    ...extra,
  };
}

async function post(agent: Agent, url: string, fields: Fields, options: { csrf?: boolean; files?: Array<[Buffer, string]>; token?: string } = {}) {
  const token = options.token ?? (await agent.csrf());
  let req = agent.post(url);
  if (options.csrf !== false) req = req.field('_csrf', token);
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) req = req.field(k, x);
  for (const [buf, name] of options.files ?? []) req = req.attach('attachments', buf, name);
  return req;
}

async function form(agent: Agent, url: string, fields: Record<string, string>) {
  const token = await agent.csrf();
  return agent.post(url).type('form').send({ _csrf: token, ...fields });
}

async function latestOf(email: string) {
  return ctx.db('nominations').where({ submitter_id: users[email] }).orderBy('id', 'desc').first();
}

async function count(table: string) {
  return Number((await ctx.db(table).count({ n: '*' }).first())?.n);
}

describe('the form (N1)', () => {
  test('when the nomination phase is open, then the form asks what happened before the lesson, then the criteria, blameless guidance and the eligibility checkbox', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get('/nominate');
    expect(res.status).toBe(200);
    const text = visibleText(res.text);
    expect(text).toContain('Vad lärde ni er?');
    // The story in the order it happened: what happened, then what was learned (N1).
    expect(text.indexOf('Vad hände?')).toBeLessThan(text.indexOf('Vad lärde ni er?'));
    // Writing tips come after the form in the page (on a phone, below it; beside it on a wide screen).
    expect(res.text.indexOf('</form>')).toBeLessThan(res.text.indexOf('inte om vem som gjorde fel'));
    expect(text).toContain('Mod');
    expect(text).toContain('inte om vem som gjorde fel');
    expect(text).toContain('Misstaget gjordes i all välmening');
    expect(text).not.toContain('Jag intygar');
    expect(res.text).toMatch(/<form[^>]+enctype="multipart\/form-data"[^>]*>\s*<input type="hidden" name="_csrf"/);
    expect(res.text).toContain('Bo Ekström');
  });

  test('when nominations have closed, then the page says so with the date and a post stores nothing', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const draft = await post(anna, '/nominate', { title: 'Hann inte klart', action: 'draft' });
    ctx.clock.advance(15 * DAY);
    const later = await ctx.signIn('anna@example.org'); // days later: a new session
    const page = await later.get('/nominate');
    expect(visibleText(page.text)).toContain('Nomineringen stängde');
    expect(visibleText((await later.get(draft.headers.location)).text)).toContain('Nomineringen stängde');
    const before = await count('nominations');
    const res = await post(later, '/nominate', complete());
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('Det går inte att nominera just nu.');
    expect(await count('nominations')).toBe(before);
  });

  test('when nominations have not opened yet, then the page says when they open', async () => {
    const anna = await ctx.signIn('anna@example.org');
    ctx.clock.advance(-31 * DAY);
    expect(visibleText((await anna.get('/nominate')).text)).toContain('Nomineringen öppnar');
  });
});

describe('drafts and validation (N2)', () => {
  test('when a draft is saved unfinished, then it is stored and comes back filled in', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await post(anna, '/nominate', { title: 'Halvfärdigt utkast', lesson: 'Något vi lärde oss', action: 'draft', colleague_slots: '3' });
    expect(res.status).toBe(303);
    const row = await latestOf('anna');
    expect(row.status).toBe('draft');
    expect(res.headers.location).toBe(`/nominations/${row.id}/edit`);
    const edit = await anna.get(res.headers.location);
    expect(edit.text).toContain('value="Halvfärdigt utkast"');
    expect(edit.text).toContain('Något vi lärde oss</textarea>');
  });

  test('when a submit is incomplete, then the draft is saved with its file and the form comes back with an error summary linking to the fields', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const sharp = (await import('sharp')).default;
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } }).jpeg().toBuffer();
    const res = await post(anna, '/nominate', complete({ lesson: '', eligibility: '', title: 'Utan lärdom' }), { files: [[photo, 'bild.jpg']] });
    expect(res.status).toBe(422);
    expect(res.text).toContain('href="#f-lesson"');
    expect(res.text).toContain('href="#f-eligibility"');
    expect(visibleText(res.text)).toContain('Skriv vad ni lärde er.');
    expect(res.text).toContain('value="Utan lärdom"');
    const row = await latestOf('anna');
    expect(row.status).toBe('draft');
    expect(row.title).toBe('Utan lärdom');
    expect(await ctx.db('attachments').where({ nomination_id: row.id })).toHaveLength(1);
    expect(res.text).toContain(`action="/nominations/${row.id}"`);
    expect(res.text).toContain('bild.jpg');
  });

  test('when text has <script>, then it is stored as typed and shown escaped', async () => {
    const anna = await ctx.signIn('anna@example.org');
    await post(anna, '/nominate', complete({ title: 'Skript <script>alert(1)</script>' }));
    const row = await latestOf('anna');
    expect(row.title).toBe('Skript <script>alert(1)</script>');
    const page = await anna.get(`/entries/${row.id}`);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('Skript &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('when a text has 100,000 characters, then a clear length message comes back and nothing is stored', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const before = await count('nominations');
    const res = await post(anna, '/nominate', complete({ lesson: 'a'.repeat(100_000) }));
    expect(res.status).toBe(422);
    // Numbers in Swedish form, and the summary names the field.
    expect(visibleText(res.text)).toContain('Vad lärde ni er? – Texten får vara högst 10 000 tecken. Nu är den 100 000 tecken.');
    expect(await count('nominations')).toBe(before);
  });

  test('when a multipart nomination is posted without the CSRF token, then it is refused and nothing is stored', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const before = await count('nominations');
    const res = await post(anna, '/nominate', complete(), { csrf: false, files: [[Buffer.from('x'), 'a.png']] });
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('Sidan har varit öppen för länge');
    expect(await count('nominations')).toBe(before);
  });

  test('when the same form is submitted twice, then only one nomination is created', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const before = await count('nominations');
    const fields = complete({ form_key: 'a'.repeat(32), title: 'Dubbelklick' });
    const token = await anna.csrf();
    const [a, b] = await Promise.all([post(anna, '/nominate', fields, { token }), post(anna, '/nominate', fields, { token })]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(await count('nominations')).toBe(before + 1);
    const third = await post(anna, '/nominate', fields);
    expect(third.status).toBe(303);
    const mine = await anna.get('/nominations/mine');
    expect(visibleText(mine.text)).toContain('Vi hade redan tagit emot nomineringen.');
    expect(await count('nominations')).toBe(before + 1);
  });
});

describe("other people's nominations", () => {
  test("when someone opens or changes another user's draft by id, then they are refused and nothing changes", async () => {
    const anna = await ctx.signIn('anna@example.org');
    await post(anna, '/nominate', { title: 'Annas hemliga utkast', action: 'draft' });
    const draft = await latestOf('anna');
    const bo = await ctx.signIn('bo@example.org');
    const edit = await bo.get(`/nominations/${draft.id}/edit`);
    expect(edit.status).toBe(403);
    expect(visibleText(edit.text)).toContain('Du har inte behörighet');
    expect((await bo.get(`/entries/${draft.id}`)).status).toBe(404);
    const change = await post(bo, `/nominations/${draft.id}`, complete({ title: 'Bo tog över' }));
    expect(change.status).toBe(403);
    const withdraw = await form(bo, `/nominations/${draft.id}/withdraw`, {});
    expect(withdraw.status).toBe(403);
    const after = await ctx.db('nominations').where({ id: draft.id }).first();
    expect(after.title).toBe('Annas hemliga utkast');
    expect(after.status).toBe('draft');
  });
});

describe('consent and moderation (N3, N4)', () => {
  let id: number;
  let token: string;

  test('when anna nominates herself and bo, then bo gets a mail with a consent link and an in-app notification', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await post(anna, '/nominate', complete({ title: 'Samtyckestestet', c0_user: String(users.bo), team_name: 'Team Å' }));
    expect(res.status).toBe(303);
    const row = await latestOf('anna');
    expect(res.headers.location).toBe(`/nominations/${row.id}/thanks`);
    id = row.id;
    expect(row.status).toBe('awaiting_consent');
    expect(row.search_text).toContain('team å');
    const nominee = await ctx.db('nominees').where({ nomination_id: id }).first();
    token = nominee.consent_token;
    expect(nominee.user_id).toBe(users.bo);
    const mail = await smtp.waitFor((m) => m.to.includes('bo@example.org') && m.text.includes(token));
    expect(mail.subject).toBe('En kollega har nämnt dig i en nominering till Årets misstag');
    expect(mail.text).toContain(`https://misstag.example.org/consent/${token}`);
    expect(mail.text).toContain('Anna Lindqvist har nominerat ”Samtyckestestet”');
    const notes = await ctx.db('notifications').where({ user_id: users.bo, kind: 'consent.requested' });
    expect(notes).toHaveLength(1);
    const mine = await anna.get('/nominations/mine');
    expect(visibleText(mine.text)).toContain('Väntar på svar från kollegor');
  });

  test('when an admin tries to publish before bo has consented, then it is refused and the entry stays unpublished', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const queue = await admin.get('/admin/moderation');
    expect(visibleText(queue.text)).toContain('Samtyckestestet');
    expect(visibleText(queue.text)).toContain('Bo Ekström: Har inte svarat');
    const res = await form(admin, `/admin/moderation/${id}/publish`, {});
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('alla nämnda kollegor har inte sagt ja');
    expect((await ctx.db('nominations').where({ id }).first()).status).toBe('awaiting_consent');
    const gallery = await (await ctx.signIn('eva@example.org')).get(`/entries/${id}`);
    expect(gallery.status).toBe(404);
  });

  test('when someone else uses the consent link, then they get 403 and nothing changes', async () => {
    const cecilia = await ctx.signIn('cecilia@example.org');
    expect((await cecilia.get(`/consent/${token}`)).status).toBe(403);
    const res = await form(cecilia, `/consent/${token}`, { answer: 'give' });
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('Du har inte behörighet');
    expect((await ctx.db('nominees').where({ consent_token: token }).first()).consent).toBe('pending');
    const anna = await ctx.signIn('anna@example.org');
    expect((await form(anna, `/consent/${token}`, { answer: 'give' })).status).toBe(403);
    expect((await ctx.db('nominees').where({ consent_token: token }).first()).consent).toBe('pending');
  });

  test('when bo consents with a message, then the entry goes to moderation and anna is told', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const page = await bo.get(`/consent/${token}`);
    expect(visibleText(page.text)).toContain('Vi lärde oss att fråga dem som ska använda systemet');
    const res = await form(bo, `/consent/${token}`, { answer: 'give', message: 'Gärna!' });
    expect(res.status).toBe(303);
    expect((await ctx.db('nominees').where({ consent_token: token }).first()).consent).toBe('given');
    expect((await ctx.db('nominations').where({ id }).first()).status).toBe('in_moderation');
    const mail = await smtp.waitFor((m) => m.to.includes('anna@example.org') && m.subject === 'Bo Ekström vill vara med i din nominering');
    expect(mail.text).toContain('”Gärna!”');
  });

  test('when the admin publishes, then the entry is in the gallery with the consented names, the action is audited and anna is told', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const res = await form(admin, `/admin/moderation/${id}/publish`, {});
    expect(res.status).toBe(303);
    expect((await ctx.db('nominations').where({ id }).first()).status).toBe('published');
    expect(await ctx.db('audit_log').where({ action: 'moderation.publish', subject_id: id })).toHaveLength(1);
    await smtp.waitFor((m) => m.to.includes('anna@example.org') && m.subject === 'Din nominering är publicerad');
    const eva = await ctx.signIn('eva@example.org');
    const gallery = await eva.get('/entries?q=SAMTYCKESTESTET');
    expect(visibleText(gallery.text)).toContain('Samtyckestestet');
    const entry = await eva.get(`/entries/${id}`);
    const text = visibleText(entry.text);
    expect(text).toContain('Nominerade: Anna Lindqvist, Bo Ekström');
    expect(text.indexOf('Lärdomen')).toBeLessThan(text.indexOf('Vad hände?'));
  });

  test('when bo withdraws consent after publication, then his name disappears; after judging starts he can no longer withdraw', async () => {
    const bo = await ctx.signIn('bo@example.org');
    const res = await form(bo, `/consent/${token}`, { answer: 'withdraw' });
    expect(res.status).toBe(303);
    const entry = await (await ctx.signIn('eva@example.org')).get(`/entries/${id}`);
    expect(visibleText(entry.text)).not.toContain('Bo Ekström');
    expect((await ctx.db('nominations').where({ id }).first()).status).toBe('published');
    await form(bo, `/consent/${token}`, { answer: 'give' });
    ctx.clock.advance(23 * DAY);
    const late = await form(await ctx.signIn('bo@example.org'), `/consent/${token}`, { answer: 'withdraw' });
    expect(late.status).toBe(409);
    expect((await ctx.db('nominees').where({ consent_token: token }).first()).consent).toBe('given');
  });

  test('when a colleague declines and the submitter chose to keep it unpublished, then it stays waiting', async () => {
    const anna = await ctx.signIn('anna@example.org');
    await post(anna, '/nominate', complete({ title: 'Vänta på alla', decline_policy: 'keep_unpublished', c0_name: 'Eva Sjöberg', c0_email: 'EVA@example.org' }));
    const row = await latestOf('anna');
    const nominee = await ctx.db('nominees').where({ nomination_id: row.id }).first();
    expect(nominee.user_id).toBe(users.eva);
    const eva = await ctx.signIn('eva@example.org');
    await form(eva, `/consent/${nominee.consent_token}`, { answer: 'decline', message: 'Helst inte' });
    expect((await ctx.db('nominations').where({ id: row.id }).first()).status).toBe('awaiting_consent');
    const mail = await smtp.waitFor((m) => m.to.includes('anna@example.org') && m.subject.includes('vill inte vara med i din nominering'));
    expect(mail.text).toContain('Bidraget publiceras inte förrän alla har sagt ja. Vill du publicera ändå kan du ta bort personen under Mina nomineringar.');
  });

  test('when a colleague declines and the submitter chose to remove them, then the entry goes on without their name', async () => {
    const anna = await ctx.signIn('anna@example.org');
    await post(anna, '/nominate', complete({ title: 'Ta bort den som säger nej', c0_user: String(users.david) }));
    const row = await latestOf('anna');
    const nominee = await ctx.db('nominees').where({ nomination_id: row.id }).first();
    const david = await ctx.signIn('david@example.org');
    await form(david, `/consent/${nominee.consent_token}`, { answer: 'decline' });
    expect((await ctx.db('nominations').where({ id: row.id }).first()).status).toBe('in_moderation');
    const admin = await ctx.signIn('admin@example.org');
    expect((await form(admin, `/admin/moderation/${row.id}/publish`, {})).status).toBe(303);
    const page = visibleText((await (await ctx.signIn('eva@example.org')).get(`/entries/${row.id}`)).text);
    expect(page).toContain('Nominerade: Anna Lindqvist');
    expect(page).not.toContain('David Holm');
  });

  test('when the admin asks for changes, then anna sees the message, edits and resubmits', async () => {
    const anna = await ctx.signIn('anna@example.org');
    await post(anna, '/nominate', complete({ title: 'Behöver putsas' }));
    const row = await latestOf('anna');
    const admin = await ctx.signIn('admin@example.org');
    const empty = await form(admin, `/admin/moderation/${row.id}/request-changes`, { message: '' });
    expect(empty.status).toBe(422);
    expect(await form(admin, `/admin/moderation/${row.id}/request-changes`, { message: 'Korta ner texten, tack.' })).toHaveProperty('status', 303);
    const mine = visibleText((await anna.get('/nominations/mine')).text);
    expect(mine).toContain('Behöver ändras');
    expect(mine).toContain('Korta ner texten, tack.');
    await smtp.waitFor((m) => m.to.includes('anna@example.org') && m.subject === 'Din nominering behöver ändras');
    const edit = await anna.get(`/nominations/${row.id}/edit`);
    const version = /name="version" value="(\d+)"/.exec(edit.text)![1];
    const res = await post(anna, `/nominations/${row.id}`, complete({ title: 'Putsad', version }));
    expect(res.status).toBe(303);
    const after = await ctx.db('nominations').where({ id: row.id }).first();
    expect(after.status).toBe('in_moderation');
    expect(after.title).toBe('Putsad');
  });

  test('when the admin rejects with a reason, then anna sees the reason; typo fixes are audited', async () => {
    const anna = await ctx.signIn('anna@example.org');
    await post(anna, '/nominate', complete({ title: 'Stavfell' }));
    const row = await latestOf('anna');
    const admin = await ctx.signIn('admin@example.org');
    const item = await admin.get(`/admin/moderation/${row.id}`);
    expect(item.status).toBe(200);
    await form(admin, `/admin/moderation/${row.id}/edit`, { title: 'Stavfel', lesson: row.lesson, changes: row.changes, what_happened: row.what_happened, team_name: '' });
    const fixed = await ctx.db('nominations').where({ id: row.id }).first();
    expect(fixed.title).toBe('Stavfel');
    expect(fixed.search_text).toContain('stavfel');
    expect(await ctx.db('audit_log').where({ action: 'moderation.edit', subject_id: row.id })).toHaveLength(1);
    await form(admin, `/admin/moderation/${row.id}/reject`, { reason: 'Texten pekar ut en enskild person.' });
    expect(visibleText((await anna.get('/nominations/mine')).text)).toContain('Skäl: Texten pekar ut en enskild person.');
    expect(await ctx.db('audit_log').where({ action: 'moderation.reject', subject_id: row.id })).toHaveLength(1);
  });

  test('when a colleague without an account is named by e-mail, then the consent mail still reaches them', async () => {
    const anna = await ctx.signIn('anna@example.org');
    await post(anna, '/nominate', complete({ title: 'Ny kollega', c0_name: 'Kim Nyström', c0_email: 'kim.nystrom@example.org' }));
    const row = await latestOf('anna');
    const nominee = await ctx.db('nominees').where({ nomination_id: row.id }).first();
    expect(nominee.user_id).toBeNull();
    const mail = await smtp.waitFor((m) => m.to.includes('kim.nystrom@example.org'));
    expect(mail.text).toContain('Hej Kim Nyström!');
    expect(mail.text).toContain(`/consent/${nominee.consent_token}`);
  });

  test('when an entry already sent is changed so that the lesson is empty, then nothing is saved', async () => {
    const anna = await ctx.signIn('anna@example.org');
    await post(anna, '/nominate', complete({ title: 'Redan skickad' }));
    const row = await latestOf('anna');
    expect(row.status).toBe('in_moderation');
    const res = await post(anna, `/nominations/${row.id}`, complete({ title: 'Redan skickad', lesson: '', version: String(row.version) }));
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('Skriv vad ni lärde er.');
    const after = await ctx.db('nominations').where({ id: row.id }).first();
    expect(after.lesson).toBe(row.lesson);
    expect(after.status).toBe('in_moderation');
  });

  test('when an employee opens moderation, then they are refused', async () => {
    const bo = await ctx.signIn('bo@example.org');
    expect((await bo.get('/admin/moderation')).status).toBe(403);
    expect((await form(bo, `/admin/moderation/${id}/reject`, { reason: 'x' })).status).toBe(403);
  });

  test('when anna withdraws a nomination, then it is withdrawn and no longer in the gallery', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const confirm = await anna.get(`/nominations/${id}/withdraw`);
    expect(visibleText(confirm.text)).toContain('Vill du återkalla ”Samtyckestestet”?');
    expect((await ctx.db('nominations').where({ id }).first()).status).toBe('published');
    await form(anna, `/nominations/${id}/withdraw`, {});
    expect((await ctx.db('nominations').where({ id }).first()).status).toBe('withdrawn');
    expect((await (await ctx.signIn('eva@example.org')).get(`/entries/${id}`)).status).toBe(404);
  });
});

describe('gallery (N6)', () => {
  test('when searching with upper-case Swedish letters, then entries with å/ä/ö match', async () => {
    const eva = await ctx.signIn('eva@example.org');
    const res = await eva.get('/entries?q=' + encodeURIComponent('PÅ FEL TAK'));
    expect(visibleText(res.text)).toContain('Solcellerna på fel tak');
    expect(visibleText(res.text)).not.toContain('Bygglovsblanketten med 47 frågor');
    const one = await eva.get('/entries?q=' + encodeURIComponent('SOLCELLERNA PÅ'));
    expect(visibleText(one.text)).toContain('1 bidrag');
  });

  test('when filtering by department, then only that department is shown', async () => {
    const eva = await ctx.signIn('eva@example.org');
    const res = await eva.get(`/entries?department=${departmentId}`);
    const text = visibleText(res.text);
    expect(text).toContain('Appen som ingen förälder laddade ner');
    expect(text).not.toContain('Bygglovsblanketten med 47 frågor');
  });

  test('when a visitor reloads, then the order stays the same; names appear only with consent and the submitter only by choice', async () => {
    const eva = await ctx.signIn('eva@example.org');
    const ids = (html: string) => [...html.matchAll(/id="entry-(\d+)-title"/g)].map((m) => m[1]);
    const first = ids((await eva.get('/entries')).text);
    const second = ids((await eva.get('/entries')).text);
    expect(first.length).toBeGreaterThan(5);
    expect(second).toEqual(first);
    const awaiting = await ctx.db('nominations').where({ status: 'awaiting_consent', submitter_id: users.david }).first();
    if (awaiting) expect((await eva.get(`/entries/${awaiting.id}`)).status).toBe(404);
    const fatima = await ctx.db('nominations').where({ submitter_id: users.fatima }).first();
    const page = visibleText((await eva.get(`/entries/${fatima.id}`)).text);
    expect(page).toContain('Nattpatrullen');
    expect(page).not.toContain('Fatima Haddad');
  });

  test('when there are more entries than fit on a page, then the pages together hold each entry once, in the same order every time', async () => {
    const eva = await ctx.signIn('eva@example.org');
    const ids = (html: string) => [...html.matchAll(/id="entry-(\d+)-title"/g)].map((m) => m[1]);
    const total = Number((await ctx.db('nominations').where({ status: 'published' }).whereIn('edition_id', ctx.db('editions').whereNull('archived_at').select('id')).count({ n: '*' }).first())?.n);
    expect(total).toBeGreaterThan(12);
    const page1 = await eva.get('/entries');
    expect(visibleText(page1.text)).toContain('Sida 1 av 2');
    const page2 = await eva.get('/entries?page=2');
    const all = [...ids(page1.text), ...ids(page2.text)];
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    expect([...ids((await eva.get('/entries')).text), ...ids((await eva.get('/entries?page=2')).text)]).toEqual(all);
  });

  test("when an entry of last year's archived edition is opened, then its permanent page works", async () => {
    const previous = await ctx.db('editions').whereNotNull('archived_at').first();
    const old = await ctx.db('nominations').where({ edition_id: previous.id, status: 'published' }).first();
    const res = await (await ctx.signIn('bo@example.org')).get(`/entries/${old.id}`);
    expect(res.status).toBe(200);
    expect(visibleText(res.text)).toContain(old.title);
    expect(visibleText(res.text)).toContain(previous.title);
  });

  test('when the gallery is shown in English, then the texts are English', async () => {
    const eva = await ctx.signIn('eva@example.org');
    await eva.chooseLocale('en');
    const res = await eva.get('/entries');
    expect(visibleText(res.text)).toContain('Search the entries');
  });
});

describe('choosing colleagues in a large organisation', () => {
  test('when searching for a colleague, then name and e-mail matches come back as JSON', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get('/nominations/colleagues?q=ekstr').set('Accept', 'application/json');
    expect(res.body.colleagues).toEqual([{ name: 'Bo Ekström', email: 'bo@example.org', department: 'Stadsbyggnadsförvaltningen' }]);
    expect((await anna.get('/nominations/colleagues?q=lindqvist').set('Accept', 'application/json')).body.colleagues).toEqual([]);
    expect((await ctx.anonymous().get('/nominations/colleagues?q=bo').set('Accept', 'application/json')).status).toBe(401);
  });

  test('when a typed e-mail belongs to nobody and has no name, then the name is asked for and nothing is stored', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const before = await count('nominations');
    const res = await post(anna, '/nominate', complete({ c0_email: 'okand@example.org' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('href="#f-c0_name"');
    expect(await count('nominations')).toBe(before);
  });

  test('when the organisation has more than 500 people, then the form asks for name and e-mail instead of a long list', async () => {
    const rows = Array.from({ length: 510 }, (_, i) => ({ tenant_id: 'bulk', object_id: `u${i}`, email: `person${i}@example.org`, name: `Person ${i}`, created_at: ctx.clock.now() }));
    await ctx.db.batchInsert('users', rows, 100);
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get('/nominate');
    expect(res.text).not.toContain('name="c0_user"');
    expect(visibleText(res.text)).toContain('Skriv kollegans namn och e-postadress.');
    expect(res.text.length).toBeLessThan(60_000);
    const sent = await post(anna, '/nominate', complete({ title: 'Stor organisation', c0_email: 'person42@example.org' }));
    expect(sent.status).toBe(303);
    const nominee = await ctx.db('nominees').where({ nomination_id: (await latestOf('anna')).id }).first();
    expect(nominee.name).toBe('Person 42');
  });
});
