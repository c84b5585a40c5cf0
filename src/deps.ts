// What the app is built from (createApp in app.ts) and what every feature's routes receive. In a module
// of its own so that a feature importing the type does not import the app that imports the feature.
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Db } from './db';
import type { Events } from './events';
import type { Mailer } from './mail';

export type AppDeps = {
  config: Config;
  db: Db;
  logger: Logger;
  /** The clock. Every rule that depends on the phase reads it, so tests can stand in any phase. */
  now: () => Date;
  sessionCookieName: string;
  /** Sends e-mail (SMTP_URL, or the outbox folder in development); only the mail subscriber uses it. */
  mailer: Mailer;
  /** After-commit events (src/events): services say what happened, subscribers act on it. */
  events: Events;
  /** Where "sign out of Microsoft too" leads; set by the Entra ID sign-in. */
  microsoftLogoutUrl?: string;
};
