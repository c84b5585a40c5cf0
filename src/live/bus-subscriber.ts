// Tells the live bus (and through it every app instance's screens) when the ceremony's live vote changed.
import type { Events } from '../events';
import type { LiveBus } from './bus';

export function liveBusSubscriber(events: Events, bus: LiveBus): void {
  for (const name of ['live.opened', 'live.closed', 'live.voted'] as const) events.on(name, (e) => bus.publish(e.editionId));
}
