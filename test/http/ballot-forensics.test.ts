// V4, read as a forensic examiner would: after the archive, the raw database (SQLite: the file and its
// write-ahead log; PostgreSQL: the votes table's and its indexes' files on the server) holds nothing that
// ties a voter to a vote — no voter id next to an entry id, no per-vote time — while the counts remain.
// Each pattern is first shown to be found before the archive, so the test can fail.
import fs from 'node:fs';
import path from 'node:path';
import { createTestContext, type Agent, type TestContext } from '../helpers/context';

let ctx: TestContext;
let editionId: number;
let entries: number[];
/** Distinctive ids, three bytes each in SQLite's record format. */
const VOTER_IDS = [0x5aff01, 0x5aff02, 0x5aff03];
const voteTimes: Date[] = [];
const pairs: Array<{ voter: number; entry: number }> = [];

beforeAll(async () => {
  ctx = await createTestContext();
  const edition = await ctx.db('editions').whereNull('archived_at').orderBy('year').first('id');
  editionId = Number(edition.id);
  await ctx.db('editions').where({ id: editionId }).update({ vote_budget: 3 });
  const published = await ctx.db('nominations').where({ edition_id: editionId, status: 'published' }).orderBy('id').select('id');
  entries = published.slice(0, 4).map((r) => Number(r.id));
  const now = ctx.clock.now();
  await ctx.db('users').insert(
    VOTER_IDS.map((id, i) => ({ id, tenant_id: 'demo', object_id: `forensic-voter-${'xyz'[i]}`, email: `forensic${i}@example.org`, name: `Röstare ${'ABC'[i]}`, is_admin: false, created_at: now })),
  );
  for (const [i, id] of VOTER_IDS.entries()) {
    const agent: Agent = await ctx.signIn(`forensic${i}@example.org`);
    // Three votes each, a few milliseconds apart (as a real ballot is cast), plus a withdrawn one.
    const mine = entries.filter((_, k) => k !== i);
    for (const entry of mine) {
      ctx.clock.advance(7_001 + i * 13);
      voteTimes.push(ctx.clock.now());
      const res = await agent.post('/votes').type('form').send({ _csrf: await agent.csrf(), entry });
      expect(res.status).toBe(303);
      pairs.push({ voter: id, entry });
    }
    const withdraw = await agent.post('/votes/withdraw').type('form').send({ _csrf: await agent.csrf(), entry: mine[0] });
    expect(withdraw.status).toBe(303);
    const again = await agent.post('/votes').type('form').send({ _csrf: await agent.csrf(), entry: mine[0] });
    expect(again.status).toBe(303);
  }
}, 60_000);
afterAll(async () => {
  await ctx.close();
});

/** Everything a reader of the disk finds for the votes. */
async function rawBytes(): Promise<Buffer> {
  if (!ctx.isPostgres) {
    const file = path.join(ctx.dataDir, 'arets-misstag.sqlite');
    const wal = `${file}-wal`;
    return Buffer.concat([fs.readFileSync(file), fs.existsSync(wal) ? fs.readFileSync(wal) : Buffer.alloc(0)]);
  }
  // Flush the shared buffers to the files, then read the table's and its indexes' files on the server.
  await ctx.db.raw('checkpoint');
  const { rows } = (await ctx.db.raw(
    `select pg_read_binary_file(pg_relation_filepath(c.oid)) as bytes from pg_class c
     where c.oid = 'votes'::regclass or c.oid in (select indexrelid from pg_index where indrelid = 'votes'::regclass)`,
  )) as { rows: Array<{ bytes: Buffer }> };
  // A page's header starts with its WAL position (LSN), which can spell any id: blank the header of every
  // 8 KB page (24 bytes), and keep files apart so no pattern spans two of them.
  return Buffer.concat(
    rows.flatMap((r) => {
      const file = Buffer.from(r.bytes);
      for (let page = 0; page < file.length; page += 8192) file.fill(0, page, Math.min(page + 24, file.length));
      return [file, Buffer.from('|file|')];
    }),
  );
}

/** SQLite stores small integers big-endian in as few bytes as fit; PostgreSQL int4 little-endian. */
function intBytes(n: number, width: number, littleEndian: boolean): Buffer {
  const b = Buffer.alloc(width);
  if (littleEndian) b.writeUIntLE(n, 0, width);
  else b.writeUIntBE(n, 0, width);
  return b;
}
const sqliteInt = (n: number) => intBytes(n, n < 128 ? 1 : n < 32768 ? 2 : n < 8388608 ? 3 : n < 2147483648 ? 4 : 6, false);

/** Byte patterns that would link a ballot: a voter next to an entry (rows and indexes), each vote's time. */
function links(): Array<{ what: string; bytes: Buffer }> {
  const out: Array<{ what: string; bytes: Buffer }> = [];
  for (const p of pairs) {
    if (ctx.isPostgres) {
      out.push({ what: `entry ${p.entry} then voter ${p.voter}`, bytes: Buffer.concat([intBytes(p.entry, 4, true), intBytes(p.voter, 4, true)]) });
    } else {
      out.push({ what: `entry ${p.entry} then voter ${p.voter}`, bytes: Buffer.concat([sqliteInt(p.entry), sqliteInt(p.voter)]) });
      out.push({ what: `voter ${p.voter} then entry ${p.entry}`, bytes: Buffer.concat([sqliteInt(p.voter), sqliteInt(p.entry)]) });
    }
  }
  for (const t of voteTimes) {
    const bytes = ctx.isPostgres
      ? (() => {
          // timestamptz: microseconds since 2000-01-01, int8 little-endian.
          const b = Buffer.alloc(8);
          b.writeBigInt64LE(BigInt(t.getTime() - Date.UTC(2000, 0, 1)) * 1000n);
          return b;
        })()
      : intBytes(t.getTime(), 6, false);
    out.push({ what: `vote time ${t.toISOString()}`, bytes });
  }
  return out;
}

test('before the archive the raw database holds the ballots (the patterns this test looks for are real)', async () => {
  const raw = await rawBytes();
  for (const link of links()) expect({ what: link.what, found: raw.includes(link.bytes) }).toEqual({ what: link.what, found: true });
});

test('when the edition is archived, then neither the database file nor its write-ahead log holds a voter–vote link or a vote time, and the counts remain', async () => {
  ctx.clock.advance(60 * 60 * 1000); // the archive's own time (audit log, archived_at) is no vote's time
  const admin = await ctx.signIn('admin@example.org');
  const res = await admin.post(`/admin/editions/${editionId}/archive`).type('form').send({ _csrf: await admin.csrf(), confirm: 'yes' });
  expect(res.status).toBe(303);

  const raw = await rawBytes();
  for (const link of links()) expect({ what: link.what, found: raw.includes(link.bytes) }).toEqual({ what: link.what, found: false });
  // Only counts: no row of the edition's votes, and no column that could carry a time or an order.
  expect(await ctx.db('votes').where({ edition_id: editionId })).toHaveLength(0);
  const tallies = await ctx.db('vote_tallies').where({ edition_id: editionId }).orderBy('nomination_id');
  // Voter i voted for every entry but the i-th: 2, 2, 2 and 3 votes.
  expect(tallies.map((t) => [Number(t.nomination_id), Number(t.votes)])).toEqual(entries.map((e, k) => [e, k === 3 ? 3 : 2]));
  const page = await admin.get(`/archive/${(await ctx.db('editions').where({ id: editionId }).first('year')).year}`);
  expect(page.status).toBe(200);
});
