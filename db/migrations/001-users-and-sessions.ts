import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    // Entra ID identity (SPEC A1): keyed on tenant + object id, never on e-mail.
    t.string('tenant_id', 64).notNullable();
    t.string('object_id', 64).notNullable();
    t.string('email', 320).notNullable();
    t.string('name', 200).notNullable();
    t.string('department', 200);
    t.string('locale', 5);
    t.boolean('is_admin').notNullable().defaultTo(false);
    // 'claim' (group/app role), 'bootstrap' (ADMIN_EMAILS) or 'app' (promoted in the app)
    t.string('admin_source', 16);
    t.timestamp('anonymised_at', { useTz: true });
    t.timestamp('last_sign_in_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['tenant_id', 'object_id']);
    t.index(['email']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.string('sid', 128).primary();
    t.text('sess').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
}
