import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // People's-choice votes (SPEC V1–V5). The database enforces the rules:
  // - one vote per voter per entry: unique (voter_id, nomination_id);
  // - the vote budget: each vote occupies a numbered slot 1..budget, unique per voter and edition, so
  //   concurrent votes racing for the last slot cannot both be stored.
  // At archive time voter_id is set to null (V4); only the counts remain.
  await knex.schema.createTable('votes', (t) => {
    t.increments('id').primary();
    t.integer('edition_id').notNullable().references('id').inTable('editions').onDelete('CASCADE');
    t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
    t.integer('voter_id').references('id').inTable('users');
    t.integer('slot').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['voter_id', 'nomination_id']);
    t.unique(['edition_id', 'voter_id', 'slot']);
    t.index(['nomination_id']);
    t.check('slot >= 1', [], 'votes_slot_positive');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('votes');
}
