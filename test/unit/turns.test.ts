// Queued SQLite work gives the event loop a turn between slices (src/turns.ts, issue 20): without it,
// twenty queued queries ran in one turn and a timer or a waiting socket had to wait for all of them.
// Turns are counted, not timed: a budget of 0 gives every query its own turn.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db';
import { setTurnBudgetForTests } from '../../src/turns';

describe('turns of the event loop on SQLite', () => {
  let db: Db;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-turns-'));
    db = openDatabase({ dataDir: dir });
    await db.schema.createTable('t', (t) => t.integer('n'));
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Queues twenty reads at once; for each, the number of event-loop turns that had passed when it was done. */
  async function turnsAtEachAnswer(): Promise<number[]> {
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns += 1;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const at: number[] = [];
    await Promise.all(Array.from({ length: 20 }, () => db('t').select('n').then(() => at.push(turns))));
    counting = false;
    return at;
  }

  test('when twenty queries queue with no budget left, then each runs in a turn of its own', async () => {
    // Arrange
    const restore = setTurnBudgetForTests(0);
    try {
      // Act
      const at = await turnsAtEachAnswer();
      // Assert
      expect(new Set(at).size).toBe(20);
    } finally {
      restore();
    }
  });

  test('when a few quick queries queue within the budget, then they share turns instead of waiting for one each', async () => {
    // Act
    const at = await turnsAtEachAnswer();
    // Assert
    expect(new Set(at).size).toBeLessThan(20);
  });

  test('when a transaction runs, then its own queries are not paused and it commits', async () => {
    // Arrange
    const restore = setTurnBudgetForTests(0);
    try {
      // Act
      await db.transaction(async (trx) => {
        for (let i = 0; i < 5; i++) await trx('t').insert({ n: i });
      });
      // Assert
      expect(Number((await db('t').count({ c: '*' }))[0].c)).toBe(5);
    } finally {
      restore();
    }
  });
});

describe('first come, first served', () => {
  test('when new work starts a turn every time while earlier work waits, then the earlier work runs first instead of being passed', async () => {
    // Arrange: no budget, so a unit that finds a turn under way waits. As under load, the waiting unit
    // is queued before the turn's end is, and new work arrives in the timers phase of every turn.
    const { inTurnWithBudget } = await import('../../src/turns');
    const restore = setTurnBudgetForTests(0);
    const order: string[] = [];
    try {
      await new Promise((resolve) => setImmediate(resolve));
      // Act
      await new Promise<void>((done) => {
        let fed = 0;
        // Each new unit takes 2 ms, so the next one's timer is due when the loop comes round again.
        const feed = () => {
          fed += 1;
          if (fed < 5) setTimeout(feed, 1);
          else setTimeout(done, 20);
          const name = `new ${fed}`;
          inTurnWithBudget(() => {
            const until = performance.now() + 2;
            while (performance.now() < until);
            order.push(name);
          });
        };
        setTimeout(() => {
          setImmediate(() => inTurnWithBudget(() => order.push('waiting')));
          feed();
        }, 1);
      });
      // Assert: it came after the first new unit only; before, every later one passed it.
      expect(order.indexOf('waiting')).toBe(1);
      expect(order.filter((o) => o.startsWith('new'))).toEqual(['new 1', 'new 2', 'new 3', 'new 4', 'new 5']);
    } finally {
      restore();
    }
  });

  test('when waiting work is passed a follow-on of other work (a pooled connection handed on in a promise), then the follow-on still queues behind it', async () => {
    // Arrange: "a" and "waiting" are put off; when "a" runs, it hands on work in a promise callback, as
    // the database pool gives its connection to the next query. The budget is then ample, so only the
    // order decides. (Such follow-ons used to go first, and a gallery render waited for seconds.)
    const { inTurnWithBudget } = await import('../../src/turns');
    let restore = setTurnBudgetForTests(0);
    const order: string[] = [];
    try {
      await new Promise((resolve) => setImmediate(resolve));
      // Act
      await new Promise<void>((done) => {
        inTurnWithBudget(() => order.push('first'));
        inTurnWithBudget(() => {
          order.push('a');
          restore();
          restore = setTurnBudgetForTests(60_000);
          void Promise.resolve().then(() => inTurnWithBudget(() => order.push('handed on')));
        });
        inTurnWithBudget(() => order.push('waiting'));
        setTimeout(done, 20);
      });
      // Assert
      expect(order).toEqual(['first', 'a', 'waiting', 'handed on']);
    } finally {
      restore();
    }
  });
});
