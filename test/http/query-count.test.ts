// No N+1 (issue 9 point 3): the number of SQL statements a page sends must not grow with the number of
// entries. Each page is counted with the demo data (about ten entries per edition), then again after
// fifty more entries — with a named colleague, an attachment, votes and full jury scores each — in the
// current edition and in last year's archive.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { createTestContext, type Agent, type TestContext } from '../helpers/context';
import { queriesOf } from '../helpers/query-counter';
import { withoutAgeLimit } from '../../src/read-cache';

jest.setTimeout(120_000);

async function addEntries(db: Knex, editionId: number, count: number, now: Date): Promise<void> {
  const users = await db('users').orderBy('id').select('id', 'name', 'email');
  const department = await db('departments').where({ edition_id: editionId }).first();
  const criteria = await db('criteria').where({ edition_id: editionId }).select('id');
  const jurors = await db('jury_members').where({ edition_id: editionId }).select('user_id');
  // Submitted by a colleague who is not a demo user, so no demo user's own-entry rules change.
  const [submitter] = await db('users')
    .insert({ tenant_id: 'qc', object_id: crypto.randomUUID(), email: `qc-${editionId}@example.org`, name: 'Kvist Räknare', created_at: now })
    .returning('id');
  const submitterId = Number(typeof submitter === 'object' ? submitter.id : submitter);
  for (let i = 0; i < count; i++) {
    const [row] = await db('nominations')
      .insert({
        edition_id: editionId,
        submitter_id: submitterId,
        status: 'published',
        title: `Räknat misstag ${editionId}-${i}`,
        what_happened: 'Vi räknade fel och lärde oss räkna om.',
        lesson: 'Räkna två gånger.',
        changes: 'Vi räknar nu två gånger.',
        department_id: department?.id ?? null,
        includes_self: true,
        show_submitter: i % 2 === 0,
        eligibility_confirmed: true,
        search_text: 'raknat misstag',
        submitted_at: now,
        published_at: now,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    const named = users[i % users.length];
    await db('nominees').insert({
      nomination_id: id,
      user_id: named.id,
      name: named.name,
      email: `qc-${editionId}-${i}-${named.email}`,
      consent: 'given',
      consent_token: crypto.randomBytes(16).toString('hex'),
      requested_at: now,
      responded_at: now,
      created_at: now,
    });
    await db('attachments').insert({
      nomination_id: id,
      storage_name: crypto.randomBytes(16).toString('hex'),
      original_name: 'tavla.jpg',
      mime: 'image/jpeg',
      size_bytes: 1000,
      width: 10,
      height: 10,
      has_thumbnail: true,
      created_at: now,
    });
    // Votes without a voter (as after archive, V4) so no demo user's budget is used up.
    await db('votes').insert(Array.from({ length: 1 + (i % 4) }, (_, k) => ({ edition_id: editionId, nomination_id: id, voter_id: null, slot: 1000 + i * 10 + k, created_at: now })));
    for (const juror of jurors) {
      await db('scores').insert(criteria.map((c: { id: number }) => ({ nomination_id: id, juror_id: juror.user_id, criterion_id: c.id, value: 1 + ((i + c.id) % 5), updated_at: now })));
      await db('jury_reviews').insert({ nomination_id: id, juror_id: juror.user_id, note: '', submitted_at: now, updated_at: now });
    }
  }
}

describe('queries per page (no N+1)', () => {
  let ctx: TestContext;
  const agents: Record<string, Agent> = {};
  let pages: Array<{ who: string; path: string }>;

  let restoreAgeLimit: () => void;
  beforeAll(async () => {
    // What is kept in memory (src/read-cache.ts) then depends on writes only, not on the machine's
    // speed: a slow run no longer counts a reread of the current edition as an extra statement.
    restoreAgeLimit = withoutAgeLimit();
    ctx = await createTestContext();
    for (const email of ['anna@example.org', 'cecilia@example.org', 'admin@example.org']) agents[email] = await ctx.signIn(email);
    const current = await ctx.db('editions').whereNull('archived_at').first();
    const previous = await ctx.db('editions').whereNotNull('archived_at').orderBy('year', 'desc').first();
    const entry = await ctx.db('nominations').where({ edition_id: current.id, status: 'published' }).orderBy('id').first();
    pages = [
      { who: 'anna@example.org', path: '/' },
      { who: 'anna@example.org', path: '/entries' },
      { who: 'anna@example.org', path: `/entries/${entry.id}` },
      { who: 'anna@example.org', path: '/votes' },
      { who: 'anna@example.org', path: '/nominations/mine' },
      { who: 'cecilia@example.org', path: '/jury' },
      { who: 'cecilia@example.org', path: '/jury/ranking' },
      { who: 'cecilia@example.org', path: `/jury/entries/${entry.id}` },
      { who: 'anna@example.org', path: '/archive' },
      { who: 'anna@example.org', path: `/archive/${previous.year}` },
      { who: 'admin@example.org', path: '/admin/moderation' },
      { who: 'admin@example.org', path: '/admin' },
    ];
  });

  afterAll(async () => {
    restoreAgeLimit();
    await ctx.close();
  });

  async function countAll(): Promise<Record<string, { status: number; count: number; sql: string[] }>> {
    const out: Record<string, { status: number; count: number; sql: string[] }> = {};
    for (const { who, path } of pages) {
      await agents[who].get(path); // warm: a first visit may store a session value once
      let status = 0;
      const { count, sql } = await queriesOf(ctx.db, async () => {
        status = (await agents[who].get(path)).status;
      });
      out[`${who} GET ${path}`] = { status, count, sql };
    }
    return out;
  }

  test('when the number of entries grows from about ten to sixty, then no page sends more queries', async () => {
    // Arrange
    const small = await countAll();
    const current = await ctx.db('editions').whereNull('archived_at').first();
    const previous = await ctx.db('editions').whereNotNull('archived_at').orderBy('year', 'desc').first();
    await addEntries(ctx.db, current.id, 50, ctx.clock.now());
    await addEntries(ctx.db, previous.id, 50, ctx.clock.now());

    // Act
    const large = await countAll();

    // Assert: every page answered, and none sends more statements with more entries.
    const grew: string[] = [];
    for (const [page, before] of Object.entries(small)) {
      const after = large[page];
      expect({ page, status: before.status }).toEqual({ page, status: 200 });
      expect({ page, status: after.status }).toEqual({ page, status: 200 });
      if (after.count > before.count) {
        grew.push(`${page}: ${before.count} → ${after.count} queries; the extra ones:\n    ${after.sql.filter((s) => !before.sql.includes(s)).join('\n    ')}`);
      }
    }
    expect(grew).toEqual([]);
  });
});
