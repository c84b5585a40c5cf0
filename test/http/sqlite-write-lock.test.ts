// SQLite: a write transaction of the app waits for another process's write (a backup, a CLI command)
// instead of failing with "database is locked" (src/db.ts opens transactions with BEGIN IMMEDIATE).
import path from 'node:path';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { createTestContext, type TestContext } from '../helpers/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

test('when another process holds the write lock, then a transaction that reads and writes waits and succeeds', async () => {
  if (ctx.isPostgres) return; // PostgreSQL locks rows, not the file
  // The other writer is another process (better-sqlite3 waits for a lock synchronously, so one
  // thread cannot play both sides): it takes the write lock, says so, and commits 300 ms later.
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    db.prepare("update users set name = name || '' where id = (select min(id) from users)").run();
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    db.exec('COMMIT');
    db.close();`;
  const other = spawn(process.execPath, ['-e', script, path.join(ctx.dataDir, 'arets-misstag.sqlite')], {
    cwd: path.resolve(__dirname, '../..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(other.stdout!, 'data');
  const result = await ctx.db.transaction(async (trx) => {
    const row = await trx('users').min({ id: 'id' }).first();
    await trx('users').where({ id: row!.id }).update({ locale: 'en' });
    return (await trx('users').where({ id: row!.id }).first('locale'))?.locale;
  });
  const [code] = await once(other, 'exit');
  expect(code).toBe(0);
  expect(result).toBe('en');
});
