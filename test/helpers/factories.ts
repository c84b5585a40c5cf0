// Test factories (STYLE 10): a test makes the user, entry and vote it needs, with its own names,
// instead of leaning on the demo seed's titles. Plain rows through knex; defaults that pass the rules;
// times from the test clock's start (TEST_NOW) unless `now` is given, never from the real date.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { TEST_NOW } from './context';

const unique = () => crypto.randomBytes(4).toString('hex');
const idOf = (row: unknown): number => Number(typeof row === 'object' && row !== null ? (row as { id: number }).id : row);

export type MadeUser = { id: number; email: string; name: string };

/** A colleague; `signIn: true` lets ctx.signIn(email) use the demo sign-in (it lists them too). */
export async function makeUser(db: Knex, over: Partial<{ name: string; email: string; locale: 'sv' | 'en' | null; admin: boolean; signIn: boolean; now: Date }> = {}): Promise<MadeUser> {
  const key = unique();
  const name = over.name ?? `Testperson ${key}`;
  const email = over.email ?? `test-${key}@example.org`;
  const [row] = await db('users')
    .insert({ tenant_id: over.signIn ? 'demo' : 'test', object_id: `test-${key}`, email, name, locale: over.locale ?? null, is_admin: over.admin ?? false, admin_source: over.admin ? 'app' : null, created_at: over.now ?? TEST_NOW })
    .returning('id');
  return { id: idOf(row), email, name };
}

export async function currentEditionId(db: Knex): Promise<number> {
  const e = await db('editions').whereNull('archived_at').orderBy('year', 'desc').first('id');
  if (!e) throw new Error('no current edition: seed the demo or make one');
  return Number(e.id);
}

export type MadeEntry = { id: number; title: string; editionId: number };

/** A nomination; published by default (in the gallery), with no named colleagues. */
export async function makeEntry(
  db: Knex,
  over: Partial<{ editionId: number; submitterId: number; title: string; status: string; lesson: string; now: Date }> = {},
): Promise<MadeEntry> {
  const editionId = over.editionId ?? (await currentEditionId(db));
  const submitterId = over.submitterId ?? (await makeUser(db)).id;
  const title = over.title ?? `Misstaget ${unique()}`;
  const status = over.status ?? 'published';
  const now = over.now ?? TEST_NOW;
  const lesson = over.lesson ?? 'Vi frågar dem det gäller först.';
  const [row] = await db('nominations')
    .insert({
      edition_id: editionId,
      submitter_id: submitterId,
      status,
      title,
      what_happened: 'Det blev fel.',
      lesson,
      changes: 'Nu gör vi annorlunda.',
      includes_self: true,
      eligibility_confirmed: true,
      search_text: `${title} ${lesson}`.toLowerCase(),
      submitted_at: status === 'draft' ? null : now,
      published_at: status === 'published' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  return { id: idOf(row), title, editionId };
}

/** A people's-choice vote (V1) in the voter's next free slot. */
export async function makeVote(db: Knex, v: { voterId: number; nominationId: number; editionId?: number; now?: Date }): Promise<void> {
  const editionId = v.editionId ?? (await currentEditionId(db));
  const used = await db('votes').where({ edition_id: editionId, voter_id: v.voterId }).max({ slot: 'slot' }).first();
  await db('votes').insert({ edition_id: editionId, nomination_id: v.nominationId, voter_id: v.voterId, slot: Number(used?.slot ?? 0) + 1, created_at: v.now ?? TEST_NOW });
}
