// Reads that nearly every request makes and that change rarely — the current edition, the list of an
// edition's published entries — kept in memory per database handle.
//
// Freshness: every write statement that goes through the handle (a transaction's too) is seen on knex's
// 'query' event; a write to a table drops what was read from it. On SQLite (one connection, reads wait
// for a transaction to end) the instance that made a change never shows the old state. On PostgreSQL a
// read that runs on another pooled connection while the change's transaction commits may keep the old
// state, and other instances (scale-out) keep it too: at most MAX_AGE_MS in both cases. Reads inside a
// transaction always go to the database, and so does every rule a change is checked against.
import type { Knex } from 'knex';
import type { Queryable } from './db';
import { monotonicMs } from './clock';

export const MAX_AGE_MS = 1000;
const MAX_ENTRIES = 500;
let maxAgeMs = MAX_AGE_MS;

/**
 * For tests that count statements: without the age limit, whether a read is kept depends only on the
 * writes, not on how fast the machine is. Returns a function that restores the limit.
 */
export function withoutAgeLimit(): () => void {
  maxAgeMs = Number.POSITIVE_INFINITY;
  return () => {
    maxAgeMs = MAX_AGE_MS;
  };
}

type Entry = { value: Promise<unknown>; loadedAt: number; tables: readonly string[]; generation: number };
type Cache = { entries: Map<string, Entry>; inFlight: Map<string, { value: Promise<unknown>; generation: number }>; generations: Map<string, number> };

const caches = new WeakMap<Knex, Cache>();
const WRITTEN_TABLE = /^\s*(?:insert\s+into|update|delete\s+from)\s+["`]?(\w+)/i;

function cacheFor(db: Knex): Cache {
  let cache = caches.get(db);
  if (!cache) {
    const created: Cache = { entries: new Map(), inFlight: new Map(), generations: new Map() };
    db.on('query', (q: { sql?: unknown }) => {
      const table = typeof q.sql === 'string' ? WRITTEN_TABLE.exec(q.sql)?.[1] : undefined;
      if (table) created.generations.set(table, (created.generations.get(table) ?? 0) + 1);
    });
    caches.set(db, created);
    cache = created;
  }
  return cache;
}

function generationOf(cache: Cache, tables: readonly string[]): number {
  let sum = 0;
  for (const t of tables) sum += cache.generations.get(t) ?? 0;
  return sum;
}

/**
 * One `load()` shared by every request that asks for the same key while it runs; nothing is kept once
 * it has settled, so no one reads older data than a request of their own would. For heavy reads that
 * many people open at once (the jury ranking). A write to one of `tables` meanwhile starts a new load.
 */
export function sharedRead<T>(db: Queryable, key: string, tables: readonly string[], load: () => Promise<T>): Promise<T> {
  if ((db as { isTransaction?: boolean }).isTransaction) return load();
  const cache = cacheFor(db as Knex);
  const generation = generationOf(cache, tables);
  const running = cache.inFlight.get(key);
  if (running && running.generation === generation) return running.value as Promise<T>;
  const value = load();
  cache.inFlight.set(key, { value, generation });
  const settled = () => {
    if (cache.inFlight.get(key)?.value === value) cache.inFlight.delete(key);
  };
  value.then(settled, settled);
  return value;
}

/**
 * `load()` once per key until a table it read from is written or MAX_AGE_MS have passed; inside a
 * transaction, every time. `tables` are the tables the read depends on.
 */
export function cachedRead<T>(db: Queryable, key: string, tables: readonly string[], load: () => Promise<T>, nowMs = monotonicMs()): Promise<T> {
  if ((db as { isTransaction?: boolean }).isTransaction) return load();
  const cache = cacheFor(db as Knex);
  const generation = generationOf(cache, tables);
  const entry = cache.entries.get(key);
  if (entry && entry.generation === generation && nowMs - entry.loadedAt < maxAgeMs) return entry.value as Promise<T>;
  const value = load();
  // Re-inserted last, so the oldest unused key is the one dropped when the cache is full.
  if (!cache.entries.delete(key) && cache.entries.size >= MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value as string);
  // Stored with the generation from before the read: a write while it runs makes it stale at once.
  cache.entries.set(key, { value, loadedAt: nowMs, tables, generation });
  value.catch(() => {
    if (cache.entries.get(key)?.value === value) cache.entries.delete(key);
  });
  return value;
}
