import type { Knex } from 'knex';

// A random key per opened nomination form: a double submit of the same form finds the nomination the
// first request created instead of creating a second one (N2). Enforced by the database.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('nominations', (t) => {
    t.string('form_key', 64);
    t.unique(['submitter_id', 'form_key'], { indexName: 'nominations_submitter_form_key_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('nominations', (t) => {
    t.dropUnique(['submitter_id', 'form_key'], 'nominations_submitter_form_key_unique');
    t.dropColumn('form_key');
  });
}
