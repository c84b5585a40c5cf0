import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // R7: which phase openings have been announced to everyone, so each is sent once even with several
  // app instances checking at the same time (the unique key decides who sends).
  await knex.schema.createTable('phase_announcements', (t) => {
    t.increments('id').primary();
    t.integer('edition_id').notNullable().references('id').inTable('editions').onDelete('CASCADE');
    // 'nomination' | 'voting'
    t.string('phase', 16).notNullable();
    t.integer('recipients').notNullable().defaultTo(0);
    t.timestamp('sent_at', { useTz: true }).notNullable();
    t.unique(['edition_id', 'phase']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('phase_announcements');
}
