// Tells the live bus (and through it every app instance's screens) when what the ceremony's screens
// show changed: the live vote (opened, closed, a vote), the running show (a slide moved, a rehearsal)
// and the reveal. The only place that publishes to the bus.
import type { Events } from '../events';
import type { LiveBus } from './bus';

export function liveBusSubscriber(events: Events, bus: Pick<LiveBus, 'publish'>): void {
  for (const name of ['live.opened', 'live.closed', 'live.voted', 'show.changed', 'winner.revealed'] as const) {
    events.on(name, (e) => bus.publish(e.editionId));
  }
}
