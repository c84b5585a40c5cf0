// A mailer that keeps what it is given, and events with only the mail subscriber listening, for tests
// that call a service directly and look at the mails it caused.
import pino from 'pino';
import type { Mail, Mailer } from '../../src/mail';
import { createEvents, type Events } from '../../src/events';
import { mailSubscriber } from '../../src/notifications/subscriber';
import type { TestContext } from './context';

export function fakeMailer(): Mailer & { sent: Mail[] } {
  const sent: Mail[] = [];
  return { publicUrl: 'https://misstag.example.org', sent, send: async (m) => (sent.push(m), true), retryUnsent: async () => 0, close() {} };
}

export function mailEvents(ctx: Pick<TestContext, 'db' | 'config' | 'clock'>, mailer: Mailer): Events {
  const events = createEvents(pino({ level: 'silent' }));
  mailSubscriber(events, { db: ctx.db, mailer, config: ctx.config, now: () => ctx.clock.now() });
  return events;
}
