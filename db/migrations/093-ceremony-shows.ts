import type { Knex } from 'knex';

// C6, C7: the state of an edition's running ceremony, kept by the server so that the presenter's
// window, the projector and every desk viewer show the same slide. One row per edition: the slide on
// the screen (by key, not number, so the running order may grow a slide without moving the screen),
// a black screen, the rehearsal with placeholder names, and who may vote in the hall. Safe to re-run.
export async function up(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('ceremony_shows')) return;
  await knex.schema.createTable('ceremony_shows', (t) => {
    t.integer('edition_id').primary().references('id').inTable('editions').onDelete('CASCADE');
    t.string('slide_key', 64).notNullable().defaultTo('title');
    t.boolean('black').notNullable().defaultTo(false);
    t.boolean('rehearsal').notNullable().defaultTo(false);
    t.boolean('rehearsal_revealed').notNullable().defaultTo(false);
    /** 'employees' (signed in) or 'room' (anyone with the code on the slide; employees too). */
    t.string('live_audience', 16).notNullable().defaultTo('employees');
    t.boolean('live_hide_bars').notNullable().defaultTo(false);
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ceremony_shows');
}
