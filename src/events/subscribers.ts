// Who listens to the app's events: one line per subscriber. A new integration is a file with a
// `(events, deps) => void` function that calls events.on(…), and a line here.
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Db } from '../db';
import type { LiveBus } from '../live/bus';
import type { Mailer } from '../mail';
import { liveBusSubscriber } from '../live/bus-subscriber';
import { mailSubscriber } from '../notifications/subscriber';
import { teamsSubscriber } from '../integrations/teams';
import type { Events } from '.';

export type SubscriberDeps = { db: Db; mailer: Mailer; config: Config; logger: Logger; now: () => Date; liveBus: LiveBus };

export function registerSubscribers(events: Events, deps: SubscriberDeps): void {
  mailSubscriber(events, deps);
  liveBusSubscriber(events, deps.liveBus);
  teamsSubscriber(events, deps);
}
