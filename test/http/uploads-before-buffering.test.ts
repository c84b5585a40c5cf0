// Uploads are refused before they are buffered (SPEC §6 "Bounded work"): a multipart post without a
// session, without the CSRF token (header or first field), over the rate limit, over the caps or over
// the quota is answered while most of its body is still unsent, and leaves no file behind. Before,
// the whole body was parsed into memory first and only then refused.
import fs from 'node:fs';
import path from 'node:path';
import { createTestContext, visibleText, type TestContext } from '../helpers/context';
import { listen, multipart, postUntilAnswered, rawSignIn } from '../helpers/raw-http';
import { UPLOAD_QUOTA_BYTES } from '../../src/nominations/service';

const MB = 1024 * 1024;
let ctx: TestContext;
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  ctx = await createTestContext();
  server = await listen(ctx.app);
});
afterAll(async () => {
  await server.close();
  await ctx.close();
});

const incomingFiles = () => {
  const dir = path.join(ctx.dataDir, 'incoming');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

/** Answered before half the body was sent: the rest was never read, let alone kept. */
function expectAnsweredEarly(answer: { sent: number; total: number }) {
  expect(answer.sent).toBeLessThan(answer.total / 2);
}

describe('multipart posts refused before their body is read', () => {
  test('when a 20 MB file is posted without a CSRF token, then it is refused with 403 while most of it is unsent, and nothing is stored', async () => {
    const anna = await rawSignIn(server.base, 'anna@example.org');
    const m = multipart();
    const before = await ctx.db('nominations').count({ n: '*' }).first();
    const answer = await postUntilAnswered(`${server.base}/nominate`, { cookie: anna.cookie, 'content-type': m.contentType }, [m.fileHead('attachments', 'stor.pdf'), 20 * MB, m.fileEnd, m.field('title', 'x'), m.end]);
    expect(answer.status).toBe(403);
    expect(visibleText(answer.body)).toContain('Av säkerhetsskäl kunde vi inte ta emot formuläret');
    expectAnsweredEarly(answer);
    expect(incomingFiles()).toEqual([]);
    expect(await ctx.db('nominations').count({ n: '*' }).first()).toEqual(before);
  });

  test('when the first field is not the CSRF token (the token comes later, or is wrong), then the post is refused before the file', async () => {
    const anna = await rawSignIn(server.base, 'anna@example.org');
    const m = multipart();
    for (const first of [m.field('title', 'Först en rubrik') + m.field('_csrf', anna.token), m.field('_csrf', 'x'.repeat(anna.token.length))]) {
      const answer = await postUntilAnswered(`${server.base}/nominate`, { cookie: anna.cookie, 'content-type': m.contentType }, [first, m.fileHead('attachments', 'a.png'), 20 * MB, m.fileEnd, m.end]);
      expect(answer.status).toBe(403);
      expectAnsweredEarly(answer);
    }
    expect(incomingFiles()).toEqual([]);
  });

  test('when a wrong token is sent in the header, then the body is not read at all', async () => {
    const anna = await rawSignIn(server.base, 'anna@example.org');
    const m = multipart();
    const answer = await postUntilAnswered(`${server.base}/nominate`, { cookie: anna.cookie, 'content-type': m.contentType, 'x-csrf-token': 'wrong' }, [m.field('_csrf', anna.token), m.fileHead('attachments', 'a.png'), 20 * MB, m.fileEnd, m.end]);
    expect(answer.status).toBe(403);
    expectAnsweredEarly(answer);
  });

  test('when someone signed out posts a file, then it is refused with 401 before it is read', async () => {
    const m = multipart();
    const answer = await postUntilAnswered(`${server.base}/nominate`, { 'content-type': m.contentType }, [m.fileHead('attachments', 'a.png'), 20 * MB, m.fileEnd, m.end]);
    expect(answer.status).toBe(401);
    expectAnsweredEarly(answer);
  });

  test('when files under the per-file cap together pass the per-request cap, then the post is refused with 413 mid-way and the part written is deleted', async () => {
    const anna = await rawSignIn(server.base, 'anna@example.org');
    const m = multipart();
    const segments = [m.field('_csrf', anna.token)];
    const answer = await postUntilAnswered(`${server.base}/nominate`, { cookie: anna.cookie, 'content-type': m.contentType }, [
      ...segments,
      ...[1, 2, 3, 4].flatMap((i) => [m.fileHead('attachments', `del-${i}.pdf`), 20 * MB, m.fileEnd]),
      m.end,
    ]);
    expect(answer.status).toBe(413);
    expect(visibleText(answer.body)).toContain('Filerna är tillsammans större än 40 MB');
    expect(answer.sent).toBeLessThan(answer.total);
    expect(incomingFiles()).toEqual([]);
  });

  test('when fields under the per-field cap together pass 1 MB, then the post is refused with 413 and nothing is saved', async () => {
    const anna = await rawSignIn(server.base, 'anna@example.org');
    const m = multipart();
    const before = await ctx.db('nominations').count({ n: '*' }).first();
    const big = 'x'.repeat(500 * 1024);
    const answer = await postUntilAnswered(`${server.base}/nominate`, { cookie: anna.cookie, 'content-type': m.contentType }, [m.field('_csrf', anna.token), m.field('action', 'draft'), ...[1, 2, 3, 4, 5, 6].map((i) => m.field(`f${i}`, big)), m.end]);
    expect(answer.status).toBe(413);
    expect(await ctx.db('nominations').count({ n: '*' }).first()).toEqual(before);
  });

  test('when a form that takes no files is sent a file, then it is refused with 400 and nothing is written', async () => {
    const anna = await rawSignIn(server.base, 'anna@example.org');
    const m = multipart();
    const answer = await postUntilAnswered(`${server.base}/notifications/read`, { cookie: anna.cookie, 'content-type': m.contentType }, [m.field('_csrf', anna.token), m.fileHead('attachments', 'a.png'), 20 * MB, m.fileEnd, m.end]);
    expect(answer.status).toBe(400);
    expectAnsweredEarly(answer);
    expect(incomingFiles()).toEqual([]);
  });
});

describe('per-user storage quota', () => {
  test('when a person already keeps their whole quota in attachments, then a new upload is refused before it is read, with a message that says why', async () => {
    const bo = await ctx.db('users').where({ email: 'bo@example.org' }).first();
    const own = await ctx.db('nominations').where({ submitter_id: bo.id }).first();
    const [row] = await ctx.db('attachments')
      .insert({ nomination_id: own.id, storage_name: 'f'.repeat(48), original_name: 'stor.pdf', mime: 'application/pdf', size_bytes: UPLOAD_QUOTA_BYTES, has_thumbnail: false, created_at: new Date() })
      .returning('id');
    try {
      const session = await rawSignIn(server.base, 'bo@example.org');
      const m = multipart();
      const answer = await postUntilAnswered(`${server.base}/nominate`, { cookie: session.cookie, 'content-type': m.contentType }, [m.field('_csrf', session.token), m.fileHead('attachments', 'a.png'), 20 * MB, m.fileEnd, m.end]);
      expect(answer.status).toBe(413);
      expect(visibleText(answer.body)).toContain('Du har inte plats för fler bifogade filer: varje person kan ha högst 100 MB');
      expectAnsweredEarly(answer);

      // With one megabyte of room left, a larger file is stopped once it passes that room.
      await ctx.db('attachments').where({ id: Number(typeof row === 'object' ? row.id : row) }).update({ size_bytes: UPLOAD_QUOTA_BYTES - MB });
      const again = await postUntilAnswered(`${server.base}/nominate`, { cookie: session.cookie, 'content-type': m.contentType }, [m.field('_csrf', session.token), m.fileHead('attachments', 'a.png'), 20 * MB, m.fileEnd, m.end]);
      expect(again.status).toBe(413);
      expectAnsweredEarly(again);
      expect(incomingFiles()).toEqual([]);
    } finally {
      await ctx.db('attachments').where({ storage_name: 'f'.repeat(48) }).delete();
    }
  });
});

describe('rate limit before the body', () => {
  test('when a person has used up the upload limit, then the next upload is refused with 429 before it is read', async () => {
    const eva = await rawSignIn(server.base, 'eva@example.org');
    const m = multipart();
    for (let i = 0; i < 30; i++) {
      const small = await postUntilAnswered(`${server.base}/nominations/999999`, { cookie: eva.cookie, 'content-type': m.contentType }, [m.field('_csrf', eva.token), m.field('title', 'x'), m.end]);
      expect(small.status).not.toBe(429);
    }
    const answer = await postUntilAnswered(`${server.base}/nominate`, { cookie: eva.cookie, 'content-type': m.contentType }, [m.field('_csrf', eva.token), m.fileHead('attachments', 'a.png'), 20 * MB, m.fileEnd, m.end]);
    expect(answer.status).toBe(429);
    expect(visibleText(answer.body)).toContain('för många försök');
    expectAnsweredEarly(answer);
  });
});
