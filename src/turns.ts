// Turns of the event loop (issue 20, SPEC §6 "Bounded work"). better-sqlite3 answers synchronously
// and EJS renders synchronously, so when requests queue up — 50 jurors opening the ranking at once, a
// burst of votes — each one's work continues in a promise callback of the one before, and the whole
// queue ran in a single turn of the event loop: half a second in which no timer fired, no event stream
// got its heartbeat and no new request was read. The places that start a unit of such work (a query
// taking the connection, a page render, a slice of a live broadcast) ask `turnIsLong()` and, past
// TURN_BUDGET_MS, continue in the next turn, so timers and waiting sockets get theirs in between.
import { monotonicMs } from './clock';

export const TURN_BUDGET_MS = 10;
let budgetMs = TURN_BUDGET_MS;

/** For tests: a budget of 0 gives every unit of work its own turn. Returns a function that restores it. */
export function setTurnBudgetForTests(ms: number): () => void {
  budgetMs = ms;
  return () => {
    budgetMs = TURN_BUDGET_MS;
  };
}

let inTurn = false;
let turnStartedAt = 0;

/**
 * Whether the current turn has run longer than the budget. The first call in a turn starts its clock;
 * a setImmediate (run once the loop moves on) ends it.
 */
export function turnIsLong(): boolean {
  if (!inTurn) {
    inTurn = true;
    turnStartedAt = monotonicMs();
    setImmediate(() => (inTurn = false));
    return false;
  }
  return monotonicMs() - turnStartedAt >= budgetMs;
}

let waiting = 0;

/**
 * Runs `work` later: in the first turn that has budget left when its place comes, after everything
 * deferred before it.
 * setImmediate callbacks queued together all run in one check phase, so a deferred unit asks again
 * there and goes on to the next turn if the ones before it used the budget up.
 */
function defer(work: () => void): void {
  waiting += 1;
  const again = () => {
    if (turnIsLong()) {
      setImmediate(again);
      return;
    }
    waiting -= 1;
    work();
  };
  setImmediate(again);
}

/**
 * Runs `work` now, or in a later turn once this one has used its budget. First come, first served:
 * while earlier work waits, new work queues behind it. (Work that arrived with a fresh turn used to go
 * first, and a request whose query had been put off could wait for over a second while newer ones
 * passed it: the gallery's p99 at 50 connections.)
 */
export function inTurnWithBudget(work: () => void): void {
  if (waiting === 0 && !turnIsLong()) work();
  else defer(work);
}

/** The same for async code: resolves at once (undefined) within the budget, else in a later turn. */
export function turnWithBudget(): Promise<void> | undefined {
  if (waiting === 0 && !turnIsLong()) return undefined;
  return new Promise((resolve) => defer(resolve));
}
