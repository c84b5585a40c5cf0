import { sv } from '../../src/i18n/sv';
import { en } from '../../src/i18n/en';
import { formatters, translate, foldForSearch } from '../../src/i18n';
import '../../src/app'; // registers every feature's messages

describe('languages', () => {
  test('when the dictionaries are compared, then English has every Swedish key and no empty text', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
    for (const [key, value] of Object.entries(en)) expect(value.trim()).not.toBe('');
  });

  test('when a text has placeholders, then they are filled in', () => {
    expect(translate('sv', 'home.greeting', { name: 'Åsa' })).toBe('Hej Åsa!');
    expect(translate('en', 'home.greeting', { name: 'Åsa' })).toBe('Hello Åsa!');
  });

  test('when a count is 1, then the singular form is used, and large counts get digit grouping', () => {
    expect(translate('sv', 'live.votes', { count: 1 })).toBe('1 röst');
    expect(translate('sv', 'live.votes', { count: 2 })).toBe('2 röster');
    expect(translate('en', 'live.votes', { count: 1 })).toBe('1 vote');
    expect(translate('sv', 'live.votes', { count: 1237 })).toBe('1\u00a0237 röster');
    expect(translate('en', 'live.votes', { count: 1237 })).toBe('1,237 votes');
  });

  test('when names are sorted, then Swedish order puts å, ä, ö after z', () => {
    const names = ['Örjan', 'Zlatan', 'Åsa', 'Anna', 'Ärla'];
    expect([...names].sort(formatters('en').collator.compare)).toEqual(['Anna', 'Zlatan', 'Åsa', 'Ärla', 'Örjan']);
  });

  test('when dates are formatted, then it is Stockholm time in the reader language', () => {
    const d = new Date('2026-12-10T17:00:00Z');
    expect(formatters('sv').dateTime(d)).toMatch(/10 december 2026.*18:00/);
    expect(formatters('en').dateTime(d)).toMatch(/10 December 2026.*18:00/);
  });

  test('when text is folded for search, then ÅÄÖ match åäö', () => {
    expect(foldForSearch('ÅRETS MISSTAG – Lärdom')).toBe('årets misstag – lärdom');
  });
});
