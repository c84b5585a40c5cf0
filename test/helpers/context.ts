// A fresh, migrated database per test file (SQLite file in a temp dir, or a new PostgreSQL database
// when TEST_PG_URL is set by `npm run test:pg`), the app on it, a clock the test can move, and agents
// signed in as demo users.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import knexFactory from 'knex';
import request from 'supertest';
import pino from 'pino';
import { createApp, type AppDeps } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { migrate, openDatabase, type Db } from '../../src/db';
import { seedDemo } from '../../db/seeds/demo';
import { createMailer } from '../../src/mail';
import { createEvents, type Events } from '../../src/events';

export type Clock = { now(): Date; set(d: Date): void; advance(ms: number): void };

/**
 * Where every test context's clock starts unless the test says otherwise: a fixed, ordinary moment
 * (a Tuesday morning in October, Stockholm summer time), so a test reads the same on any day it runs.
 * The demo seed places the current edition around it (nomination and voting open). Tests about a
 * particular moment set the clock themselves; nothing in a test may compare with the real date.
 */
export const TEST_NOW = new Date('2026-10-20T08:00:00Z');

export type TestContext = {
  app: ReturnType<typeof createApp>['app'];
  db: Db;
  config: Config;
  clock: Clock;
  dataDir: string;
  /** The app's after-commit events: a test listens with ctx.events.on(…). */
  events: Events;
  isPostgres: boolean;
  /** A supertest agent signed in as this demo user (e.g. 'anna@example.org'). */
  signIn(email: string): Promise<Agent>;
  anonymous(): Agent;
  close(): Promise<void>;
};

export type Agent = ReturnType<typeof request.agent> & {
  csrf(): Promise<string>;
  /** The language switch in the header (a POST form): 'sv' or 'en'. */
  chooseLocale(locale: 'sv' | 'en', next?: string): Promise<request.Response>;
};

export async function createPgDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `am_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      await a.raw(`drop database if exists ${name} with (force)`);
      await a.destroy();
    },
  };
}

export async function createTestContext(options: { seed?: boolean; now?: Date; env?: Record<string, string> } = {}): Promise<TestContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-test-'));
  const pgAdminUrl = process.env.TEST_PG_URL;
  const pg = pgAdminUrl ? await createPgDatabase(pgAdminUrl) : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    AUTH_MODE: 'dev',
    LOG_LEVEL: 'silent',
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    ...options.env,
  });
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir, poolMax: 20 });
  await migrate(db);
  let current = options.now ?? TEST_NOW;
  const clock: Clock = {
    now: () => current,
    set: (d) => {
      current = d;
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
  if (options.seed !== false) await seedDemo(db, current);
  const logger = pino({ level: 'silent' });
  const events = createEvents(logger);
  const deps: AppDeps = { config, db, logger, now: () => clock.now(), sessionCookieName: 'am.sid', mailer: createMailer(config), events };
  const { app, sessionStore } = createApp(deps);

  const makeAgent = (): Agent => {
    const agent = request.agent(app) as Agent;
    agent.csrf = async () => {
      const res = await agent.get('/accessibility');
      const m = /<meta name="csrf-token" content="([^"]+)"/.exec(res.text);
      if (!m) throw new Error('no CSRF token on the page');
      return m[1];
    };
    agent.chooseLocale = async (locale, next = '/') => {
      const _csrf = await agent.csrf(); // first: the request takes the agent's cookies when it is made
      return agent.post('/lang').type('form').send({ _csrf, locale, next });
    };
    return agent;
  };

  return {
    app,
    db,
    config,
    clock,
    dataDir,
    events,
    isPostgres: Boolean(pg),
    anonymous: makeAgent,
    async signIn(email) {
      const agent = makeAgent();
      const token = await agent.csrf();
      const res = await agent.post('/auth/dev').type('form').send({ _csrf: token, email });
      if (res.status !== 303) throw new Error(`sign-in as ${email} failed: ${res.status} ${res.text.slice(0, 200)}`);
      return agent;
    },
    async close() {
      sessionStore.close();
      await db.destroy();
      if (pg) await pg.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The text of a page without tags, for assertions on what a person reads. */
export function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}
