// Live feeds write to thousands of screens in slices within the event loop's turn budget
// (src/live/stream.ts, src/turns.ts; issue 20): every screen gets every message once and in order, and
// a broadcast no longer holds the loop for all of them. Turns are counted, not timed.
import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { createLiveFeeds } from '../../src/live/stream';
import type { LiveFollow } from '../../src/live/bus';
import { setTurnBudgetForTests } from '../../src/turns';

let turn = 0;

class FakeScreen extends EventEmitter {
  readonly received: string[] = [];
  /** The event-loop turn of each write. */
  readonly turns: number[] = [];
  write(chunk: string | Buffer): boolean {
    this.received.push(String(chunk));
    this.turns.push(turn);
    return true;
  }
  end(): void {
    this.emit('close');
  }
}

function busForTests(): LiveFollow & { change(): void } {
  const events = new EventEmitter();
  return {
    subscribe(_editionId, onChange) {
      events.on('change', onChange);
      return () => events.off('change', onChange);
    },
    change: () => events.emit('change'),
  };
}

const waitFor = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
};

describe('live feed broadcast in slices', () => {
  test('when the counts change twice with 200 screens watching, then each screen gets each message once, in order, over several turns', async () => {
    // Arrange
    const restore = setTurnBudgetForTests(0);
    const bus = busForTests();
    let version = 1;
    const feeds = createLiveFeeds(bus, async () => ({ version }));
    const screens = Array.from({ length: 200 }, () => new FakeScreen());
    try {
      for (const s of screens) feeds.join(s as unknown as Response, 1);
      await waitFor(() => screens.every((s) => s.received.length === 1));
      let counting = true;
      const tick = () => {
        turn += 1;
        if (counting) setImmediate(tick);
      };
      setImmediate(tick);

      // Act
      version = 2;
      bus.change();
      await waitFor(() => screens.every((s) => s.received.length === 2));
      version = 3;
      bus.change();
      await waitFor(() => screens.every((s) => s.received.length === 3));
      counting = false;

      // Assert
      for (const s of screens) expect(s.received.map((m) => JSON.parse(/^data: (.*)$/m.exec(m)![1]).version)).toEqual([1, 2, 3]);
      // With no budget left, each write waits for a turn of its own: the broadcast spans many turns.
      expect(new Set(screens.map((s) => s.turns[2])).size).toBeGreaterThan(100);
    } finally {
      restore();
      for (const s of screens) s.end();
    }
  });
});
