// The ceremony's calendar invitation (R10), read back with a small RFC 5545 parser: CRLF line endings,
// lines folded at 75 octets, Europe/Stockholm with its VTIMEZONE, one UID per edition, SEQUENCE and
// DTSTAMP that move when an admin moves the ceremony; linked from the home page, attached to the mail
// that announces voting, which also has an accessible HTML part.
import { createTestContext, type Agent, type TestContext } from '../helpers/context';
import { fakeMailer, mailEvents } from '../helpers/mail';
import { announceOpenPhases } from '../../src/admin/announcements';
import { toStockholmLocal } from '../../src/time';
import { foldLine } from '../../src/calendar/ics';

type Component = { name: string; props: Array<{ name: string; params: Record<string, string>; value: string }>; children: Component[] };

/** Unfolds and parses iCalendar text into nested components; throws on anything malformed. */
function parseIcs(text: string): Component {
  if (!text.endsWith('\r\n')) throw new Error('must end with CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const l of physical) {
    if (/[\r\n]/.test(l)) throw new Error(`bare CR or LF in ${JSON.stringify(l)}`);
    if (Buffer.byteLength(l, 'utf8') > 75) throw new Error(`line over 75 octets: ${l}`);
  }
  const lines: string[] = [];
  for (const l of physical) {
    if (l.startsWith(' ') || l.startsWith('\t')) lines[lines.length - 1] += l.slice(1);
    else lines.push(l);
  }
  const root: Component = { name: 'ROOT', props: [], children: [] };
  const stack = [root];
  for (const line of lines) {
    const m = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=[^;:]*)*):(.*)$/.exec(line);
    if (!m) throw new Error(`not a content line: ${line}`);
    const [, name, rawParams, value] = m;
    const params = Object.fromEntries(rawParams.split(';').filter(Boolean).map((p) => p.split('=') as [string, string]));
    if (name === 'BEGIN') {
      const c: Component = { name: value, props: [], children: [] };
      stack[stack.length - 1].children.push(c);
      stack.push(c);
    } else if (name === 'END') {
      if (stack.pop()?.name !== value) throw new Error(`END:${value} does not close what was begun`);
    } else {
      stack[stack.length - 1].props.push({ name, params, value });
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unbalanced BEGIN/END');
  return root.children[0];
}

const prop = (c: Component, name: string) => c.props.find((p) => p.name === name);
const child = (c: Component, name: string) => c.children.find((x) => x.name === name)!;
const unescape = (v: string) => v.replace(/\\n/g, '\n').replace(/\\([,;\\])/g, '$1');

let ctx: TestContext;
let editionId: number;
let year: number;

beforeAll(async () => {
  ctx = await createTestContext({ env: { PUBLIC_URL: 'https://misstag.example.org' } });
  const edition = await ctx.db('editions').whereNull('archived_at').orderBy('year', 'desc').first();
  editionId = Number(edition.id);
  year = Number(edition.year);
});
afterAll(async () => {
  await ctx.close();
});

async function formOf(agent: Agent): Promise<Record<string, string | string[]>> {
  const html = (await agent.get(`/admin/editions/${editionId}`)).text;
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '';
  const textarea = (name: string) => (new RegExp(`name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1] ?? '').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const all = (name: string) => [...html.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))].map((m) => m[1]);
  const allText = (name: string) => [...html.matchAll(new RegExp(`name="${name}"[^>]*>([\\s\\S]*?)</textarea>`, 'g'))].map((m) => m[1]);
  const form: Record<string, string | string[]> = {
    introSv: textarea('introSv'),
    introEn: textarea('introEn'),
    departments: textarea('departments'),
    criterionId: all('criterionId'),
    criterionNameSv: all('criterionNameSv'),
    criterionNameEn: all('criterionNameEn'),
    criterionWeight: all('criterionWeight'),
    criterionDescriptionSv: allText('criterionDescriptionSv'),
    criterionDescriptionEn: allText('criterionDescriptionEn'),
  };
  for (const k of ['title', 'nominationOpensAt', 'nominationClosesAt', 'votingOpensAt', 'votingClosesAt', 'judgingOpensAt', 'judgingClosesAt', 'ceremonyAt', 'voteBudget', 'finalistCount']) form[k] = value(k);
  return form;
}

async function saveEdition(admin: Agent, changes: Record<string, string>) {
  const form = { ...(await formOf(admin)), ...changes };
  return admin.post(`/admin/editions/${editionId}`).type('form').send({ _csrf: await admin.csrf(), ...form });
}

describe('the calendar file', () => {
  test('when an employee downloads it, then it is RFC 5545 with a Stockholm time, a VTIMEZONE and a stable UID', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get(`/ceremony/${year}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="arets-misstag-${year}.ics"`);
    const cal = parseIcs(res.text);
    expect(cal.name).toBe('VCALENDAR');
    expect(prop(cal, 'VERSION')?.value).toBe('2.0');
    expect(prop(cal, 'PRODID')?.value).toBeTruthy();
    const tz = child(cal, 'VTIMEZONE');
    expect(prop(tz, 'TZID')?.value).toBe('Europe/Stockholm');
    expect(child(tz, 'DAYLIGHT').props.find((p) => p.name === 'TZOFFSETTO')?.value).toBe('+0200');
    expect(child(tz, 'STANDARD').props.find((p) => p.name === 'TZOFFSETTO')?.value).toBe('+0100');

    const edition = await ctx.db('editions').where({ id: editionId }).first();
    const event = child(cal, 'VEVENT');
    expect(prop(event, 'UID')?.value).toBe(`ceremony-${year}@misstag.example.org`);
    expect(prop(event, 'SEQUENCE')?.value).toBe('0');
    const start = prop(event, 'DTSTART')!;
    expect(start.params).toEqual({ TZID: 'Europe/Stockholm' });
    const local = toStockholmLocal(new Date(edition.ceremony_at));
    expect(start.value).toBe(`${local.replace(/[-:]/g, '')}00`);
    expect(prop(event, 'DTSTAMP')?.value).toMatch(/^\d{8}T\d{6}Z$/);
    expect(unescape(prop(event, 'SUMMARY')!.value)).toBe(`Prisutdelning: ${edition.title}`);
    expect(prop(event, 'URL')?.value).toBe(`https://misstag.example.org/ceremony/${year}`);
  });

  test('when the same file is fetched again, then it is the same, byte for byte', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const a = (await anna.get(`/ceremony/${year}/calendar.ics`)).text;
    ctx.clock.advance(60 * 60 * 1000);
    const b = (await anna.get(`/ceremony/${year}/calendar.ics`)).text;
    expect(b).toBe(a);
  });

  test('when an admin moves the ceremony and gives it a long title, then the UID stays, SEQUENCE goes up, DTSTAMP is the time of the change, and long lines are folded', async () => {
    const before = parseIcs((await (await ctx.signIn('admin@example.org')).get(`/ceremony/${year}/calendar.ics`)).text);
    const longTitle = `Årets misstag ${year}, med lärdomar från förvaltningarna; skolan, vården och äldreomsorgen – alla är välkomna`;
    ctx.clock.set(new Date('2026-10-27T09:15:00Z'));
    const admin = await ctx.signIn('admin@example.org');
    const form = await formOf(admin);
    const moved = String(form.ceremonyAt).replace(/T\d\d:\d\d$/, 'T15:30');
    const saved = await saveEdition(admin, { ceremonyAt: moved, title: longTitle });
    expect(saved.status).toBe(303);

    const text = (await admin.get(`/ceremony/${year}/calendar.ics`)).text;
    const event = child(parseIcs(text), 'VEVENT');
    expect(prop(event, 'UID')?.value).toBe(prop(child(before, 'VEVENT'), 'UID')?.value);
    expect(prop(event, 'SEQUENCE')?.value).toBe('1');
    expect(prop(event, 'DTSTAMP')?.value).toBe('20261027T091500Z');
    expect(prop(event, 'DTSTART')?.value).toBe(`${moved.replace(/[-:]/g, '')}00`);
    expect(unescape(prop(event, 'SUMMARY')!.value)).toBe(`Prisutdelning: ${longTitle}`);
    expect(text).toMatch(/\r\n [^\r\n]/); // the summary did not fit on one line

    // Saving again without moving the ceremony leaves SEQUENCE as it is.
    expect((await saveEdition(admin, { title: `Årets misstag ${year}` })).status).toBe(303);
    expect(prop(child(parseIcs((await admin.get(`/ceremony/${year}/calendar.ics`)).text), 'VEVENT'), 'SEQUENCE')?.value).toBe('1');
  });

  test('when the year is not a year, has no edition, or the edition is still in setup, then the answer is 404 for an employee', async () => {
    const anna = await ctx.signIn('anna@example.org');
    for (const path of ['/ceremony/20x6/calendar.ics', '/ceremony/99999/calendar.ics', '/ceremony/1999/calendar.ics']) {
      expect((await anna.get(path)).status).toBe(404);
    }
    const admin = await ctx.signIn('admin@example.org');
    expect((await admin.post('/admin/editions').type('form').send({ _csrf: await admin.csrf(), year: String(year + 1), title: 'Nästa år' })).status).toBe(303);
    const next = await ctx.db('editions').where({ year: year + 1 }).first();
    await ctx.db('editions').where({ id: next.id }).update({ ceremony_at: new Date(Date.UTC(year + 1, 11, 10, 17)) });
    expect((await anna.get(`/ceremony/${year + 1}/calendar.ics`)).status).toBe(404);
    expect((await admin.get(`/ceremony/${year + 1}/calendar.ics`)).status).toBe(200);
    // Without a ceremony date there is nothing to put in a calendar.
    await ctx.db('editions').where({ id: next.id }).update({ ceremony_at: null });
    expect((await admin.get(`/ceremony/${year + 1}/calendar.ics`)).status).toBe(404);
  });

  test('when the home page shows the ceremony date, then it links to the calendar file', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const home = (await anna.get('/')).text;
    expect(home).toContain(`href="/ceremony/${year}/calendar.ics"`);
    expect(home).toContain('Lägg in prisutdelningen i din kalender');
  });
});

describe('folding', () => {
  test('when a line has many å, ä and ö, then no piece is over 75 octets and no character is split', () => {
    const line = `SUMMARY:${'åäö€'.repeat(40)}`;
    const folded = foldLine(line);
    for (const piece of folded.split('\r\n')) expect(Buffer.byteLength(piece, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
  });
});

describe('the voting announcement mail', () => {
  test('when voting opens, then the mail has the invitation attached and an HTML part in the reader’s language', async () => {
    const now = ctx.clock.now();
    await ctx.db('editions').where({ id: editionId }).update({ voting_opens_at: new Date(now.getTime() - 60 * 60 * 1000), voting_closes_at: new Date(now.getTime() + 5 * 24 * 60 * 60 * 1000), voting_override: null });
    await ctx.db('users').where({ email: 'bo@example.org' }).update({ locale: 'en' });
    const mailer = fakeMailer();
    expect(await announceOpenPhases(ctx.db, mailEvents(ctx, mailer), now)).toEqual(['voting']);
    const toAnna = mailer.sent.find((m) => m.to === 'anna@example.org')!;
    expect(toAnna.text).toContain('Med den bifogade filen kan du lägga in den i din kalender.');
    expect(toAnna.attachments).toHaveLength(1);
    expect(toAnna.attachments![0]).toMatchObject({ filename: `arets-misstag-${year}.ics`, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' });
    const event = child(parseIcs(toAnna.attachments![0].content), 'VEVENT');
    expect(prop(event, 'UID')?.value).toBe(`ceremony-${year}@misstag.example.org`);

    expect(toAnna.html).toMatch(/^<!DOCTYPE html>\n<html lang="sv">/);
    expect(toAnna.html).toContain('<a href="https://misstag.example.org/entries">');
    expect(toAnna.html).toContain('<main>');
    expect(toAnna.html).not.toMatch(/<table|<img|style=/);

    const toBo = mailer.sent.find((m) => m.to === 'bo@example.org')!;
    expect(toBo.html).toContain('<html lang="en">');
    expect(toBo.text).toContain('The attached file adds it to your calendar.');
    expect(unescape(prop(child(parseIcs(toBo.attachments![0].content), 'VEVENT'), 'SUMMARY')!.value)).toMatch(/^Award ceremony: /);
  });

  test('when a mail quotes someone’s own words with markup, then the HTML part escapes them', async () => {
    const mailer = fakeMailer();
    const events = mailEvents(ctx, mailer);
    const anna = Number((await ctx.db('users').where({ email: 'anna@example.org' }).first()).id);
    await events.emit('moderation.decided', { nominationId: 1, submitterId: anna, title: '<script>x</script> & "citat"', decision: 'reject', text: '<b>nej</b>' });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0].html).not.toContain('<script>');
    expect(mailer.sent[0].html).not.toContain('<b>');
    expect(mailer.sent[0].html).toContain('&lt;script&gt;');
    expect(mailer.sent[0].attachments).toBeUndefined();
  });
});
