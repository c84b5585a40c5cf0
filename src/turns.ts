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

/**
 * Runs `work` now, or in a later turn once this one has used its budget. setImmediate callbacks queued
 * together all run in one check phase, so a deferred unit asks again there and goes on to the next
 * turn if the ones before it used the budget up.
 */
export function inTurnWithBudget(work: () => void): void {
  const again = () => (turnIsLong() ? setImmediate(again) : work());
  again();
}

/** The same for async code: resolves at once (undefined) within the budget, else in a later turn. */
export function turnWithBudget(): Promise<void> | undefined {
  return turnIsLong() ? new Promise((resolve) => setImmediate(() => inTurnWithBudget(resolve))) : undefined;
}
