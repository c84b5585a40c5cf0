// An edition's timeline for the pure phase and voting rules, in Stockholm local time: nomination
// 1 Sep–25 Oct (the night the clocks go back), voting 15 Oct–1 Nov (overlapping nomination), judging
// 2–30 Nov, the ceremony 10 Dec 2026.
import type { EditionTimeline } from '../../src/editions/phases';
import { fromStockholmLocal } from '../../src/time';

export const at = (local: string): Date => {
  const d = fromStockholmLocal(local);
  if (!d) throw new Error(`bad time ${local}`);
  return d;
};

export function timeline(overrides: Partial<EditionTimeline> = {}): EditionTimeline {
  return {
    nominationOpensAt: at('2026-09-01T08:00'),
    nominationClosesAt: at('2026-10-25T23:59'),
    votingOpensAt: at('2026-10-15T08:00'),
    votingClosesAt: at('2026-11-01T12:00'),
    judgingOpensAt: at('2026-11-02T08:00'),
    judgingClosesAt: at('2026-11-30T17:00'),
    ceremonyAt: at('2026-12-10T18:00'),
    nominationOverride: null,
    votingOverride: null,
    judgingOverride: null,
    revealedAt: null,
    archivedAt: null,
    ...overrides,
  };
}
