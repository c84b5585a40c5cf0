// selectArrays (src/db.ts): rows as arrays in select order, on both databases, in and out of a
// transaction; the statement knex shares for the same SQL still answers objects afterwards.
import { selectArrays } from '../../src/db';
import { createTestContext, type TestContext } from '../helpers/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const usersQuery = () => ctx.db('users').where('email', 'like', '%@example.org').andWhere('created_at', '<', new Date(ctx.clock.now().getTime() + 86_400_000)).orderBy('email').select('email', 'id');

test('when rows are read as arrays, then each row holds the selected columns in order', async () => {
  const objects = await usersQuery();
  const arrays = await selectArrays(ctx.db, usersQuery());
  expect(arrays.length).toBeGreaterThan(3);
  expect(arrays.map((r) => [r[0], Number(r[1])])).toEqual(objects.map((o) => [o.email, Number(o.id)]));
});

test('when knex runs the same statement afterwards, then it gets objects again', async () => {
  await selectArrays(ctx.db, usersQuery());
  const again = await usersQuery();
  expect(Array.isArray(again[0])).toBe(false);
  expect(again[0]).toHaveProperty('email');
});

test('when read inside a transaction, then the transaction’s own uncommitted rows are seen', async () => {
  await ctx.db
    .transaction(async (trx) => {
      await trx('users').where({ email: 'anna@example.org' }).update({ name: 'Anna i transaktionen' });
      const rows = await selectArrays(trx, trx('users').where({ email: 'anna@example.org' }).select('name'));
      expect(rows).toEqual([['Anna i transaktionen']]);
      throw new Error('rollback');
    })
    .catch((err: Error) => expect(err.message).toBe('rollback'));
  expect((await ctx.db('users').where({ email: 'anna@example.org' }).first('name'))?.name).not.toBe('Anna i transaktionen');
});

test('when two selected columns have the same name, then both values are in the row', async () => {
  const rows = await selectArrays(ctx.db, ctx.db('users').where({ email: 'anna@example.org' }).select('users.id', ctx.db.raw('users.id + 1 as id')));
  expect(rows).toHaveLength(1);
  expect(Number(rows[0][1])).toBe(Number(rows[0][0]) + 1);
});
