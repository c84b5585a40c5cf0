import type { Knex } from 'knex';

// C7: votes from phones in the hall that are not signed in, one per device (a signed cookie), counted
// apart from the employees' votes. voter_id stays null for them; device_id is unique per poll. Safe to
// re-run.
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasColumn('live_votes', 'device_id')) return;
  await knex.schema.alterTable('live_votes', (t) => {
    t.string('device_id', 64);
    t.string('kind', 16).notNullable().defaultTo('employee');
    t.unique(['poll_id', 'device_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('live_votes', (t) => {
    t.dropUnique(['poll_id', 'device_id']);
    t.dropColumn('kind');
    t.dropColumn('device_id');
  });
}
