import type { Knex } from 'knex';

// Indexes for the pages read most (issue 9, found with `npm run bench` and EXPLAIN QUERY PLAN):
// - the gallery lists an edition's published entries newest first: a covering index answers it
//   without reading the (wide) rows and without a sort;
// - "is this my entry?" (voting, jury jäv) matches named colleagues by lower(email): an expression
//   index lets the database look the address up instead of scanning every named colleague.
// `if not exists` keeps the migration safe to re-run; both statements work on SQLite and PostgreSQL.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index if not exists nominations_edition_status_published_index on nominations (edition_id, status, published_at, id)');
  await knex.raw('create index if not exists nominees_lower_email_index on nominees (lower(email))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists nominees_lower_email_index');
  await knex.raw('drop index if exists nominations_edition_status_published_index');
}
