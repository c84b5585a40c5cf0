// The jury's pure rules: reading the scoring and decision forms, automatic jäv, and what blocks the lock.
import { automaticConflict, lockProblems, readDecisionForm, readReviewForm } from '../../src/jury/service';
import type { Criterion } from '../../src/editions/service';
import type { JuryEntry } from '../../src/jury/service';

const criterion = (id: number, nameSv: string): Criterion => ({
  id,
  editionId: 1,
  key: nameSv.toLowerCase(),
  nameSv,
  nameEn: nameSv,
  descriptionSv: '',
  descriptionEn: '',
  levels: [],
  weight: 1,
  sortOrder: id,
});
const criteria = [criterion(1, 'Mod'), criterion(2, 'Lärdom')];

describe('readReviewForm', () => {
  test('when saving, then only the scored criteria are read and missing ones are fine', () => {
    const { input, errors } = readReviewForm(criteria, { c1: '4', note: 'Rad ett\r\nRad två' }, false);
    expect(errors).toEqual({});
    expect(input).toEqual({ scores: { 1: 4 }, note: 'Rad ett\nRad två', submit: false });
  });

  test('when submitting with a criterion missing, then that criterion gets an error naming it', () => {
    const { errors } = readReviewForm(criteria, { c1: '4' }, true);
    expect(errors).toEqual({ c2: { key: 'jury.score.required', params: { criterion: 'Lärdom' } } });
  });

  test('when a value is outside 1–5, not a whole number or not text, then it is an error, never dropped', () => {
    for (const bad of ['0', '6', '2.5', 'fem', ['3', '4']]) {
      expect(readReviewForm(criteria, { c1: bad }, false).errors.c1).toEqual({ key: 'jury.score.invalid' });
    }
  });

  test('when the form holds a criterion that does not exist, then the whole form is refused', () => {
    expect(readReviewForm(criteria, { c1: '3', c99: '3' }, false).errors.form).toEqual({ key: 'jury.score.unknownCriterion' });
  });

  test('when the note is too long, then it is an error', () => {
    expect(readReviewForm(criteria, { note: 'x'.repeat(5001) }, false).errors.note?.key).toBe('jury.note.tooLong');
  });
});

describe('readDecisionForm', () => {
  test('when one finalist is sent as a plain field, then it is read as a list', () => {
    const { input, errors } = readDecisionForm({ finalist: '7', winner: '7', motivation: '  Bra!  ' }, 3);
    expect(errors).toEqual({});
    expect(input).toEqual({ finalistIds: [7], winnerId: 7, motivation: 'Bra!' });
  });

  test('when there are too many finalists or the winner is not one of them, then each gets its error', () => {
    const { errors } = readDecisionForm({ finalist: ['1', '2', '3', '4'], winner: '9' }, 3);
    expect(errors.finalists).toEqual({ key: 'jury.decision.tooManyFinalists', params: { count: 3 } });
    expect(errors.winner).toEqual({ key: 'jury.decision.winnerNotFinalist' });
  });

  test('when a finalist id is not a number, then the finalists are refused', () => {
    expect(readDecisionForm({ finalist: ['1', 'x'] }, 3).errors.finalists).toEqual({ key: 'jury.decision.badFinalist' });
  });
});

describe('lockProblems', () => {
  test('when everything is in place, then nothing blocks the lock', () => {
    expect(lockProblems({ finalistIds: [1, 2, 3], winnerId: 2, motivation: 'Motivering' }, 3, 12)).toEqual({});
  });

  test('when finalists, winner or motivation are missing, then each is named', () => {
    expect(lockProblems({ finalistIds: [1], winnerId: null, motivation: ' ' }, 3, 12)).toEqual({
      finalists: { key: 'jury.decision.needFinalists', params: { count: 3 } },
      winner: { key: 'jury.decision.needWinner' },
      motivation: { key: 'jury.decision.needMotivation' },
    });
  });

  test('when there are fewer entries than finalists, then all entries are enough', () => {
    expect(lockProblems({ finalistIds: [1, 2], winnerId: 1, motivation: 'M' }, 3, 2)).toEqual({});
  });
});

describe('automaticConflict', () => {
  const entry = (over: Partial<JuryEntry>): JuryEntry => ({
    id: 1,
    title: 'T',
    whatHappened: '',
    lesson: '',
    changes: '',
    department: null,
    teamName: null,
    includesSelf: false,
    showSubmitter: true,
    submitterId: 10,
    submitterName: 'S',
    publishedAt: null,
    attachmentCount: 0,
    nominees: [],
    ...over,
  });

  test('when the juror submitted the entry, then it is jäv', () => {
    expect(automaticConflict(entry({ submitterId: 5 }), { id: 5, email: 'a@example.org' })).toBe('submitted');
  });

  test('when the juror is named by user or by e-mail in any letter case, then it is jäv', () => {
    expect(automaticConflict(entry({ nominees: [{ userId: 5, name: 'A', email: 'x@example.org', consent: 'given' }] }), { id: 5, email: 'a@example.org' })).toBe('named');
    expect(automaticConflict(entry({ nominees: [{ userId: null, name: 'A', email: ' A@Example.org ', consent: 'pending' }] }), { id: 5, email: 'a@example.org' })).toBe('named');
  });

  test('when the juror has nothing to do with the entry, then there is no automatic jäv', () => {
    // A colleague who declined (or withdrew consent) is not named: no jäv, so no way to knock out a juror.
    expect(automaticConflict(entry({ nominees: [{ userId: 5, name: 'A', email: 'a@example.org', consent: 'declined' }] }), { id: 5, email: 'a@example.org' })).toBeNull();
    expect(automaticConflict(entry({ nominees: [{ userId: null, name: 'A', email: 'a@example.org', consent: 'withdrawn' }] }), { id: 5, email: 'a@example.org' })).toBeNull();
    expect(automaticConflict(entry({ nominees: [{ userId: 6, name: 'B', email: 'b@example.org', consent: 'given' }] }), { id: 5, email: 'a@example.org' })).toBeNull();
  });
});
