import type { Knex } from 'knex';

// V4: after an edition is archived (and after a live vote closes) only counts remain. A tally row is one
// entry's number of votes: no voter, no slot, no time, no order. The per-vote rows are deleted when the
// tally is written (src/voting/service.ts, src/live/service.ts). Safe to re-run.
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable('vote_tallies'))) {
    await knex.schema.createTable('vote_tallies', (t) => {
      t.integer('edition_id').notNullable().references('id').inTable('editions').onDelete('CASCADE');
      t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
      t.integer('votes').notNullable();
      t.primary(['edition_id', 'nomination_id']);
    });
  }
  if (!(await knex.schema.hasTable('live_vote_tallies'))) {
    await knex.schema.createTable('live_vote_tallies', (t) => {
      t.integer('poll_id').notNullable().references('id').inTable('live_polls').onDelete('CASCADE');
      t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
      t.integer('votes').notNullable();
      t.primary(['poll_id', 'nomination_id']);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('live_vote_tallies');
  await knex.schema.dropTableIfExists('vote_tallies');
}
