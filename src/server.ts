// Reads the configuration, opens and migrates the database, seeds the demo (dev mode), listens, and
// shuts down gracefully on SIGTERM/SIGINT: stop accepting, finish requests, close streams and the db.
import http from 'node:http';
import v8 from 'node:v8';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './logger';
import { migrate, openDatabase, type Db } from './db';
import { createApp } from './app';
import { loadCardFonts } from './cards/render';
import { createMailer } from './mail';
import { createEvents } from './events';
import { isSeeded, seedDemo } from '../db/seeds/demo';
import { startHousekeeping } from './admin/housekeeping';
import type { Logger } from 'pino';
import { systemClock } from './clock';

export type RunningServer = { server: http.Server; db: Db; config: Config; close(): Promise<void> };

export async function start(env: Record<string, string | undefined> = process.env): Promise<RunningServer> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  if (config.authMode === 'dev') {
    logger.warn(
      { authMode: 'dev', host: config.host ?? 'all interfaces', nodeEnv: config.nodeEnv },
      'DEMO SIGN-IN IS ON: anyone who reaches this server can sign in as any user, admins included. Never use it with real people or data; set NODE_ENV=production and AUTH_MODE=azure',
    );
  }
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(db);
  if (shouldSeed(config) && !(await isSeeded(db))) {
    await seedDemo(db, systemClock());
    logger.info('demo data seeded');
  }
  const mailer = createMailer(config, logger, systemClock);
  // Shared by the app and the housekeeping; createApp registers the subscribers (src/events/subscribers.ts).
  const events = createEvents(logger);
  const { app, sessionStore } = createApp({
    config,
    db,
    logger,
    now: systemClock,
    mailer,
    events,
    sessionCookieName: config.isProduction ? '__Host-am.sid' : 'am.sid',
  });
  // Draft clean-up (R6) and phase-opening notices (R7), at start and then periodically.
  const housekeeping = startHousekeeping({ db, events, mailer, config, logger, now: systemClock });
  loadCardFonts(); // before listening: parsing them would hold the first card request
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  logger.info({ host: typeof address === 'object' && address ? address.address : config.host, port: typeof address === 'object' && address ? address.port : config.port, authMode: config.authMode, database: db.dialect.isPostgres ? 'postgresql' : 'sqlite' }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Long-lived connections (server-sent events) are ended so close() can finish.
        server.closeIdleConnections();
        app.emit('shutdown');
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      });
      sessionStore.close();
      await housekeeping.stop();
      await db.destroy();
    })());
  return { server, db, config, close };
}

function shouldSeed(config: Config): boolean {
  if (config.seedDemo === 'true') return true;
  if (config.seedDemo === 'false') return false;
  return config.authMode === 'dev' && !config.isProduction;
}

function installSignalHandlers(running: RunningServer, logger: Logger): void {
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/**
 * V8 lets the old generation grow to up to four times what was alive after the last full collection
 * before it collects again. A server's garbage is short-lived request data promoted while requests
 * wait, so under 50 concurrent requests the heap sat at three times its live size (peak RSS 250–370 MB
 * for about 40 MB alive). A growing factor of HEAP_GROWING_PERCENT keeps the peak near 200 MB for a few
 * more, short, full collections (issue 20, README "Performance"). V8 reads the flag at every
 * collection, so setting it here, before the app allocates, has the effect of the command-line flag;
 * NODE_OPTIONS cannot carry it.
 */
const HEAP_GROWING_PERCENT = 50;

function tuneHeap(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

if (require.main === module) {
  tuneHeap();
  start().then(
    (running) => installSignalHandlers(running, createLogger(running.config.logLevel)),
    (err) => {
      if (err instanceof ConfigError) {
        console.error(`Årets misstag cannot start.\n${err.message}`);
      } else {
        console.error('Årets misstag cannot start:', err instanceof Error ? err.message : err);
      }
      process.exit(1);
    },
  );
}
