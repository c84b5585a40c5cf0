// Searches fold Å/Ä/Ö in either case on SQLite as they do on PostgreSQL.
import { createTestContext, type TestContext } from '../helpers/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

test('when names are compared with lower(), then Å, Ä and Ö match å, ä and ö', async () => {
  const rows = await ctx.db('users').whereRaw('lower(name) like ?', ['%åberg%']).select('name');
  expect(rows.map((r) => r.name)).toEqual(['Göran Åberg']);
  const öst = await ctx.db('users').whereRaw('lower(name) = ?', ['hanna öst']).select('email');
  expect(öst.map((r) => r.email)).toEqual(['hanna@example.org']);
});

test('when an admin searches users in lower case, then a name with Ö is found', async () => {
  const admin = await ctx.signIn('admin@example.org');
  const res = await admin.get('/admin/users?q=' + encodeURIComponent('öst'));
  expect(res.status).toBe(200);
  expect(res.text).toContain('Hanna Öst');
});
