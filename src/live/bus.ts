// Tells every app instance that an edition's live vote changed, so each can push fresh counts to the
// screens connected to it. PostgreSQL: NOTIFY on a channel, heard by one dedicated LISTEN connection
// per instance (not a knex pool connection: a pooled one would be handed back and lose the LISTEN).
// SQLite (one instance): an in-process EventEmitter.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Db } from '../db';

const CHANNEL = 'arets_misstag_live';

// The few calls of node-postgres used here (the package ships no types; knex loads it the same way).
type PgClient = {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', cb: (msg: { channel: string; payload?: string }) => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
};
type PgClientClass = new (config: { connectionString?: string }) => PgClient;
// Loaded on first use: a SQLite installation never needs it (6 MB of memory).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pgClient = (): PgClientClass => (require('pg') as { Client: PgClientClass }).Client;

export type LiveBus = {
  /** Announces that the live vote of an edition changed (a vote, opened, closed). */
  publish(editionId: number): Promise<void>;
  /** Calls onChange for changes of this edition and onEnd when the app shuts down; returns unsubscribe. */
  subscribe(editionId: number, onChange: () => void, onEnd: () => void): () => void;
  /** Ends every subscription and the LISTEN connection (graceful shutdown). */
  close(): Promise<void>;
};

/** What routes get: they follow the bus; only the events' bus subscriber (bus-subscriber.ts) publishes. */
export type LiveFollow = Pick<LiveBus, 'subscribe'>;

export function createLiveBus(options: { db: Db; databaseUrl?: string; logger: Logger }): LiveBus {
  const { db, databaseUrl, logger } = options;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let subscribers = 0;
  let closed = false;
  let client: PgClient | null = null;
  let connecting: Promise<void> | null = null;

  const usePg = db.dialect.isPostgres && Boolean(databaseUrl);

  const listen = async (): Promise<void> => {
    const Client = pgClient();
    const c = new Client({ connectionString: databaseUrl });
    c.on('notification', (msg) => {
      const editionId = Number(msg.payload);
      if (Number.isInteger(editionId)) events.emit('change', editionId);
    });
    c.on('error', (err) => {
      logger.warn({ err: err.message }, 'live vote listener lost its connection');
      if (client === c) client = null;
      c.end().catch(() => undefined);
      // Reconnect while screens are still following; they also get a fresh count on reconnect.
      if (!closed && subscribers > 0) setTimeout(() => void ensureListening(), 1000).unref();
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
  };

  const ensureListening = async (): Promise<void> => {
    if (!usePg || client || closed) return;
    connecting ??= listen()
      .catch((err: Error) => {
        logger.warn({ err: err.message }, 'live vote listener could not connect');
        if (!closed && subscribers > 0) setTimeout(() => void ensureListening(), 1000).unref();
      })
      .finally(() => {
        connecting = null;
      });
    await connecting;
  };

  const stopListening = async (): Promise<void> => {
    if (connecting) await connecting;
    const c = client;
    client = null;
    if (c) await c.end().catch(() => undefined);
  };

  return {
    async publish(editionId) {
      if (usePg) {
        await db.raw('select pg_notify(?, ?)', [CHANNEL, String(editionId)]);
      } else {
        events.emit('change', editionId);
      }
    },
    subscribe(editionId, onChange, onEnd) {
      const listener = (id: number) => {
        if (id === editionId) onChange();
      };
      events.on('change', listener);
      events.on('close', onEnd);
      subscribers += 1;
      void ensureListening();
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        events.off('change', listener);
        events.off('close', onEnd);
        subscribers -= 1;
        if (subscribers === 0) void stopListening();
      };
    },
    async close() {
      closed = true;
      events.emit('close');
      await stopListening();
    },
  };
}
