import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The jury's decision (J7); sealed until editions.revealed_at is set (C3).
  await knex.schema.createTable('results', (t) => {
    t.integer('edition_id').primary().references('id').inTable('editions').onDelete('CASCADE');
    t.integer('winner_nomination_id').references('id').inTable('nominations');
    t.text('motivation').notNullable().defaultTo('');
    t.integer('locked_by').references('id').inTable('users');
    t.timestamp('locked_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('finalists', (t) => {
    t.increments('id').primary();
    t.integer('edition_id').notNullable().references('id').inTable('editions').onDelete('CASCADE');
    t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
    t.integer('position').notNullable().defaultTo(0);
    t.unique(['edition_id', 'nomination_id']);
  });

  // Live audience vote at the ceremony (C2).
  await knex.schema.createTable('live_polls', (t) => {
    t.increments('id').primary();
    t.integer('edition_id').notNullable().references('id').inTable('editions').onDelete('CASCADE');
    t.string('code', 16).notNullable().unique();
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('closed_at', { useTz: true });
  });

  await knex.schema.createTable('live_votes', (t) => {
    t.increments('id').primary();
    t.integer('poll_id').notNullable().references('id').inTable('live_polls').onDelete('CASCADE');
    t.integer('voter_id').references('id').inTable('users');
    t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['poll_id', 'voter_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['live_votes', 'live_polls', 'finalists', 'results']) {
    await knex.schema.dropTable(table);
  }
}
