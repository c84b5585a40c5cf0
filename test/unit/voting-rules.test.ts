// Pure voting rules (SPEC V3) and the edition-setup form rules (R1).
import { canSeeChoice, canSeeCounts } from '../../src/voting/service';
import { phaseAt } from '../../src/editions/phases';
import { formFromBody, nextTitle, parseSettings, shiftOneYear } from '../../src/editions/validation';
import { toStockholmLocal } from '../../src/time';
import { at, timeline } from '../helpers/timeline';


const employee = { admin: false, jury: false };
const juror = { admin: false, jury: true };
const admin = { admin: true, jury: false };

describe('who sees vote counts (V3)', () => {
  test('when voting is open, then nobody sees counts, admins included', () => {
    const phase = phaseAt(timeline(), at('2026-10-20T12:00'));
    expect(phase.votingOpen).toBe(true);
    for (const roles of [employee, juror, admin]) expect(canSeeCounts(roles, phase)).toBe(false);
  });

  test('when voting has not opened yet, then nobody sees counts', () => {
    const phase = phaseAt(timeline(), at('2026-09-10T12:00'));
    for (const roles of [employee, juror, admin]) expect(canSeeCounts(roles, phase)).toBe(false);
  });

  test('when voting has closed, then jury and admins see counts and employees do not', () => {
    const phase = phaseAt(timeline(), at('2026-11-01T12:00'));
    expect(canSeeCounts(juror, phase)).toBe(true);
    expect(canSeeCounts(admin, phase)).toBe(true);
    expect(canSeeCounts(employee, phase)).toBe(false);
  });

  test('when an admin closed voting early, then jury and admins see counts at once', () => {
    const phase = phaseAt(timeline({ votingOverride: 'closed' }), at('2026-10-20T12:00'));
    expect(canSeeCounts(admin, phase)).toBe(true);
    expect(canSeeCounts(employee, phase)).toBe(false);
  });

  test('when an admin reopened voting after its date, then counts are hidden again', () => {
    const phase = phaseAt(timeline({ votingOverride: 'open' }), at('2026-11-05T12:00'));
    expect(canSeeCounts(admin, phase)).toBe(false);
  });

  test("when the results are revealed, then everyone sees the colleagues' choice but the counts stay with the jury and admins", () => {
    const phase = phaseAt(timeline({ revealedAt: at('2026-12-10T19:00') }), at('2026-12-10T19:30'));
    expect(canSeeCounts(employee, phase)).toBe(false);
    expect(canSeeChoice(employee, phase)).toBe(true);
    expect(canSeeCounts(juror, phase)).toBe(true);
    expect(canSeeCounts(admin, phase)).toBe(true);
  });
});

const validBody = {
  title: 'Årets misstag 2026',
  introSv: 'Hej',
  introEn: 'Hello',
  nominationOpensAt: '2026-09-01T08:00',
  nominationClosesAt: '2026-10-25T23:59',
  votingOpensAt: '2026-10-15T08:00',
  votingClosesAt: '2026-11-01T12:00',
  judgingOpensAt: '2026-11-02T08:00',
  judgingClosesAt: '2026-11-30T17:00',
  ceremonyAt: '2026-12-10T18:00',
  voteBudget: '3',
  finalistCount: '3',
  departments: 'Socialförvaltningen\r\n\r\n  Kulturförvaltningen \nsocialförvaltningen',
  criterionId: ['1', '2', ''],
  criterionNameSv: ['Mod', 'Lärdom', ''],
  criterionNameEn: ['Courage', 'Lesson', ''],
  criterionWeight: ['1', '1,5', ''],
};

describe('the edition setup form (R1)', () => {
  test('when the form is filled in correctly, then dates are read as Stockholm time and lists are cleaned', () => {
    const result = parseSettings(formFromBody(validBody));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(toStockholmLocal(result.value.settings.votingClosesAt!)).toBe('2026-11-01T12:00');
    expect(result.value.settings.votingClosesAt!.toISOString()).toBe('2026-11-01T11:00:00.000Z'); // winter time
    expect(result.value.settings.votingOpensAt!.toISOString()).toBe('2026-10-15T06:00:00.000Z'); // summer time
    expect(result.value.departments).toEqual(['Socialförvaltningen', 'Kulturförvaltningen']);
    expect(result.value.criteria.map((c) => [c.id, c.weight])).toEqual([[1, 1], [2, 1.5]]);
  });

  test('when dates are out of order, then the later field is named', () => {
    const result = parseSettings(formFromBody({ ...validBody, judgingOpensAt: '2026-10-30T08:00' }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors)).toEqual(['judgingOpensAt']);
  });

  test('when the budget is 0, a word or a fraction, then it is refused', () => {
    for (const voteBudget of ['0', 'tre', '1.5', '', '-1']) {
      const result = parseSettings(formFromBody({ ...validBody, voteBudget }));
      expect(result.ok ? 'ok' : Object.keys(result.errors)).toEqual(['voteBudget']);
    }
  });

  test('when a date is not a date, then that field is named and the order check skips it', () => {
    const result = parseSettings(formFromBody({ ...validBody, ceremonyAt: '2026-02-30T10:00' }));
    expect(result.ok ? 'ok' : result.errors.ceremonyAt?.key).toBe('editions.error.date');
  });

  test('when dates are left empty, then they are not set and not checked', () => {
    const result = parseSettings(formFromBody({ ...validBody, judgingOpensAt: '', judgingClosesAt: '', ceremonyAt: '' }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.settings.ceremonyAt).toBeNull();
  });

  test('when every criterion is removed or the departments are empty, then it is refused', () => {
    const result = parseSettings(formFromBody({ ...validBody, criterionRemove: ['1', '2'], departments: ' \n ' }));
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual(['criteria', 'departments']);
  });
});

describe('copying to next year', () => {
  test('when dates move a year, then the Stockholm wall-clock time stays across daylight saving', () => {
    expect(toStockholmLocal(shiftOneYear(at('2026-10-25T08:00'))!)).toBe('2027-10-25T08:00');
    expect(toStockholmLocal(shiftOneYear(at('2026-03-29T12:00'))!)).toBe('2027-03-29T12:00');
    expect(toStockholmLocal(shiftOneYear(at('2028-02-29T09:00'))!)).toBe('2029-02-28T09:00');
    expect(shiftOneYear(null)).toBeNull();
  });

  test('when the title names the year, then it names the next year', () => {
    expect(nextTitle('Årets misstag 2026', 2026)).toBe('Årets misstag 2027');
    expect(nextTitle('Årets misstag', 2026)).toBe('Årets misstag 2027');
  });
});
