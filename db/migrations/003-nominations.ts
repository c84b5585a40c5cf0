import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('nominations', (t) => {
    t.increments('id').primary();
    t.integer('edition_id').notNullable().references('id').inTable('editions').onDelete('CASCADE');
    t.integer('submitter_id').notNullable().references('id').inTable('users');
    // draft | awaiting_consent | in_moderation | changes_requested | published | rejected | withdrawn
    t.string('status', 24).notNullable().defaultTo('draft');
    t.string('title', 200).notNullable().defaultTo('');
    t.text('what_happened').notNullable().defaultTo('');
    t.text('lesson').notNullable().defaultTo('');
    t.text('changes').notNullable().defaultTo('');
    t.integer('department_id').references('id').inTable('departments').onDelete('SET NULL');
    t.string('team_name', 200);
    t.boolean('includes_self').notNullable().defaultTo(false);
    t.boolean('show_submitter').notNullable().defaultTo(true);
    // What happens when a named colleague declines: 'remove' them, or 'keep_unpublished'.
    t.string('decline_policy', 24).notNullable().defaultTo('remove');
    t.boolean('eligibility_confirmed').notNullable().defaultTo(false);
    t.text('moderator_message');
    t.text('rejection_reason');
    // Lower-cased, Swedish-folded copy of title and texts for search on both databases.
    t.text('search_text').notNullable().defaultTo('');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('published_at', { useTz: true });
    t.timestamp('withdrawn_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['edition_id', 'status']);
    t.index(['submitter_id']);
  });

  // Named colleagues and their consent (SPEC N3).
  await knex.schema.createTable('nominees', (t) => {
    t.increments('id').primary();
    t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
    t.integer('user_id').references('id').inTable('users');
    t.string('name', 200).notNullable();
    t.string('email', 320).notNullable();
    // pending | given | declined | withdrawn
    t.string('consent', 16).notNullable().defaultTo('pending');
    t.string('consent_token', 64).notNullable().unique();
    t.text('message');
    t.timestamp('requested_at', { useTz: true });
    t.timestamp('responded_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['nomination_id', 'email']);
    t.index(['user_id']);
  });

  await knex.schema.createTable('attachments', (t) => {
    t.increments('id').primary();
    t.integer('nomination_id').notNullable().references('id').inTable('nominations').onDelete('CASCADE');
    t.string('storage_name', 64).notNullable().unique();
    t.string('original_name', 255).notNullable();
    t.string('mime', 64).notNullable();
    t.integer('size_bytes').notNullable();
    t.integer('width');
    t.integer('height');
    t.boolean('has_thumbnail').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['nomination_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('attachments');
  await knex.schema.dropTable('nominees');
  await knex.schema.dropTable('nominations');
}
