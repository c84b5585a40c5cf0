// Parsing and checking the nomination form (N1, N2). Pure: no database, no request.
import type { FieldErrors } from '../errors';
import type { DeclinePolicy } from './queries';

export const LIMITS = { title: 200, text: 10_000, teamName: 200, name: 200, email: 320, message: 2_000 } as const;
export const MAX_COLLEAGUES = 10;
export const MIN_COLLEAGUE_SLOTS = 3;

export type ColleagueInput = { userId: number | null; name: string; email: string };

export type NominationInput = {
  title: string;
  whatHappened: string;
  lesson: string;
  changes: string;
  departmentId: number | null;
  teamName: string;
  includesSelf: boolean;
  showSubmitter: boolean;
  declinePolicy: DeclinePolicy;
  eligibilityConfirmed: boolean;
  colleagues: ColleagueInput[];
  removeAttachmentIds: number[];
};

type Body = Record<string, unknown>;

const str = (v: unknown): string => (Array.isArray(v) ? str(v[0]) : typeof v === 'string' ? v : '');
/** Line endings as the browser sends them count once, so the length shown and checked agree. */
const text = (v: unknown): string => str(v).replace(/\r\n/g, '\n').trim();
const int = (v: unknown): number | null => {
  const s = str(v).trim();
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
};
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : v === undefined ? [] : [str(v)]);

export function parseNominationForm(body: Body): NominationInput {
  const slots = Math.min(int(body.colleague_slots) ?? MIN_COLLEAGUE_SLOTS, MAX_COLLEAGUES + 1);
  const colleagues: ColleagueInput[] = [];
  for (let i = 0; i < slots; i++) {
    const userId = int(body[`c${i}_user`]);
    const name = text(body[`c${i}_name`]);
    const email = text(body[`c${i}_email`]).toLowerCase();
    if (userId || name || email) colleagues.push({ userId, name, email });
  }
  return {
    title: text(body.title),
    whatHappened: text(body.what_happened),
    lesson: text(body.lesson),
    changes: text(body.changes),
    departmentId: int(body.department_id),
    teamName: text(body.team_name),
    includesSelf: str(body.includes_self) === 'yes',
    showSubmitter: str(body.show_submitter) !== 'no',
    declinePolicy: str(body.decline_policy) === 'keep_unpublished' ? 'keep_unpublished' : 'remove',
    eligibilityConfirmed: str(body.eligibility) === 'yes',
    colleagues,
    removeAttachmentIds: list(body.remove_attachment).map((s) => int(s)).filter((n): n is number => n !== null),
  };
}

// Linear by construction (SPEC §6 "Bounded work"): the domain's labels cannot contain the dot that
// separates them, so there is only one way to match and nothing to backtrack into. The earlier
// `[^@]+\.[^@]+$` tried every dot as the last one: `a@a.a.a.…@` took seconds at 40 KB. The length
// is checked first all the same.
const EMAIL = /^[^\s@<>()"',;]+@[^\s@<>()"',;.]+(?:\.[^\s@<>()"',;.]+)+$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= LIMITS.email && EMAIL.test(value);
}

/** Problems that stop even a draft from being saved: too long, or a colleague we cannot reach. */
export function hardErrors(input: NominationInput, submitterEmail: string): FieldErrors {
  const errors: FieldErrors = {};
  const tooLong = (field: string, value: string, max: number) => {
    if (value.length > max) errors[field] = { key: 'nominations.error.tooLong', params: { max, length: value.length } };
  };
  tooLong('title', input.title, LIMITS.title);
  tooLong('lesson', input.lesson, LIMITS.text);
  tooLong('what_happened', input.whatHappened, LIMITS.text);
  tooLong('changes', input.changes, LIMITS.text);
  tooLong('team_name', input.teamName, LIMITS.teamName);
  if (input.colleagues.length > MAX_COLLEAGUES) errors.c0_name = { key: 'nominations.error.tooManyColleagues', params: { max: MAX_COLLEAGUES } };
  const seen = new Set<string>();
  input.colleagues.forEach((c, i) => {
    if (c.userId) return;
    if (c.name.length > LIMITS.name) errors[`c${i}_name`] = { key: 'nominations.error.tooLong', params: { max: LIMITS.name, length: c.name.length } };
    if (!isEmailAddress(c.email)) errors[`c${i}_email`] = { key: 'nominations.error.colleagueEmail' };
    else if (c.email === submitterEmail.toLowerCase()) errors[`c${i}_email`] = { key: 'nominations.error.colleagueIsYou' };
    else if (seen.has(c.email)) errors[`c${i}_email`] = { key: 'nominations.error.colleagueTwice' };
    seen.add(c.email);
  });
  return errors;
}

/** What a nomination needs before it can be sent (N1). */
export function submitErrors(input: NominationInput, validDepartmentIds: number[]): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.title) errors.title = { key: 'nominations.error.titleRequired' };
  if (!input.lesson) errors.lesson = { key: 'nominations.error.lessonRequired' };
  if (!input.whatHappened) errors.what_happened = { key: 'nominations.error.whatHappenedRequired' };
  if (!input.departmentId || !validDepartmentIds.includes(input.departmentId)) errors.department_id = { key: 'nominations.error.departmentRequired' };
  if (!input.includesSelf && input.colleagues.length === 0 && !input.teamName) errors.includes_self = { key: 'nominations.error.whoRequired' };
  if (!input.eligibilityConfirmed) errors.eligibility = { key: 'nominations.error.eligibilityRequired' };
  return errors;
}

export function messageError(message: string, required: boolean, field = 'message'): FieldErrors {
  if (required && !message) return { [field]: { key: 'nominations.error.messageRequired' } };
  if (message.length > LIMITS.message) return { [field]: { key: 'nominations.error.tooLong', params: { max: LIMITS.message, length: message.length } } };
  return {};
}

export const formText = text;
