// The knex instance and the dialect facts computed once (STYLE: no scattered client checks).
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { migrationSource } from '../db/migrations';
import { monotonicMs } from './clock';
import { turnWithBudget } from './turns';

export type Db = Knex & { dialect: Dialect };
export type Dialect = { isPostgres: boolean; isSqlite: boolean };
/** A knex instance or a transaction: what queries.ts functions take. */
export type Queryable = Knex | Knex.Transaction;

export function openDatabase(options: { databaseUrl?: string; dataDir: string; poolMax?: number }): Db {
  let knex: Knex;
  let dialect: Dialect;
  if (options.databaseUrl) {
    knex = knexFactory({
      client: 'pg',
      connection: options.databaseUrl,
      pool: { min: 0, max: options.poolMax ?? 10 },
    });
    dialect = { isPostgres: true, isSqlite: false };
  } else {
    fs.mkdirSync(options.dataDir, { recursive: true });
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(options.dataDir, 'arets-misstag.sqlite') },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          conn.pragma('journal_mode = WAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          // FULL: a commit is on disk before the answer goes out, so an acknowledged vote survives a
          // power cut too (V5), not only a crash of the app; about a fifth of the vote burst's rate.
          conn.pragma('synchronous = FULL');
          // V4: deleted rows (withdrawn votes, erased ballots) are overwritten with zeros, not left
          // readable in free space of the page or in free pages.
          conn.pragma('secure_delete = ON');
          // SQLite's own lower() folds only A–Z; searches must match Å/Ä/Ö in either case as they do on
          // PostgreSQL (N6, R5), so lower() is replaced by a Unicode one on every connection.
          conn.function('lower', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLocaleLowerCase('sv-SE') : v));
          cachePreparedStatements(conn);
          done(null, conn);
        },
      },
    });
    dialect = { isPostgres: false, isSqlite: true };
    yieldBetweenQueries(knex);
  }
  return Object.assign(knex, { dialect });
}

/**
 * better-sqlite3 answers synchronously and the pool's one connection goes to the next waiting query in
 * a promise callback, so a queue of requests ran in one turn of the event loop. A query that gets the
 * connection once the current turn has run past its budget now runs in the next turn (src/turns.ts);
 * the connection stays its own meanwhile (SQLite has one). A transaction's own queries use its
 * connection directly and are never paused.
 */
function yieldBetweenQueries(knex: Knex): void {
  const client = knex.client as { acquireConnection(): Promise<unknown> };
  const acquire = client.acquireConnection.bind(client);
  client.acquireConnection = async () => {
    const conn = await acquire();
    // Checked once the connection is ours, right before the query runs: the pool hands it from one
    // waiting query to the next within the same turn.
    await turnWithBudget();
    return conn;
  };
}

type Statement = unknown;
type SqliteConnection = {
  pragma(s: string): unknown;
  prepare(sql: string): Statement;
  function(name: string, options: { deterministic: boolean }, fn: (v: unknown) => unknown): unknown;
};

/**
 * knex prepares every statement anew on better-sqlite3; compiling the SQL was a tenth of a page's
 * time in the bench profile. The app sends a few hundred distinct statements, so the compiled ones are
 * kept (the oldest dropped past a bound). Safe: better-sqlite3 runs a statement to completion
 * synchronously, and SQLite recompiles a cached statement itself when the schema changes.
 */
function cachePreparedStatements(conn: SqliteConnection, max = 1000): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, Statement>();
  conn.prepare = (sql: string) => {
    // knex opens transactions with a deferred BEGIN: one that has read cannot wait for another
    // process's write and fails with "database is locked". IMMEDIATE takes the write lock first,
    // waiting (busy_timeout) for a backup or CLI command that writes the same file.
    if (sql === 'BEGIN;') sql = 'BEGIN IMMEDIATE;';
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  };
}

type PooledClient = {
  acquireConnection(): Promise<unknown>;
  releaseConnection(conn: unknown): Promise<unknown>;
  /** knex's own conversion of bindings for better-sqlite3 (dates to numbers, booleans to 0/1). */
  _formatBindings(bindings: readonly unknown[]): unknown[];
};
type RawStatement = { raw(on: boolean): RawStatement; all(params: unknown[]): unknown[][] };

/**
 * A query's rows as arrays of column values, in select order. For reads of thousands of rows (the jury
 * ranking): on better-sqlite3 building an object per row was more than half of such a query's time.
 * Works inside a transaction too (its client hands out the transaction's connection).
 */
export async function selectArrays(db: Queryable, query: Knex.QueryBuilder): Promise<unknown[][]> {
  const client = (db as unknown as { client: PooledClient & { config: { client?: unknown } } }).client;
  if (client.config.client !== 'better-sqlite3') {
    // node-postgres returns arrays itself (two columns of the same name stay two).
    return (await query.options({ rowMode: 'array' })) as unknown as unknown[][];
  }
  const { sql, bindings } = query.toSQL().toNative();
  const conn = (await client.acquireConnection()) as { prepare(sql: string): RawStatement };
  try {
    // The statement may be the cached one knex uses for the same SQL: raw mode only for this call.
    const statement = conn.prepare(sql).raw(true);
    try {
      return statement.all(client._formatBindings(bindings));
    } finally {
      statement.raw(false);
    }
  } finally {
    await client.releaseConnection(conn);
  }
}

/**
 * Applies the migrations. Several instances starting at once (scale-out) race for knex's migration
 * lock (and, on an empty database, to create knex's tables); the loser used to stop with "Migration
 * table is already locked" or a duplicate-table error. It now waits for the winner
 * (who applies them) and then finds nothing left to do. A lock left by a process killed mid-migration
 * still fails after `waitForLockMs`, naming the lock.
 */
export async function migrate(db: Knex, options: { waitForLockMs?: number } = {}): Promise<void> {
  const deadline = monotonicMs() + (options.waitForLockMs ?? 60_000);
  for (;;) {
    try {
      await db.migrate.latest({ migrationSource });
      return;
    } catch (err) {
      // On an empty database the racers also collide creating knex's own bookkeeping tables.
      // (Duck-typed: a driver's error may come from another realm, e.g. under jest.)
      const e = err as { name?: unknown; message?: unknown } | null;
      const racing = e?.name === 'LockError' || /already locked|knex_migrations/i.test(String(e?.message ?? ''));
      if (!racing || monotonicMs() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 + Math.random() * 500));
    }
  }
}

/**
 * V4: after ballots were erased (archive, a closed live vote), leaves no copy of the deleted rows for a
 * forensic reader. SQLite (secure_delete is on, so the deleted cells are zeroed): the write-ahead log is
 * checkpointed into the file and truncated, VACUUM rebuilds the file without free pages, and the log
 * it wrote is checkpointed and truncated again. PostgreSQL: VACUUM FULL rewrites the tables into new
 * files without the dead rows (what it cannot reach — WAL segments, replicas, the file system's freed
 * blocks — is in the README). Must run outside a transaction, after the erasure has committed.
 * Blocks writes for the duration (a fraction of a second on an organisation's data; archive is yearly).
 * `compact: false` (a live vote closing during the ceremony) only checkpoints (SQLite) or runs a plain
 * VACUUM (PostgreSQL), which takes no lock that stops the ceremony; the zeroed cells are enough there.
 */
export async function scrubErasedData(db: Db, tables: string[], options: { compact: boolean }): Promise<void> {
  if (db.dialect.isPostgres) {
    const names = tables.map((t) => db.raw('??', [t]).toQuery()).join(', ');
    if (!options.compact) {
      await db.raw(`vacuum ${names}`);
      return;
    }
    // Only the archive waits (a live vote closing mid-ceremony must answer at once). A snapshot that
    // appears while a rewrite runs (a session still connecting, whose snapshot can be older than the
    // erasure because of a transaction in another database) makes VACUUM keep a deleted row as
    // "recently dead". VACUUM says so itself (VERBOSE): the rewrite is repeated, after waiting again,
    // until it reports none kept — at least twice where its report cannot be read.
    const deadline = monotonicMs() + MAX_WAIT_MS;
    for (let pass = 0; pass < MAX_REWRITES; pass++) {
      // After a pass that had to keep rows, give what held them a moment to end, even if unseen.
      if (pass > 0) await new Promise((resolve) => setTimeout(resolve, 100 * pass));
      await waitForOlderSnapshots(db, deadline);
      const kept = await vacuumFullKeptRows(db, names);
      if (kept === 0 || (kept === null && pass >= 1)) return;
    }
    return;
  }
  await db.raw('pragma wal_checkpoint(TRUNCATE)');
  if (!options.compact) return;
  await db.raw('vacuum');
  await db.raw('pragma wal_checkpoint(TRUNCATE)');
}

const MAX_REWRITES = 6;
/** How long the archive waits, in all, for older transactions to end before it rewrites anyway. */
const MAX_WAIT_MS = 20_000;

type PgNotice = { severity?: string; message?: string; detail?: string };
type PgConnection = { query(sql: string): Promise<unknown>; on(event: 'notice', cb: (n: PgNotice) => void): void; off(event: 'notice', cb: (n: PgNotice) => void): void };

/**
 * VACUUM FULL VERBOSE on its own connection; how many dead rows it had to keep ("N dead row versions
 * cannot be removed yet"), or null when its report could not be read (messages in another language:
 * only a superuser may set lc_messages).
 */
async function vacuumFullKeptRows(db: Db, names: string): Promise<number | null> {
  const client = db.client as { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<unknown> };
  const conn = await client.acquireConnection();
  const details: string[] = [];
  const listen = (n: PgNotice) => details.push(`${n.message ?? ''} ${n.detail ?? ''}`);
  conn.on('notice', listen);
  try {
    await conn.query(`set lc_messages to 'C'`).catch(() => undefined);
    await conn.query(`vacuum (full, verbose) ${names}`);
  } finally {
    conn.off('notice', listen);
    await conn.query('reset lc_messages').catch(() => undefined);
    await client.releaseConnection(conn);
  }
  const counts = details.flatMap((d) => [...d.matchAll(/(\d+) dead row versions cannot be removed yet/g)].map((m) => Number(m[1])));
  return counts.length ? counts.reduce((a, b) => a + b, 0) : null;
}

/**
 * VACUUM keeps a deleted row that a transaction still running might see (one that started before the
 * delete committed: a long report, an autovacuum's ANALYZE, another request's transaction). So before it
 * runs, wait — until `deadline` at most — until every other session's snapshot and transaction is newer
 * than now. In every database of the server, not only this one: some hold back every database's
 * horizon (a session still connecting, a CREATE or DROP DATABASE; seen kept rows while a DROP DATABASE
 * ran elsewhere).
 */
async function waitForOlderSnapshots(db: Db, deadline: number): Promise<void> {
  const marker = await db.raw(`select (pg_current_xact_id()::text::bigint % 4294967296)::text as xid`);
  const xid = String((marker as { rows: Array<{ xid: string }> }).rows[0].xid);
  for (;;) {
    // A transaction that has written holds the horizon back with its own id even while it has no
    // snapshot (idle between two statements, as an after-commit subscriber's transaction can be).
    const result = await db.raw(
      `select count(*)::int as n from pg_stat_activity
       where pid <> pg_backend_pid()
         and ((backend_xmin is not null and age(backend_xmin) >= age(?::xid)) or (backend_xid is not null and age(backend_xid) >= age(?::xid)))`,
      [xid, xid],
    );
    if ((result as { rows: Array<{ n: number }> }).rows[0].n === 0 || monotonicMs() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function isReachable(db: Knex): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

/** SQLite gives 0/1 and numbers for what PostgreSQL gives as booleans and Dates; normalise here. */
export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
}

export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return new Date(Number(v));
    // SQLite CURRENT_TIMESTAMP is UTC without a zone marker
    const d = new Date(/\d{2}:\d{2}:\d{2}$/.test(v) && !v.includes('T') ? v.replace(' ', 'T') + 'Z' : v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

export function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0);
}

/** Whether an error is a unique-constraint violation, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
