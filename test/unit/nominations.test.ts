import { consentBlocks, nextSteps, orderKey, seededOrder, statusAfterConsent } from '../../src/nominations/service';
import { hardErrors, parseNominationForm, submitErrors } from '../../src/nominations/validation';

describe('consent rules (N3)', () => {
  test('when a colleague has not answered, then publication is blocked whatever the policy', () => {
    expect(consentBlocks([{ consent: 'pending' }], 'remove')).toBe(true);
    expect(consentBlocks([{ consent: 'given' }, { consent: 'pending' }], 'keep_unpublished')).toBe(true);
  });

  test('when a colleague declines, then it blocks only if the submitter chose to keep the entry unpublished', () => {
    expect(consentBlocks([{ consent: 'declined' }], 'remove')).toBe(false);
    expect(consentBlocks([{ consent: 'declined' }], 'keep_unpublished')).toBe(true);
    expect(consentBlocks([{ consent: 'withdrawn' }], 'keep_unpublished')).toBe(true);
    expect(consentBlocks([], 'keep_unpublished')).toBe(false);
  });

  test('when consent changes, then waiting entries move on and published ones go back when blocked', () => {
    expect(statusAfterConsent('awaiting_consent', false)).toBe('in_moderation');
    expect(statusAfterConsent('awaiting_consent', true)).toBe('awaiting_consent');
    expect(statusAfterConsent('published', true)).toBe('awaiting_consent');
    expect(statusAfterConsent('published', false)).toBe('published');
    expect(statusAfterConsent('rejected', false)).toBe('rejected');
  });

  test('when judging has started, then nothing can be withdrawn; published entries cannot be edited', () => {
    expect(nextSteps('published', false)).toEqual({ edit: false, withdraw: true });
    expect(nextSteps('in_moderation', true)).toEqual({ edit: true, withdraw: false });
    expect(nextSteps('withdrawn', false).withdraw).toBe(false);
  });
});

describe('gallery order (N6)', () => {
  const ids = Array.from({ length: 40 }, (_, i) => i + 1);

  test('when the same visitor asks again, then the order is the same, and it does not depend on how the list is paged', () => {
    const a = seededOrder(ids, 12345);
    expect(seededOrder([...ids].reverse(), 12345)).toEqual(a);
    // a filtered list keeps the relative order of the full one
    const even = ids.filter((x) => x % 2 === 0);
    expect(seededOrder(even, 12345)).toEqual(a.filter((x) => x % 2 === 0));
  });

  test('when many ids are ordered, up to the largest that packs, then the order is by key, then by id', () => {
    const byRule = (list: number[], seed: number) => [...list].sort((a, b) => orderKey(seed, a) - orderKey(seed, b) || a - b);
    const ids = [0, 1, 2 ** 21 - 1, ...Array.from({ length: 500 }, (_, i) => (i * 7919 + 13) % (2 ** 21))];
    for (const seed of [0, 1, 12345, 2 ** 31 - 1]) expect(seededOrder(ids, seed)).toEqual(byRule(ids, seed));
  });

  test('when ids are too large to pack, then the order is the same rule: by key, then by id', () => {
    const large = [2 ** 21, 2 ** 21 + 5, 3, 7_000_000];
    const packed = seededOrder([3, 11, 40], 99);
    expect(seededOrder(large, 99)).toEqual([...large].sort((a, b) => orderKey(99, a) - orderKey(99, b) || a - b));
    expect(packed).toEqual([3, 11, 40].sort((a, b) => orderKey(99, a) - orderKey(99, b) || a - b));
  });

  test('when two visitors have different seeds, then their orders differ and no entry is always first', () => {
    const firsts = new Set(Array.from({ length: 50 }, (_, seed) => seededOrder(ids, seed * 7919)[0]));
    expect(seededOrder(ids, 1)).not.toEqual(seededOrder(ids, 2));
    expect(firsts.size).toBeGreaterThan(10);
  });
});

describe('the form (N1, N2)', () => {
  test('when the form is parsed, then texts are trimmed, colleagues read from their rows and unknown values fall back safely', () => {
    const input = parseNominationForm({
      title: '  Rubrik ',
      lesson: 'rad 1\r\nrad 2',
      colleague_slots: '3',
      c0_user: '7',
      c1_name: 'Kim',
      c1_email: 'KIM@example.org',
      decline_policy: 'hack',
      show_submitter: 'no',
      remove_attachment: ['3', 'x'],
    });
    expect(input.title).toBe('Rubrik');
    expect(input.lesson).toBe('rad 1\nrad 2');
    expect(input.colleagues).toEqual([{ userId: 7, name: '', email: '' }, { userId: null, name: 'Kim', email: 'kim@example.org' }]);
    expect(input.declinePolicy).toBe('remove');
    expect(input.showSubmitter).toBe(false);
    expect(input.removeAttachmentIds).toEqual([3]);
  });

  test('when a submission misses the essentials, then each missing field is named', () => {
    const errors = submitErrors(parseNominationForm({}), [1]);
    expect(Object.keys(errors).sort()).toEqual(['department_id', 'eligibility', 'includes_self', 'lesson', 'title', 'what_happened']);
  });

  test('when text is too long or a typed colleague is wrong, then even a draft is refused', () => {
    const input = parseNominationForm({ lesson: 'x'.repeat(10_001), c0_name: 'Kim', c0_email: 'inte-en-adress', c1_name: 'Jag', c1_email: 'me@example.org' });
    const errors = hardErrors(input, 'me@example.org');
    expect(errors.lesson.key).toBe('nominations.error.tooLong');
    expect(errors.c0_email.key).toBe('nominations.error.colleagueEmail');
    expect(errors.c1_email.key).toBe('nominations.error.colleagueIsYou');
  });
});
