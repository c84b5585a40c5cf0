import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('jury_members', (t) => {
    t.increments('id').primary();
    t.integer('edition_id').notNullable().references('id').inTable('editions').onDelete('CASCADE');
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.boolean('is_chair').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['edition_id', 'user_id']);
  });
  // At most one chair per edition.
  await knex.raw('create unique index jury_members_one_chair on jury_members (edition_id) where is_chair');

  await knex.schema.createTable('criteria', (t) => {
    t.increments('id').primary();
    t.integer('edition_id').notNullable().references('id').inTable('editions').onDelete('CASCADE');
    t.string('key', 40).notNullable();
    t.string('name_sv', 100).notNullable();
    t.string('name_en', 100).notNullable();
    t.text('description_sv').notNullable().defaultTo('');
    t.text('description_en').notNullable().defaultTo('');
    // JSON: [{ sv, en }] × 5, the meaning of each level 1–5.
    t.text('levels').notNullable().defaultTo('[]');
    t.float('weight').notNullable().defaultTo(1);
    t.integer('sort_order').notNullable().defaultTo(0);
    t.unique(['edition_id', 'key']);
    t.check('weight > 0', [], 'criteria_weight_positive');
  });

  await knex.schema.createTable('scores', (t) => {
    t.increments('id').primary();
    t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
    t.integer('juror_id').notNullable().references('id').inTable('users');
    t.integer('criterion_id').notNullable().references('id').inTable('criteria').onDelete('CASCADE');
    t.integer('value').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['nomination_id', 'juror_id', 'criterion_id']);
    t.check('value between 1 and 5', [], 'scores_value_range');
  });

  // A juror's review of one entry: private note and whether the scores are submitted (J3, J5).
  await knex.schema.createTable('jury_reviews', (t) => {
    t.increments('id').primary();
    t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
    t.integer('juror_id').notNullable().references('id').inTable('users');
    t.text('note').notNullable().defaultTo('');
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['nomination_id', 'juror_id']);
  });

  // Jäv (J4): declared by the juror or automatic (submitted or named in the entry).
  await knex.schema.createTable('conflicts', (t) => {
    t.increments('id').primary();
    t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
    t.integer('juror_id').notNullable().references('id').inTable('users');
    t.text('reason').notNullable().defaultTo('');
    t.boolean('automatic').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['nomination_id', 'juror_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['conflicts', 'jury_reviews', 'scores', 'criteria', 'jury_members']) {
    await knex.schema.dropTable(table);
  }
}
