// Low-severity findings of the second security review: probes leave no trace, the reveal waits for the
// people's vote to close, personal pages and files are not cached, only the nomination form can be
// framed by the intranet, and a live vote cannot slip in after the close.
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import sharp from 'sharp';
import { createApp } from '../../src/app';
import { createMailer } from '../../src/mail';
import { createTestContext, visibleText, type TestContext } from '../helpers/context';
import { lockCurrentResult } from './ceremony-fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { INTRANET_ORIGIN: 'https://intranat.example.org' } });
});
afterAll(async () => {
  await ctx.close();
});

const sessionRows = async () => Number((await ctx.db('sessions').count({ n: '*' }).first())?.n);

describe('health probes', () => {
  test('when a load balancer probes /healthz and /readyz, then no cookie is set, no session row is written and no request is logged', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { app, sessionStore } = createApp({ config: ctx.config, db: ctx.db, logger: pino({ level: 'info' }, sink), now: () => ctx.clock.now(), sessionCookieName: 'am.sid', mailer: createMailer(ctx.config), events: ctx.events });
    try {
      const before = await sessionRows();
      for (let i = 0; i < 5; i++) {
        for (const path of ['/healthz', '/readyz']) {
          const res = await request(app).get(path);
          expect(res.status).toBe(200);
          expect(res.body.status).toBe('ok');
          expect(res.headers['set-cookie']).toBeUndefined();
        }
      }
      expect(await sessionRows()).toBe(before);
      expect(lines.filter((l) => /healthz|readyz/.test(l))).toEqual([]);
      // The same app logs a page request (the sink works).
      await request(app).get('/accessibility');
      expect(lines.some((l) => l.includes('/accessibility'))).toBe(true);
    } finally {
      sessionStore.close();
    }
  });
});

describe('caching', () => {
  test('when a signed-in page is served, then it says no-store', async () => {
    const anna = await ctx.signIn('anna@example.org');
    for (const path of ['/', '/entries', '/nominations/mine', '/me', '/votes']) {
      const res = await anna.get(path);
      expect([path, res.status, res.headers['cache-control']]).toEqual([path, 200, 'no-store']);
    }
  });

  test('when an attachment is served, then it is private and checked again on every use', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const png = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#3a3' } }).png().toBuffer();
    const saved = await anna.post('/nominate').field('_csrf', await anna.csrf()).field('title', 'Cachetest').field('action', 'draft').attach('attachments', png, 'bild.png');
    expect(saved.status).toBe(303);
    const attachment = await ctx.db('attachments').orderBy('id', 'desc').first('id');
    for (const path of [`/attachments/${attachment.id}`, `/attachments/${attachment.id}/thumb`]) {
      const res = await anna.get(path);
      expect([path, res.status, res.headers['cache-control']]).toEqual([path, 200, 'private, no-cache']);
    }
  });
});

describe('framing by the intranet (INTRANET_ORIGIN)', () => {
  test('when the intranet frames the nomination form, then the page allows that origin', async () => {
    const anna = await ctx.signIn('anna@example.org');
    for (const path of ['/nominate', '/nominations/mine']) {
      const res = await anna.get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self' https://intranat.example.org");
      expect(res.headers['x-frame-options']).toBeUndefined();
    }
  });

  test('when any other page is framed, then only the app itself may frame it', async () => {
    const admin = await ctx.signIn('admin@example.org');
    for (const path of ['/', '/entries', '/admin', '/admin/users', '/me', '/jury/ranking', '/accessibility', '/nominate/../admin']) {
      const res = await admin.get(path);
      expect([path, res.headers['content-security-policy']]).toEqual([path, expect.stringContaining("frame-ancestors 'self';")]);
      expect([path, res.headers['content-security-policy']]).not.toEqual([path, expect.stringContaining('intranat.example.org')]);
      expect([path, res.headers['x-frame-options']]).toEqual([path, 'SAMEORIGIN']);
    }
    const signedOut = await ctx.anonymous().get('/auth/dev');
    expect(signedOut.headers['content-security-policy']).not.toContain('intranat.example.org');
  });
});

describe('the reveal and the live vote', () => {
  let fixture: Awaited<ReturnType<typeof lockCurrentResult>>;
  beforeAll(async () => {
    fixture = await lockCurrentResult(ctx.db, ctx.clock.now());
  });

  test('when the presenter reveals while colleagues are still voting, then it is refused with a message and nothing is revealed', async () => {
    await ctx.db('editions').where({ id: fixture.editionId }).update({ voting_override: 'open' });
    const admin = await ctx.signIn('admin@example.org');
    const res = await admin.post(`/ceremony/${fixture.year}/reveal`).type('form').send({ _csrf: await admin.csrf(), confirm: 'yes' });
    expect(res.status).toBe(409);
    expect(visibleText(res.text)).toContain('Resultatet kan inte offentliggöras medan kollegorna fortfarande röstar.');
    expect((await ctx.db('editions').where({ id: fixture.editionId }).first()).revealed_at).toBeNull();
    expect(await ctx.db('audit_log').where({ action: 'ceremony.reveal' })).toHaveLength(0);
    const anna = await ctx.signIn('anna@example.org');
    // A colleague still follows the show from the desk, not the replay that opens after the reveal.
    const desk = await anna.get(`/ceremony/${fixture.year}`);
    expect(desk.status).toBe(303);
    expect(desk.headers.location).toBe(`/ceremony/${fixture.year}/screen`);
    expect((await anna.get(`/ceremony/${fixture.year}/slides`)).status).toBe(403);
    await ctx.db('editions').where({ id: fixture.editionId }).update({ voting_override: 'closed' });
  });

  test('when the live vote is closed while many votes race it, then every vote either counts or is refused, and none keeps its voter', async () => {
    const admin = await ctx.signIn('admin@example.org');
    const opened = await admin.post(`/ceremony/${fixture.year}/live/open`).type('form').send({ _csrf: await admin.csrf() });
    expect(opened.status).toBeLessThan(400);
    const poll = await ctx.db('live_polls').orderBy('id', 'desc').first();
    const now = ctx.clock.now();
    await ctx.db.batchInsert(
      'users',
      Array.from({ length: 40 }, (_, i) => ({ tenant_id: 'demo', object_id: `racer-${i}`, email: `racer${i}@example.org`, name: `Racer ${i}`, is_admin: false, created_at: now })),
      100,
    );
    const voters = [];
    for (let i = 0; i < 40; i++) {
      const agent = await ctx.signIn(`racer${i}@example.org`);
      voters.push({ agent, token: await agent.csrf() });
    }
    const adminToken = await admin.csrf();
    const votes = voters.map(({ agent, token }, i) =>
      agent.post('/live/vote').type('form').send({ _csrf: token, poll: poll.id, nomination: fixture.finalistIds[i % fixture.finalistIds.length] }),
    );
    const close = admin.post(`/ceremony/${fixture.year}/live/close`).set('Accept', 'application/json').type('form').send({ _csrf: adminToken });
    const [closed, ...answers] = await Promise.all([close, ...votes]);
    expect(closed.status).toBe(200);
    const accepted = answers.filter((r) => r.status === 303).length;
    const refused = answers.filter((r) => r.status === 409).length;
    expect(accepted + refused).toBe(40);
    expect(await ctx.db('live_votes').where({ poll_id: poll.id })).toHaveLength(0);
    const tallied = (await ctx.db('live_vote_tallies').where({ poll_id: poll.id })).reduce((sum, t) => sum + Number(t.votes), 0);
    expect(tallied).toBe(accepted);
  });
});
