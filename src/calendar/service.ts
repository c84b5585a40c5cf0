// The ceremony's calendar invitation (R10) for an edition: served at /ceremony/:year/calendar.ics,
// linked where the ceremony's date is shown, and attached to the mail that announces voting (the last
// announcement everyone gets before the ceremony).
import type { Edition } from '../editions/service';
import { defineMessages, registerMessages, translate, type Locale } from '../i18n';
import { ceremonyCalendar } from './ics';

registerMessages(
  defineMessages({
    sv: {
      'calendar.summary': 'Prisutdelning: {title}',
      'calendar.description': 'Vem vinner {title}? Följ prisutdelningen och rösta på din favorit bland finalisterna: {link}',
      'calendar.add': 'Lägg in prisutdelningen i din kalender',
      'calendar.mailLine': 'Prisutdelningen är {date}. Med den bifogade filen kan du lägga in den i din kalender.',
    },
    en: {
      'calendar.summary': 'Award ceremony: {title}',
      'calendar.description': 'Who wins {title}? Follow the ceremony and vote for your favourite among the finalists: {link}',
      'calendar.add': 'Add the ceremony to your calendar',
      'calendar.mailLine': 'The ceremony is on {date}. The attached file adds it to your calendar.',
    },
  }),
);

export function calendarPath(year: number): string {
  return `/ceremony/${year}/calendar.ics`;
}

export function calendarFileName(year: number): string {
  return `arets-misstag-${year}.ics`;
}

/** The .ics text, or null while the edition has no ceremony date. */
export function ceremonyInvitation(edition: Edition, publicUrl: string, locale: Locale): string | null {
  if (!edition.ceremonyAt) return null;
  const link = `${publicUrl}/ceremony/${edition.year}`;
  return ceremonyCalendar({
    year: edition.year,
    ceremonyAt: edition.ceremonyAt,
    sequence: edition.ceremonySequence,
    changedAt: edition.ceremonyChangedAt ?? edition.createdAt,
    summary: translate(locale, 'calendar.summary', { title: edition.title }),
    description: translate(locale, 'calendar.description', { title: edition.title, link }),
    url: link,
    publicUrl,
    locale,
  });
}
