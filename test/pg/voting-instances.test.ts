// V5 with scale-out (SPEC §6): two app instances on one PostgreSQL database, each with its own
// connection pool and its own in-memory rate limiter, race one voter's votes. The database is what
// holds the budget, so exactly one vote is stored. Runs with `npm run test:pg` only.
import { createEvents } from '../../src/events';
import request from 'supertest';
import pino from 'pino';
import { createApp } from '../../src/app';
import { createMailer } from '../../src/mail';
import { openDatabase, type Db } from '../../src/db';
import * as voting from '../../src/voting/service';
import { createTestContext, type TestContext } from '../helpers/context';

let ctx: TestContext;
let second: Db;
let app2: ReturnType<typeof createApp>['app'] | undefined;
let editionId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  if (!ctx.isPostgres) throw new Error('this suite needs PostgreSQL (npm run test:pg)');
  second = openDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.dataDir, poolMax: 10 });
  editionId = Number((await ctx.db('editions').whereNull('archived_at').first('id')).id);
  await ctx.db('editions').where({ id: editionId }).update({ vote_budget: 1 });
});
afterAll(async () => {
  // Ends what the second instance opened (e.g. the live-vote listener) before its pool closes.
  (app2 as unknown as NodeJS.EventEmitter | undefined)?.emit('shutdown');
  await second?.destroy();
  await ctx.close();
});

async function newVoter(key: string): Promise<{ id: number; email: string }> {
  const [row] = await ctx.db('users')
    .insert({ tenant_id: 'demo', object_id: `pg-${key}`, email: `${key}@example.org`, name: key, is_admin: false, created_at: ctx.clock.now() })
    .returning('id');
  return { id: Number(row.id), email: `${key}@example.org` };
}

const published = async () => (await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).select('id')).map((r) => Number(r.id));

test('when one voter’s 100 votes race through two app instances, then exactly one vote is stored', async () => {
  const voter = await newVoter('twoapps');
  const instance2 = createApp({ config: ctx.config, db: second, logger: pino({ level: 'silent' }), now: () => ctx.clock.now(), sessionCookieName: 'am.sid', mailer: createMailer(ctx.config), events: createEvents(pino({ level: 'silent' })) }).app;
  app2 = instance2;

  // Sign in on instance 1; the session lives in the database, so instance 2 knows it too.
  const first = request(ctx.app);
  const start = await first.get('/accessibility');
  const anonCookie = String(start.headers['set-cookie']).split(';')[0];
  const anonToken = /<meta name="csrf-token" content="([^"]+)"/.exec(start.text)![1];
  const signIn = await first.post('/auth/dev').set('Cookie', anonCookie).type('form').send({ _csrf: anonToken, email: voter.email });
  const cookie = String(signIn.headers['set-cookie']).split(';')[0];
  const token = /<meta name="csrf-token" content="([^"]+)"/.exec((await first.get('/accessibility').set('Cookie', cookie)).text)![1];

  const ids = await published();
  const responses = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      request(i % 2 ? instance2 : ctx.app)
        .post('/votes')
        .set('Cookie', cookie)
        .set('x-csrf-token', token)
        .set('Accept', 'application/json')
        .type('form')
        .send({ entry: ids[i % ids.length] }),
    ),
  );
  expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
  expect(responses.every((r) => [200, 409, 429].includes(r.status))).toBe(true);
  const rows = await ctx.db('votes').where({ voter_id: voter.id });
  expect(rows).toHaveLength(1);
  expect(Number(rows[0].slot)).toBe(1);
}, 60_000);

test('when two connection pools race 100 service calls for one voter, then exactly one vote is stored', async () => {
  const voter = await newVoter('twopools');
  const ids = await published();
  const results = await Promise.allSettled(
    Array.from({ length: 100 }, (_, i) => voting.castVote(i % 2 ? second : ctx.db, voter, ids[i % ids.length], ctx.clock.now())),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  expect(await ctx.db('votes').where({ voter_id: voter.id })).toHaveLength(1);
}, 60_000);
