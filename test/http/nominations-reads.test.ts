// The nominations feature owns the nominations table: the other features (voting, jury, ceremony,
// archive, exports, privacy, live, statistics) read entries through src/nominations/service.ts.
import { createTestContext, TEST_NOW, type TestContext } from '../helpers/context';
import { makeEntry, makeUser } from '../helpers/factories';
import * as nominations from '../../src/nominations/service';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

async function nameIn(nominationId: number, who: { userId: number | null; name: string; email: string }, consent = 'pending') {
  await ctx.db('nominees').insert({ nomination_id: nominationId, user_id: who.userId, name: who.name, email: who.email, consent, consent_token: `token-${nominationId}-${who.email}`, created_at: TEST_NOW });
}

describe('own entries (V1)', () => {
  test('when a person submitted an entry, then it is their own by their user id', async () => {
    const author = await makeUser(ctx.db);
    const entry = await makeEntry(ctx.db, { submitterId: author.id });

    const own = await nominations.isOwnEntry(ctx.db, entry.id, author.id, author.email);

    expect(own).toBe(true);
    expect(await nominations.ownEntryIds(ctx.db, entry.editionId, author.id, author.email)).toEqual([entry.id]);
  });

  test('when a colleague is named by e-mail before their first sign-in, then the entry is their own whatever the case of the address', async () => {
    const entry = await makeEntry(ctx.db);
    const colleague = await makeUser(ctx.db, { email: 'named.later@example.org' });
    await nameIn(entry.id, { userId: null, name: 'Named Later', email: 'Named.Later@example.org' });

    const own = await nominations.isOwnEntry(ctx.db, entry.id, colleague.id, ' NAMED.later@example.org ');

    expect(own).toBe(true);
    expect(await nominations.ownEntryIds(ctx.db, entry.editionId, colleague.id, colleague.email)).toEqual([entry.id]);
  });

  test('when a person neither submitted nor is named, or declined being named, then the entry is not their own', async () => {
    const entry = await makeEntry(ctx.db);
    const stranger = await makeUser(ctx.db);
    const decliner = await makeUser(ctx.db);
    await nameIn(entry.id, { userId: decliner.id, name: decliner.name, email: decliner.email }, 'declined');

    expect(await nominations.isOwnEntry(ctx.db, entry.id, stranger.id, stranger.email)).toBe(false);
    expect(await nominations.isOwnEntry(ctx.db, entry.id, decliner.id, decliner.email)).toBe(false);
    expect(await nominations.ownEntryIds(ctx.db, entry.editionId, stranger.id, stranger.email)).toEqual([]);
  });
});

describe('references to entries', () => {
  test('when an entry is looked up by id, then its edition, status, title, submitter and whether the submitter is shown come back without its texts', async () => {
    const author = await makeUser(ctx.db);
    const entry = await makeEntry(ctx.db, { submitterId: author.id, status: 'in_moderation', title: 'Referensen' });

    const ref = await nominations.findRef(ctx.db, entry.id);

    expect(ref).toEqual({ id: entry.id, editionId: entry.editionId, status: 'in_moderation', title: 'Referensen', submitterId: author.id, showSubmitter: true });
    expect(await nominations.findRef(ctx.db, 999999)).toBeNull();
    expect((await nominations.refsByIds(ctx.db, [entry.id])).map((r) => r.title)).toEqual(['Referensen']);
  });
});
