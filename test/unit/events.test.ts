// The event module itself (src/events): queued events reach the subscribers only after the commit, a
// rollback drops them, a failing subscriber is logged and does not fail the change, and an event
// queued inside an outer transaction waits for the outer commit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { createEvents } from '../../src/events';
import { migrate, openDatabase, type Db } from '../../src/db';

let db: Db;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-events-'));
  db = openDatabase({ dataDir: dir });
  await migrate(db);
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const silent = () => {
  const errors: unknown[] = [];
  return { errors, logger: { error: (obj: unknown) => void errors.push(obj) } };
};
const names = async () => (await db('users').select('name')).map((d) => d.name as string);
const addUser = (trx: Knex, name: string) =>
  trx('users').insert({ tenant_id: 't', object_id: name, email: `${name.length}@example.org`, name, created_at: new Date() });

test('when the work commits, then the queued event reaches the subscriber once, with the change visible', async () => {
  const { logger } = silent();
  const events = createEvents(logger);
  const seen: string[][] = [];
  events.on('live.voted', async () => void seen.push(await names()));
  await events.transaction(db, async (trx, emit) => {
    await addUser(trx, 'Efter commit');
    emit('live.voted', { editionId: 1, pollId: 1 });
    expect(seen).toHaveLength(0);
  });
  expect(seen).toEqual([['Efter commit']]);
});

test('when the work throws, then the transaction is rolled back and nothing is emitted', async () => {
  const { logger } = silent();
  const events = createEvents(logger);
  let calls = 0;
  events.on('live.voted', () => void (calls += 1));
  await expect(
    events.transaction(db, async (trx, emit) => {
      await addUser(trx, 'Återställd');
      emit('live.voted', { editionId: 1, pollId: 1 });
      throw new Error('refused');
    }),
  ).rejects.toThrow('refused');
  expect(calls).toBe(0);
  expect(await names()).not.toContain('Återställd');
});

test('when a subscriber fails, then it is logged, the next subscriber still runs and the change stands', async () => {
  const { logger, errors } = silent();
  const events = createEvents(logger);
  let after = 0;
  events.on('live.voted', () => {
    throw new Error('the mail server is down');
  });
  events.on('live.voted', () => void (after += 1));
  const result = await events.transaction(db, async (trx, emit) => {
    await addUser(trx, 'Står kvar');
    emit('live.voted', { editionId: 1, pollId: 1 });
    return 'done';
  });
  expect(result).toBe('done');
  expect(after).toBe(1);
  expect(errors).toHaveLength(1);
  expect(await names()).toContain('Står kvar');
});

test('when the work runs inside an outer transaction, then the event waits for the outer commit, and a rolled-back outer one emits nothing', async () => {
  const { logger } = silent();
  const events = createEvents(logger);
  const seen: string[] = [];
  events.on('live.opened', (e) => void seen.push(`poll ${e.pollId}`));

  const outer = await db.transaction();
  await events.transaction(outer, async (trx, emit) => {
    await addUser(trx, 'Inre');
    emit('live.opened', { editionId: 1, pollId: 2 });
  });
  expect(seen).toEqual([]);
  await outer.rollback().catch(() => undefined);
  await new Promise((r) => setImmediate(r));
  expect(seen).toEqual([]);

  const outer2 = await db.transaction();
  await events.transaction(outer2, async (trx, emit) => {
    await addUser(trx, 'Inre 2');
    emit('live.opened', { editionId: 1, pollId: 3 });
  });
  expect(seen).toEqual([]);
  await outer2.commit();
  await new Promise((r) => setImmediate(r));
  expect(seen).toEqual(['poll 3']);
});

test('when a handler is removed, then it is not called again', async () => {
  const { logger } = silent();
  const events = createEvents(logger);
  let calls = 0;
  const stop = events.on('live.closed', () => void (calls += 1));
  await events.emit('live.closed', { editionId: 1, pollId: 1 });
  stop();
  await events.emit('live.closed', { editionId: 1, pollId: 1 });
  expect(calls).toBe(1);
});
