import type { Knex } from 'knex';

// The app is no mail relay: consent mails are counted per recipient and per sender over the last hour,
// in the database so the limit holds across instances. A row is kept a day at most (pruned as mail goes
// out). Safe to re-run.
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('mail_sends')) return;
  await knex.schema.createTable('mail_sends', (t) => {
    t.increments('id').primary();
    t.string('kind', 48).notNullable();
    t.string('recipient', 320).notNullable();
    t.integer('sender_id').references('id').inTable('users').onDelete('CASCADE');
    t.timestamp('sent_at', { useTz: true }).notNullable();
    t.index(['recipient', 'sent_at']);
    t.index(['sender_id', 'sent_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mail_sends');
}
