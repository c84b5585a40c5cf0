import type { Knex } from 'knex';

// C7: votes from phones in the hall that are not signed in, one per device (a signed cookie), counted
// apart from the employees' votes. voter_id stays null for them; device_id is unique per poll. A closed
// poll keeps only tallies (090), so a tally is per kind too: the ceremony shows the hall's and the
// employees' counts apart after the close. Safe to re-run.
export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasColumn('live_votes', 'device_id'))) {
    await knex.schema.alterTable('live_votes', (t) => {
      t.string('device_id', 64);
      t.string('kind', 16).notNullable().defaultTo('employee');
      t.unique(['poll_id', 'device_id']);
    });
  }
  if (!(await knex.schema.hasColumn('live_vote_tallies', 'kind'))) {
    // The key grows a column: the table is made again (tallies are a few rows per poll). Every tally
    // written before this migration is the employees' (there were no votes from the hall).
    const rows: Array<{ poll_id: number; nomination_id: number; votes: number }> = await knex('live_vote_tallies').select('poll_id', 'nomination_id', 'votes');
    await knex.schema.dropTable('live_vote_tallies');
    await createTallies(knex, true);
    if (rows.length > 0) await knex('live_vote_tallies').insert(rows.map((r) => ({ ...r, kind: 'employee' })));
  }
}

async function createTallies(knex: Knex, withKind: boolean): Promise<void> {
  await knex.schema.createTable('live_vote_tallies', (t) => {
    t.integer('poll_id').notNullable().references('id').inTable('live_polls').onDelete('CASCADE');
    if (withKind) t.string('kind', 16).notNullable().defaultTo('employee');
    t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
    t.integer('votes').notNullable();
    t.primary(withKind ? ['poll_id', 'kind', 'nomination_id'] : ['poll_id', 'nomination_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  if (await knex.schema.hasColumn('live_vote_tallies', 'kind')) {
    // Back to one count per finalist: the hall's and the employees' tallies are added up.
    const rows: Array<{ poll_id: number; nomination_id: number; votes: number | string }> = await knex('live_vote_tallies')
      .groupBy('poll_id', 'nomination_id')
      .select('poll_id', 'nomination_id')
      .sum({ votes: 'votes' });
    await knex.schema.dropTable('live_vote_tallies');
    await createTallies(knex, false);
    if (rows.length > 0) await knex('live_vote_tallies').insert(rows.map((r) => ({ ...r, votes: Number(r.votes) })));
  }
  if (await knex.schema.hasColumn('live_votes', 'device_id')) {
    await knex.schema.alterTable('live_votes', (t) => {
      t.dropUnique(['poll_id', 'device_id']);
      t.dropColumn('kind');
      t.dropColumn('device_id');
    });
  }
}
