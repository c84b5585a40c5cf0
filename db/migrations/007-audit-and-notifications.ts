import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Audit log (R4): who did what, when. actor_id keeps the link so anonymisation shows the new name.
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.integer('actor_id').references('id').inTable('users');
    t.string('action', 64).notNullable();
    t.string('subject_type', 32);
    t.integer('subject_id');
    t.text('details').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['created_at']);
    t.index(['action']);
  });

  // In-app notifications (R7); every e-mail has one. Text is rendered from kind + params in the
  // reader's language.
  await knex.schema.createTable('notifications', (t) => {
    t.increments('id').primary();
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('kind', 48).notNullable();
    t.text('params').notNullable().defaultTo('{}');
    t.string('link', 500);
    t.timestamp('read_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['user_id', 'read_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notifications');
  await knex.schema.dropTable('audit_log');
}
