// Teams (R11) against a real local HTTP receiver: an opened phase (by date, or by an admin's hand) and
// the revealed winner are posted as an Adaptive Card in the organisation's language with a link back;
// a receiver that fails first gets the card again; the request that caused it never waits for Teams.
import pino from 'pino';
import { createTestContext, type Agent, type TestContext } from '../helpers/context';
import { startReceiver, type Receiver } from '../helpers/http-receiver';
import { announceOnce } from '../../src/admin/housekeeping';
import { announceOpenPhases } from '../../src/admin/announcements';
import { createEvents } from '../../src/events';
import { teamsSubscriber } from '../../src/integrations/teams';
import { lockCurrentResult } from './ceremony-fixtures';
import { ConfigError, loadConfig } from '../../src/config';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

type Card = {
  type: string;
  attachments: Array<{ contentType: string; content: { type: string; version: string; lang: string; body: Array<{ text: string }>; actions: Array<{ type: string; title: string; url: string }> } }>;
};
const cardOf = (body: string) => JSON.parse(body) as Card;

async function post(agent: Agent, url: string, body: Record<string, string>) {
  const _csrf = await agent.csrf();
  return agent.post(url).type('form').send({ _csrf, ...body });
}

describe('with TEAMS_WEBHOOK_URL set', () => {
  let ctx: TestContext;
  let receiver: Receiver;
  let editionId: number;
  let year: number;
  let title: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    ctx = await createTestContext({ env: { TEAMS_WEBHOOK_URL: receiver.url, PUBLIC_URL: 'https://misstag.example.org', DEFAULT_LOCALE: 'sv' } });
    const edition = await ctx.db('editions').whereNull('archived_at').orderBy('year', 'desc').first();
    editionId = Number(edition.id);
    year = Number(edition.year);
    title = String(edition.title);
  });
  afterAll(async () => {
    await ctx.close();
    await receiver.close();
  });

  test('when voting opens by date, then one Adaptive Card in Swedish with a link to the entries is posted', async () => {
    const now = ctx.clock.now();
    await ctx.db('editions').where({ id: editionId }).update({ voting_opens_at: new Date(now.getTime() - HOUR) });
    expect(await announceOpenPhases(ctx.db, ctx.events, now)).toEqual(['voting']);
    const [got] = await receiver.waitFor(1);
    expect(got.method).toBe('POST');
    expect(got.path).toBe('/workflows/hook?sig=test');
    expect(got.contentType).toMatch(/^application\/json/);
    const card = cardOf(got.body);
    expect(card.type).toBe('message');
    expect(card.attachments).toHaveLength(1);
    expect(card.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const content = card.attachments[0].content;
    expect(content).toMatchObject({ type: 'AdaptiveCard', lang: 'sv' });
    expect(content.body[0].text).toBe(`Nu kan du rösta i ${title}`);
    expect(content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Läs och rösta', url: 'https://misstag.example.org/entries' }]);
    // A second check announces nothing and posts nothing.
    expect(await announceOpenPhases(ctx.db, ctx.events, now)).toEqual([]);
    expect(receiver.received).toHaveLength(1);
  });

  test('when an admin opens nomination by hand and confirms, then a card with a link to the form is posted, once', async () => {
    await ctx.db('editions').where({ id: editionId }).update({ nomination_opens_at: new Date(ctx.clock.now().getTime() + 10 * DAY) });
    const admin = await ctx.signIn('admin@example.org');
    expect((await post(admin, `/admin/editions/${editionId}/phase`, { phase: 'nomination', override: 'open', confirm: 'yes' })).status).toBe(303);
    await announceOnce({ db: ctx.db, events: ctx.events, logger: pino({ level: 'silent' }), now: () => ctx.clock.now() });
    const all = await receiver.waitFor(2);
    const content = cardOf(all[1].body).attachments[0].content;
    expect(content.body[0].text).toBe(`Nu kan du nominera till ${title}`);
    expect(content.actions[0].url).toBe('https://misstag.example.org/nominate');
  });

  test('when the winner is revealed in a rehearsal, then nothing is posted; when it is revealed for real, then a card names the winner and links to the entry', async () => {
    ctx.clock.set(new Date(ctx.clock.now().getTime() + 41 * DAY));
    const { winnerId, titles, finalistIds } = await lockCurrentResult(ctx.db, ctx.clock.now());
    const winnerTitle = titles[finalistIds.indexOf(winnerId)];
    const admin = await ctx.signIn('admin@example.org');
    // The rehearsal's reveal shows a placeholder winner on the screen and tells nobody.
    expect((await post(admin, `/ceremony/${year}/rehearsal`, { on: '1' })).status).toBe(303);
    expect((await post(admin, `/ceremony/${year}/reveal`, { confirm: 'yes' })).status).toBe(303);
    expect((await ctx.db('ceremony_shows').where({ edition_id: editionId }).first()).rehearsal_revealed).toBeTruthy();
    expect((await post(admin, `/ceremony/${year}/rehearsal`, { on: '0' })).status).toBe(303);
    // The real reveal; Teams was not told of the rehearsal, so this is the third card.
    expect((await post(admin, `/ceremony/${year}/reveal`, { confirm: 'yes' })).status).toBe(303);
    const all = await receiver.waitFor(3);
    expect(all).toHaveLength(3);
    const content = cardOf(all[2].body).attachments[0].content;
    expect(content.body[0].text).toBe(`”${winnerTitle}” vinner ${title}`);
    expect(content.actions[0]).toEqual({ type: 'Action.OpenUrl', title: 'Läs bidraget', url: `https://misstag.example.org/entries/${winnerId}` });
  });
});

describe('the Teams subscriber on its own', () => {
  const config = (url: string, locale: 'sv' | 'en' = 'en') => ({ teamsWebhookUrl: url, defaultLocale: locale, publicUrl: 'https://misstag.example.org' });
  const revealed = { editionId: 1, year: 2026, title: 'Årets misstag 2026', winner: { nominationId: 7, title: 'Kalendern' } };

  test('when the receiver fails twice and then accepts, then the same card arrives three times and the last is accepted', async () => {
    const receiver = await startReceiver((n) => (n < 2 ? 503 : 202));
    const events = createEvents(pino({ level: 'silent' }));
    teamsSubscriber(events, { config: config(receiver.url), logger: pino({ level: 'silent' }) }, { retryDelaysMs: [10, 20, 40] });
    await events.emit('winner.revealed', revealed);
    const got = await receiver.waitFor(3);
    await receiver.close();
    expect(got.map((r) => r.status)).toEqual([503, 503, 202]);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    const content = cardOf(got[2].body).attachments[0].content;
    expect(content.lang).toBe('en');
    expect(content.body[0].text).toBe('“Kalendern” wins Årets misstag 2026');
  });

  test('when judging opens, then the channel gets no card (it concerns the jury), and voting\'s opening still does', async () => {
    const receiver = await startReceiver(() => 202);
    const events = createEvents(pino({ level: 'silent' }));
    teamsSubscriber(events, { config: config(receiver.url), logger: pino({ level: 'silent' }) }, { retryDelaysMs: [10] });
    const opened = { editionId: 1, year: 2026, title: 'Årets misstag 2026', recipientIds: [1], dueAt: null };
    await events.emit('phase.opened', { ...opened, phase: 'judging' });
    await events.emit('phase.opened', { ...opened, phase: 'voting' });
    const got = await receiver.waitFor(1);
    await receiver.close();
    // Judging was emitted first: had it been posted, its card would have arrived first.
    expect(cardOf(got[0].body).attachments[0].content.body[0].text).toBe('You can now vote in Årets misstag 2026');
  });

  test('when the receiver refuses the card (400), then it is not sent again and the refusal is logged', async () => {
    const receiver = await startReceiver(() => 400);
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
    const events = createEvents(logger);
    let logged: () => void = () => undefined;
    const loggedOnce = new Promise<void>((r) => (logged = r));
    teamsSubscriber(events, { config: config(receiver.url), logger: { warn: logger.warn.bind(logger), error: (...a: Parameters<typeof logger.error>) => (logger.error(...a), logged()) } }, { retryDelaysMs: [10] });
    await events.emit('winner.revealed', revealed);
    await loggedOnce;
    await receiver.close();
    expect(receiver.received).toHaveLength(1);
    expect(lines.join('')).toContain('Teams refused the post');
  });

  test('when Teams does not answer, then emitting returns at once and the attempt is still pending', async () => {
    // A receiver that accepts the connection and never answers.
    let answer: () => void = () => undefined;
    const http = await import('node:http');
    const hanging = http.createServer((_req, res) => {
      answer = () => res.writeHead(202).end();
    });
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const port = (hanging.address() as { port: number }).port;
    let arrived: () => void = () => undefined;
    const requestArrived = new Promise<void>((r) => (arrived = r));
    hanging.on('request', () => arrived());
    const events = createEvents(pino({ level: 'silent' }));
    teamsSubscriber(events, { config: config(`http://127.0.0.1:${port}/hook`), logger: pino({ level: 'silent' }) });
    await events.emit('winner.revealed', revealed); // resolves although Teams has not answered
    await requestArrived;
    answer();
    hanging.closeAllConnections();
    await new Promise((r) => hanging.close(() => r(undefined)));
  });

  test('without TEAMS_WEBHOOK_URL, then nothing is subscribed', async () => {
    const events = createEvents(pino({ level: 'silent' }));
    let subscribed = 0;
    const on = events.on.bind(events);
    events.on = ((name: never, h: never) => (subscribed++, on(name, h))) as typeof events.on;
    teamsSubscriber(events, { config: { defaultLocale: 'sv', publicUrl: 'https://x' }, logger: pino({ level: 'silent' }) });
    expect(subscribed).toBe(0);
  });

  test('when TEAMS_WEBHOOK_URL is not an http(s) address, then the app refuses to start and names the variable', () => {
    for (const bad of ['not a url', 'ftp://teams.example.org/hook', 'javascript:alert(1)']) {
      expect(() => loadConfig({ NODE_ENV: 'test', TEAMS_WEBHOOK_URL: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'test', TEAMS_WEBHOOK_URL: bad })).toThrow(/TEAMS_WEBHOOK_URL/);
    }
    expect(loadConfig({ NODE_ENV: 'test', TEAMS_WEBHOOK_URL: 'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x' }).teamsWebhookUrl).toMatch(/^https:/);
  });
});
