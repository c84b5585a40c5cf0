// The phase engine (SPEC §3). Nomination and voting may overlap, so it answers "is X open now?" for
// each activity; `stage` names the latest stage that has begun, for headings. Pure: `now` is an input.

export type Override = 'open' | 'closed' | null;

export type EditionTimeline = {
  nominationOpensAt: Date | null;
  nominationClosesAt: Date | null;
  votingOpensAt: Date | null;
  votingClosesAt: Date | null;
  judgingOpensAt: Date | null;
  judgingClosesAt: Date | null;
  ceremonyAt: Date | null;
  nominationOverride: Override;
  votingOverride: Override;
  judgingOverride: Override;
  revealedAt: Date | null;
  archivedAt: Date | null;
};

export type Stage = 'setup' | 'nomination' | 'voting' | 'judging' | 'ceremony' | 'archived';

export type PhaseState = {
  stage: Stage;
  nominationOpen: boolean;
  votingOpen: boolean;
  /** Voting has been open and is now over (counts may be shown to jury and admins, V3). */
  votingClosed: boolean;
  judgingOpen: boolean;
  /** Judging has started: consent can no longer be withdrawn, entries can no longer be withdrawn. */
  judgingStarted: boolean;
  /** The ceremony date has come (the reveal may be run). */
  ceremonyDue: boolean;
  revealed: boolean;
  archived: boolean;
};

/** A window is open from `opens` (inclusive) to `closes` (exclusive); an override wins. */
function isOpen(opens: Date | null, closes: Date | null, override: Override, now: Date): boolean {
  if (override === 'open') return true;
  if (override === 'closed') return false;
  if (!opens || now < opens) return false;
  return !closes || now < closes;
}

function hasEnded(opens: Date | null, closes: Date | null, override: Override, now: Date): boolean {
  if (override === 'open') return false;
  if (override === 'closed') return opens !== null && now >= opens ? true : closes !== null && now >= closes;
  return closes !== null && now >= closes;
}

export function phaseAt(e: EditionTimeline, now: Date): PhaseState {
  const archived = e.archivedAt !== null && now >= e.archivedAt;
  const revealed = e.revealedAt !== null && now >= e.revealedAt;
  const nominationOpen = !archived && isOpen(e.nominationOpensAt, e.nominationClosesAt, e.nominationOverride, now);
  const votingOpen = !archived && isOpen(e.votingOpensAt, e.votingClosesAt, e.votingOverride, now);
  const judgingOpen = !archived && !revealed && isOpen(e.judgingOpensAt, e.judgingClosesAt, e.judgingOverride, now);
  const votingClosed = !votingOpen && (archived || revealed || hasEnded(e.votingOpensAt, e.votingClosesAt, e.votingOverride, now));
  const judgingStarted =
    archived ||
    revealed ||
    judgingOpen ||
    (e.judgingOverride !== 'open' && e.judgingOpensAt !== null && now >= e.judgingOpensAt);
  const ceremonyDue = e.ceremonyAt !== null && now >= e.ceremonyAt;

  let stage: Stage = 'setup';
  if (archived) stage = 'archived';
  else if (revealed || ceremonyDue) stage = 'ceremony';
  else if (judgingStarted) stage = 'judging';
  else if (votingOpen || votingClosed) stage = 'voting';
  else if (nominationOpen || hasEnded(e.nominationOpensAt, e.nominationClosesAt, e.nominationOverride, now)) stage = 'nomination';

  return { stage, nominationOpen, votingOpen, votingClosed, judgingOpen, judgingStarted, ceremonyDue, revealed, archived };
}

/** Dates must come in the order of the cycle; returns the field names that break it. */
export function timelineProblems(e: Pick<EditionTimeline, 'nominationOpensAt' | 'nominationClosesAt' | 'votingOpensAt' | 'votingClosesAt' | 'judgingOpensAt' | 'judgingClosesAt' | 'ceremonyAt'>): string[] {
  const problems: string[] = [];
  const pairs: Array<[keyof typeof e, keyof typeof e]> = [
    ['nominationOpensAt', 'nominationClosesAt'],
    ['votingOpensAt', 'votingClosesAt'],
    ['judgingOpensAt', 'judgingClosesAt'],
    ['nominationOpensAt', 'votingOpensAt'],
    ['votingClosesAt', 'judgingOpensAt'],
    ['judgingClosesAt', 'ceremonyAt'],
  ];
  for (const [a, b] of pairs) {
    const x = e[a];
    const y = e[b];
    if (x && y && x > y) problems.push(b);
  }
  return [...new Set(problems)];
}
