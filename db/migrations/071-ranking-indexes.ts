import type { Knex } from 'knex';

// Indexes for the jury ranking (issue 9, found with `npm run bench` and EXPLAIN QUERY PLAN):
// - the ranking reads every score of an edition's entries: a covering index answers it from the index
//   alone instead of looking up each of the 8,400 rows (300 entries × 7 jurors × 4 criteria);
// - the people's vote counts per entry (ranking, gallery after voting, ceremony, archive) count an
//   edition's votes by entry: (edition_id, nomination_id) answers the count without reading the votes.
// `if not exists` keeps the migration safe to re-run; both statements work on SQLite and PostgreSQL.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index if not exists scores_ranking_covering_index on scores (nomination_id, juror_id, criterion_id, value)');
  await knex.raw('create index if not exists votes_edition_nomination_index on votes (edition_id, nomination_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists votes_edition_nomination_index');
  await knex.raw('drop index if exists scores_ranking_covering_index');
}
