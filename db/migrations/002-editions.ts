import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('editions', (t) => {
    t.increments('id').primary();
    t.integer('year').notNullable().unique();
    t.string('title', 200).notNullable();
    t.text('intro_sv');
    t.text('intro_en');
    t.integer('vote_budget').notNullable().defaultTo(1);
    t.integer('finalist_count').notNullable().defaultTo(3);
    t.integer('min_scores').notNullable().defaultTo(3);
    // Phase dates (SPEC §3), stored as instants; entered and shown in Europe/Stockholm time.
    t.timestamp('nomination_opens_at', { useTz: true });
    t.timestamp('nomination_closes_at', { useTz: true });
    t.timestamp('voting_opens_at', { useTz: true });
    t.timestamp('voting_closes_at', { useTz: true });
    t.timestamp('judging_opens_at', { useTz: true });
    t.timestamp('judging_closes_at', { useTz: true });
    t.timestamp('ceremony_at', { useTz: true });
    // Admin overrides: null follows the dates, 'open' or 'closed' wins over them.
    t.string('nomination_override', 8);
    t.string('voting_override', 8);
    t.string('judging_override', 8);
    t.timestamp('revealed_at', { useTz: true });
    t.timestamp('archived_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.check('vote_budget >= 1', [], 'editions_vote_budget_positive');
    t.check('finalist_count >= 1', [], 'editions_finalist_count_positive');
  });

  await knex.schema.createTable('departments', (t) => {
    t.increments('id').primary();
    t.integer('edition_id').notNullable().references('id').inTable('editions').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    t.integer('sort_order').notNullable().defaultTo(0);
    t.unique(['edition_id', 'name']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('departments');
  await knex.schema.dropTable('editions');
}
