// After-commit events (STYLE 8, after pretalx's signals and Ghost's webhook listeners): a service
// changes state and says what happened; mail and in-app notifications, the live bus and integrations
// (Teams) listen. A service never sends mail or publishes to the bus itself, and a route never does.
//
// - Emitted only after the change has committed: `events.transaction(db, (trx, emit) => …)` queues what
//   `emit` is given and hands it to the subscribers once the transaction has committed; a rolled-back
//   transaction emits nothing. Work outside a transaction calls `events.emit` after its write.
// - A failing subscriber is logged and never undoes or fails the action that emitted the event.
// - Subscribers run one after the other in the order they were registered (src/events/subscribers.ts)
//   and `emit` resolves when they are done, so a mail is sent before the page that caused it answers.
//   A subscriber that talks to a slow outside service (Teams) queues its work and returns at once.
import type { Knex } from 'knex';
import type { Logger } from 'pino';

export type AnnouncedPhase = 'nomination' | 'voting' | 'judging';
export type ConsentAnswer = 'given' | 'declined' | 'withdrawn';
export type ModerationDecision = 'publish' | 'request_changes' | 'reject';

/** Every event, with what it tells. Facts only: who to tell and how is the subscribers' business. */
export type EventMap = {
  /** A nomination was sent (or sent again after changes); `status` is where it went. */
  'nomination.submitted': { nominationId: number; editionId: number; submitterId: number; title: string; status: 'awaiting_consent' | 'in_moderation'; resubmitted: boolean };
  /** A named colleague is asked for consent (N3); `userId` null when they have no account yet. */
  'consent.requested': {
    nominationId: number;
    title: string;
    /** The submitter's name when they chose to be shown, else ''. */
    submitter: string;
    /** Who sent it (never shown): consent mails are limited per sender. */
    submitterId: number;
    nominee: { id: number; userId: number | null; email: string; name: string; consentToken: string };
  };
  /** A named colleague answered (N3). `message` is their own words, possibly ''. */
  'consent.answered': {
    nominationId: number;
    submitterId: number;
    title: string;
    nomineeName: string;
    answer: ConsentAnswer;
    message: string;
    declinePolicy: 'remove' | 'keep_unpublished';
  };
  /** A moderator decided (N4); `text` is the requested change or the reason for rejecting, else ''. */
  'moderation.decided': { nominationId: number; submitterId: number; title: string; decision: ModerationDecision; text: string };
  /** An entry appeared in the gallery (a moderator published it). */
  'entry.published': { nominationId: number; editionId: number; title: string };
  /**
   * Nomination, voting or judging opened (by date or by an admin), announced once per edition and phase;
   * for judging the recipients are the jury and `dueAt` is when judging closes (ISO 8601), if it has an end.
   */
  'phase.opened': { editionId: number; year: number; title: string; phase: AnnouncedPhase; recipientIds: number[]; dueAt: string | null };
  /** An admin reminded the jury members who have entries left to score; `dueAt` as for phase.opened. */
  'jury.reminded': { editionId: number; title: string; jurors: Array<{ userId: number; left: number; total: number }>; dueAt: string | null };
  /** Entries wait for moderation: the admins' daily digest (`sinceAt`: when the oldest was submitted). */
  'moderation.waiting': { editionId: number; title: string; count: number; sinceAt: string; adminIds: number[] };
  /** The chair locked the jury's result (J7). */
  'result.locked': { editionId: number; title: string; chairId: number; winnerId: number | null; finalistIds: number[] };
  /** An admin or the chair unlocked the locked result before the reveal (J7). */
  'result.unlocked': { editionId: number; title: string; actor: { id: number; name: string }; reason: string };
  /** The ceremony revealed the winner (C3). */
  'winner.revealed': { editionId: number; year: number; title: string; winner: { nominationId: number; title: string } };
  /** The ceremony's live vote opened or closed, or someone voted in it (C2). */
  'live.opened': { editionId: number; pollId: number };
  'live.closed': { editionId: number; pollId: number };
  'live.voted': { editionId: number; pollId: number };
  /**
   * The running show changed (C6): a slide moved, the black screen, a rehearsal started, ended or
   * showed its placeholder winner, the hall vote's settings. What screens show, nothing else.
   */
  'show.changed': { editionId: number };
};

export type EventName = keyof EventMap;
export type Handler<K extends EventName> = (payload: EventMap[K]) => unknown;
/** What `events.transaction` hands its work: queues an event until the transaction has committed. */
export type Emit = <K extends EventName>(name: K, payload: EventMap[K]) => void;

export type Events = {
  /** Registers a handler; returns a function that removes it again. */
  on<K extends EventName>(name: K, handler: Handler<K>): () => void;
  /** Runs the handlers of an event that has happened (committed). Never rejects. */
  emit<K extends EventName>(name: K, payload: EventMap[K]): Promise<void>;
  /**
   * db.transaction(), and the events the work queued with `emit` once it has committed. Resolves with
   * the work's result after the subscribers have run; a throw rolls back and nothing is emitted.
   */
  transaction<T>(db: Knex, work: (trx: Knex.Transaction, emit: Emit) => Promise<T>): Promise<T>;
};

type AnyHandler = (payload: unknown) => unknown;

export function createEvents(logger: Pick<Logger, 'error'>): Events {
  const handlers = new Map<EventName, AnyHandler[]>();

  const events: Events = {
    on(name, handler) {
      const list = handlers.get(name) ?? [];
      list.push(handler as AnyHandler);
      handlers.set(name, list);
      return () => {
        const at = list.indexOf(handler as AnyHandler);
        if (at >= 0) list.splice(at, 1);
      };
    },
    async emit(name, payload) {
      for (const handler of [...(handlers.get(name) ?? [])]) {
        try {
          await handler(payload);
        } catch (err) {
          logger.error({ err, event: name }, 'an event subscriber failed; the change itself stands');
        }
      }
    },
    async transaction(db, work) {
      const queued: Array<[EventName, unknown]> = [];
      const emit: Emit = (name, payload) => {
        queued.push([name, payload]);
      };
      const result = await db.transaction((trx) => work(trx, emit));
      const flush = async () => {
        for (const [name, payload] of queued) await events.emit(name, payload as never);
      };
      // Inside an outer transaction this one was a savepoint: the change is not committed until the
      // outer one is, and is never told of when the outer one rolls back.
      const outer = db as unknown as Partial<Knex.Transaction>;
      if (outer.isTransaction && outer.executionPromise && outer.on) {
        // trx.rollback() without an error resolves executionPromise as a commit does: watch the SQL.
        let rolledBack = false;
        outer.on('query', (q: { sql?: string }) => {
          if (/^rollback;?$/i.test(q.sql?.trim() ?? '')) rolledBack = true;
        });
        outer.executionPromise.then(() => (rolledBack ? undefined : flush()), () => undefined);
      } else {
        await flush();
      }
      return result;
    },
  };
  return events;
}
