import { sv } from '../../src/i18n/sv';
import { en } from '../../src/i18n/en';
import { formatters, translate, foldForSearch } from '../../src/i18n';
import { render } from '../../src/notifications/service';
import '../../src/app'; // registers every feature's messages

describe('languages', () => {
  test('when the dictionaries are compared, then English has every Swedish key and no empty text', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
    for (const value of Object.values(en)) expect(value.trim()).not.toBe('');
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

  test('when a count of 1 is shown in a feature text, then it reads in the singular in both languages', () => {
    expect(translate('sv', 'notifications.headerUnread', { count: 1 })).toBe('1 oläst');
    expect(translate('sv', 'notifications.headerUnread', { count: 2 })).toBe('2 olästa');
    expect(translate('en', 'notifications.headerUnread', { count: 1 })).toBe('1 unread');
    expect(translate('sv', 'home.task.votes', { count: 1 })).toBe('Du har 1 röst kvar');
    expect(translate('en', 'home.task.votes', { count: 1 })).toBe('You have 1 vote left');
    expect(translate('sv', 'home.task.votes', { count: 1237 })).toBe('Du har 1\u00a0237 röster kvar');
    // Limits read in Swedish form too ("10 000 tecken"); a year is never grouped.
    expect(translate('sv', 'nominations.error.tooLong', { max: 10000, length: 12345 })).toBe('Texten får vara högst 10\u00a0000 tecken. Nu är den 12\u00a0345 tecken.');
    expect(translate('sv', 'edition.defaultTitle', { year: 2026 })).toBe('Årets misstag 2026');
    expect(translate('en', 'entries.count', { count: 1 })).toBe('1 entry');
    expect(translate('en', 'entries.count', { count: 2 })).toBe('2 entries');
    expect(translate('sv', 'entries.count', { count: 1 })).toBe('1 bidrag');
  });

  test('when a juror has 1 entry left, then the English reminder says "1 entry"; an older reminder without a count still reads', () => {
    const params = { title: 'Årets misstag 2026', left: 1, total: 4, count: 1 };
    expect(render('en', 'jury.reminder', 'subject', params)).toBe('Reminder: 1 entry left to score');
    expect(render('en', 'jury.reminder', 'text', params)).toBe('You have 1 entry left to score in Årets misstag 2026.');
    expect(render('sv', 'jury.reminder', 'subject', params)).toBe('Påminnelse: 1 bidrag kvar att bedöma');
    expect(render('en', 'jury.reminder', 'subject', { ...params, left: 3, count: 3 })).toBe('Reminder: 3 entries left to score');
    expect(render('en', 'jury.reminder', 'subject', { title: 'X', left: 2, total: 4 })).toBe('Reminder: 2 entries left to score');
  });

  test('when a vote confirmation is for a budget of 1, then its own text says "1 röst" / "1 vote"', () => {
    const params = { title: 'T', used: 1, budget: 1 };
    expect(translate('sv', 'voting.flash.votedOne', params)).toBe('Tack! Din röst på ”T” är registrerad. Du har använt 1 av 1 röst.');
    expect(translate('en', 'voting.flash.votedOne', params)).toBe('Thank you! Your vote for “T” is recorded. You have used 1 of 1 vote.');
    expect(translate('en', 'voting.flash.withdrawnOne', { ...params, used: 0 })).toBe('You withdrew your vote for “T”. You have used 0 of 1 vote.');
  });

  test('when names are sorted, then Swedish order puts å, ä, ö after z', () => {
    const names = ['Örjan', 'Zlatan', 'Åsa', 'Anna', 'Ärla'];
    expect([...names].sort(formatters('en').collator.compare)).toEqual(['Anna', 'Zlatan', 'Åsa', 'Ärla', 'Örjan']);
  });

  test('when dates are formatted, then it is Stockholm time in the reader language', () => {
    const d = new Date('2026-12-10T17:00:00Z');
    expect(formatters('sv').dateTime(d)).toMatch(/10 december 2026 kl\. 18\.00/);
    expect(formatters('en').dateTime(d)).toMatch(/10 December 2026.*18:00/);
  });

  test('when a time of day or a chart day is formatted, then the clock is Stockholm time and the day stays the same day', () => {
    const d = new Date('2026-06-10T06:05:00Z');
    expect(formatters('sv').time(d)).toBe('08.05');
    expect(formatters('en').time(d)).toBe('08:05');
    expect(formatters('sv').dayMonth('2026-12-04')).toBe('4/12');
    expect(formatters('en').dayMonth('2026-12-04')).toBe('04/12');
    expect(formatters('sv').date(null)).toBe(translate('sv', 'date.notSet'));
  });

  test('when text is folded for search, then ÅÄÖ match åäö', () => {
    expect(foldForSearch('ÅRETS MISSTAG – Lärdom')).toBe('årets misstag – lärdom');
  });
});
