// Marks the run as a PostgreSQL run; test/helpers/context.ts creates a database per test file.
process.env.TEST_PG_URL ??= process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
