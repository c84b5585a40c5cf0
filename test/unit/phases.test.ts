import { phaseAt, timelineProblems } from '../../src/editions/phases';
import { fromStockholmLocal, toStockholmLocal, stockholmOffsetMinutes } from '../../src/time';
import { at, timeline } from '../helpers/timeline';

const MINUTE = 60_000;
const before = (d: Date) => new Date(d.getTime() - MINUTE);
const after = (d: Date) => new Date(d.getTime() + MINUTE);

describe('Stockholm time', () => {
  test('when a winter time is entered, then it is an hour ahead of UTC', () => {
    expect(at('2026-01-15T10:00').toISOString()).toBe('2026-01-15T09:00:00.000Z');
    expect(stockholmOffsetMinutes(at('2026-01-15T10:00'))).toBe(60);
  });

  test('when a summer time is entered, then it is two hours ahead of UTC', () => {
    expect(at('2026-07-15T10:00').toISOString()).toBe('2026-07-15T08:00:00.000Z');
  });

  test('when the clocks go forward (29 March 2026 02:00 → 03:00), then the times around it are exact', () => {
    expect(at('2026-03-29T01:59').toISOString()).toBe('2026-03-29T00:59:00.000Z');
    expect(at('2026-03-29T03:00').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 does not exist that night; it is read as 03:30 summer time
    expect(toStockholmLocal(at('2026-03-29T02:30'))).toBe('2026-03-29T03:30');
  });

  test('when the clocks go back (25 October 2026 03:00 → 02:00), then the repeated hour means the first one', () => {
    expect(at('2026-10-25T02:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(at('2026-10-25T03:30').toISOString()).toBe('2026-10-25T02:30:00.000Z');
  });

  test('when a time is formatted back, then it round-trips', () => {
    for (const local of ['2026-01-01T00:00', '2026-03-29T03:00', '2026-10-25T01:59', '2026-12-31T23:59']) {
      expect(toStockholmLocal(at(local))).toBe(local);
    }
  });

  test('when the text is not a time, then it is refused', () => {
    expect(fromStockholmLocal('2026-02-30T10:00')).toBeNull();
    expect(fromStockholmLocal('igår')).toBeNull();
    expect(fromStockholmLocal('2026-13-01T10:00')).toBeNull();
  });
});

describe('phase engine', () => {
  const e = timeline();

  test('before nominations open, then it is setup and nothing is open', () => {
    const p = phaseAt(e, before(e.nominationOpensAt!));
    expect(p).toMatchObject({ stage: 'setup', nominationOpen: false, votingOpen: false, judgingOpen: false });
  });

  test('at the minute nominations open, then nominating is open', () => {
    expect(phaseAt(e, e.nominationOpensAt!).nominationOpen).toBe(true);
    expect(phaseAt(e, after(e.nominationOpensAt!))).toMatchObject({ stage: 'nomination', nominationOpen: true, votingOpen: false });
  });

  test('when voting opens while nominations are still open, then both are open', () => {
    expect(phaseAt(e, before(e.votingOpensAt!))).toMatchObject({ nominationOpen: true, votingOpen: false });
    expect(phaseAt(e, after(e.votingOpensAt!))).toMatchObject({ stage: 'voting', nominationOpen: true, votingOpen: true });
  });

  test('when nominations close on the night the clocks go back, then they close at 23:59 local time', () => {
    expect(phaseAt(e, before(e.nominationClosesAt!)).nominationOpen).toBe(true);
    expect(phaseAt(e, e.nominationClosesAt!).nominationOpen).toBe(false);
    expect(e.nominationClosesAt!.toISOString()).toBe('2026-10-25T22:59:00.000Z');
  });

  test('when voting closes, then voting is closed and counted as over', () => {
    expect(phaseAt(e, before(e.votingClosesAt!))).toMatchObject({ votingOpen: true, votingClosed: false });
    expect(phaseAt(e, after(e.votingClosesAt!))).toMatchObject({ votingOpen: false, votingClosed: true, stage: 'voting', judgingStarted: false });
  });

  test('when judging opens, then judging is open and has started', () => {
    expect(phaseAt(e, before(e.judgingOpensAt!))).toMatchObject({ judgingOpen: false, judgingStarted: false });
    expect(phaseAt(e, after(e.judgingOpensAt!))).toMatchObject({ stage: 'judging', judgingOpen: true, judgingStarted: true });
  });

  test('when judging closes, then it is no longer open but has started', () => {
    expect(phaseAt(e, before(e.judgingClosesAt!)).judgingOpen).toBe(true);
    expect(phaseAt(e, after(e.judgingClosesAt!))).toMatchObject({ judgingOpen: false, judgingStarted: true, stage: 'judging' });
  });

  test('when the ceremony time comes, then the stage is ceremony', () => {
    expect(phaseAt(e, before(e.ceremonyAt!)).ceremonyDue).toBe(false);
    expect(phaseAt(e, after(e.ceremonyAt!))).toMatchObject({ stage: 'ceremony', ceremonyDue: true, revealed: false });
  });

  test('when the result has been revealed, then judging is closed even inside its dates', () => {
    const revealed = timeline({ revealedAt: at('2026-11-10T12:00') });
    expect(phaseAt(revealed, at('2026-11-10T12:01'))).toMatchObject({ revealed: true, judgingOpen: false, stage: 'ceremony' });
  });

  test('when the edition is archived, then nothing is open whatever the overrides', () => {
    const archived = timeline({ archivedAt: at('2026-12-20T00:00'), votingOverride: 'open', nominationOverride: 'open' });
    expect(phaseAt(archived, at('2026-12-21T00:00'))).toMatchObject({ stage: 'archived', nominationOpen: false, votingOpen: false, archived: true, votingClosed: true });
  });

  test('when an admin closes voting early, then voting is closed and counted as over', () => {
    const closed = timeline({ votingOverride: 'closed' });
    expect(phaseAt(closed, at('2026-10-20T12:00'))).toMatchObject({ votingOpen: false, votingClosed: true, nominationOpen: true });
  });

  test('when an admin opens nominations early, then they are open before the date', () => {
    const early = timeline({ nominationOverride: 'open' });
    expect(phaseAt(early, at('2026-08-01T12:00'))).toMatchObject({ nominationOpen: true, stage: 'nomination' });
  });

  test('when an admin opens judging early, then judging is open and has started', () => {
    const early = timeline({ judgingOverride: 'open' });
    expect(phaseAt(early, at('2026-10-20T12:00'))).toMatchObject({ judgingOpen: true, judgingStarted: true });
  });

  test('when no dates are set, then it is setup', () => {
    const empty = timeline({ nominationOpensAt: null, nominationClosesAt: null, votingOpensAt: null, votingClosesAt: null, judgingOpensAt: null, judgingClosesAt: null, ceremonyAt: null });
    expect(phaseAt(empty, at('2026-10-20T12:00'))).toMatchObject({ stage: 'setup', nominationOpen: false, votingClosed: false });
  });
});

describe('timeline validation', () => {
  test('when dates are in order, then there are no problems', () => {
    expect(timelineProblems(timeline())).toEqual([]);
  });

  test('when voting closes before it opens, then the closing date is named', () => {
    const e = timeline({ votingClosesAt: at('2026-10-01T00:00') });
    expect(timelineProblems(e)).toContain('votingClosesAt');
  });

  test('when judging opens before voting closes, then the judging date is named', () => {
    const e = timeline({ judgingOpensAt: at('2026-10-20T00:00') });
    expect(timelineProblems(e)).toContain('judgingOpensAt');
  });
});
