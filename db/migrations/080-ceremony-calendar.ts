import type { Knex } from 'knex';

// R10: the ceremony's calendar invitation (.ics) keeps one UID per edition; when the ceremony moves,
// SEQUENCE goes up and DTSTAMP becomes the time of the change, so calendars replace the old event.
// Safe to re-run.
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasColumn('editions', 'ceremony_sequence')) return;
  await knex.schema.alterTable('editions', (t) => {
    t.integer('ceremony_sequence').notNullable().defaultTo(0);
    t.timestamp('ceremony_changed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('editions', (t) => {
    t.dropColumn('ceremony_changed_at');
    t.dropColumn('ceremony_sequence');
  });
}
