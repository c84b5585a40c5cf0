import type { Knex } from 'knex';

// J7, R4: every time a locked result is unlocked before the reveal — who, when and why — so the jury's
// decision page can show it to the whole jury (the audit log is for admins only). One row per unlock;
// the result itself keeps only whether it is locked now. Safe to re-run.
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('result_unlocks')) return;
  await knex.schema.createTable('result_unlocks', (t) => {
    t.increments('id').primary();
    t.integer('edition_id').notNullable().references('id').inTable('editions').onDelete('CASCADE');
    t.integer('unlocked_by').notNullable().references('id').inTable('users');
    t.text('reason').notNullable();
    t.timestamp('unlocked_at', { useTz: true }).notNullable();
    t.index(['edition_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('result_unlocks');
}
