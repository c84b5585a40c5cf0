// Counts the SQL statements a piece of work sends (knex 'query' events), transactions included: for
// the N+1 test and for finding where a page spends its queries.
import type { Knex } from 'knex';

export type QueryLog = {
  /** Statements seen since start (or the last reset). */
  readonly count: number;
  readonly sql: string[];
  reset(): void;
  stop(): void;
};

export function countQueries(db: Knex): QueryLog {
  let sql: string[] = [];
  const listener = (q: { sql?: string }) => sql.push(String(q.sql ?? ''));
  db.on('query', listener);
  return {
    get count() {
      return sql.length;
    },
    get sql() {
      return sql;
    },
    reset() {
      sql = [];
    },
    stop() {
      db.off('query', listener);
    },
  };
}

/** Runs `work` and returns how many statements it sent, with the statements. */
export async function queriesOf(db: Knex, work: () => Promise<unknown>): Promise<{ count: number; sql: string[] }> {
  const log = countQueries(db);
  try {
    await work();
    return { count: log.count, sql: [...log.sql] };
  } finally {
    log.stop();
  }
}
