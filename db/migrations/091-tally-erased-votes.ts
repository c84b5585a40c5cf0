import type { Knex } from 'knex';

// V4, data: votes whose voter link was already erased (archived editions, closed live votes) still kept
// a row each with its slot and time. They become tallies (counts only) and the rows go. Safe to re-run:
// a second run finds no such rows. The free pages are scrubbed by the next archive (or VACUUM).
export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw(
      `insert into vote_tallies (edition_id, nomination_id, votes)
       select edition_id, nomination_id, count(*) from votes where voter_id is null group by edition_id, nomination_id`,
    );
    await trx('votes').whereNull('voter_id').del();
    await trx.raw(
      `insert into live_vote_tallies (poll_id, nomination_id, votes)
       select poll_id, nomination_id, count(*) from live_votes
       where voter_id is null and poll_id in (select id from live_polls where closed_at is not null)
       group by poll_id, nomination_id`,
    );
    await trx('live_votes').whereNull('voter_id').whereIn('poll_id', trx('live_polls').whereNotNull('closed_at').select('id')).del();
  });
}

export async function down(): Promise<void> {
  // Counts cannot be turned back into ballots.
}
