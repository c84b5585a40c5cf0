// The ceremony's calendar invitation (R10) as RFC 5545 text: CRLF line endings, lines folded at 75
// octets (never inside a UTF-8 character), the time in Europe/Stockholm with its VTIMEZONE, one UID
// per edition, and SEQUENCE/DTSTAMP that move when the ceremony's date does, so a calendar that already
// holds the event replaces it. Pure: the caller gives the texts and the address.
import { toStockholmLocal } from '../time';

export type CeremonyEvent = {
  year: number;
  ceremonyAt: Date;
  /** Minutes; the app does not store an end time. */
  durationMinutes?: number;
  sequence: number;
  /** When the event was last changed (DTSTAMP and LAST-MODIFIED). */
  changedAt: Date;
  summary: string;
  description: string;
  /** The page the event links to, e.g. PUBLIC_URL/ceremony/2026. */
  url: string;
  /** PUBLIC_URL; its host names the UID's domain. */
  publicUrl: string;
  locale: 'sv' | 'en';
};

export const CEREMONY_MINUTES = 90;

// Sweden's rules since 1996 (EU): summer time from the last Sunday of March 02:00 to the last Sunday
// of October 03:00.
const STOCKHOLM_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Stockholm',
  'X-LIC-LOCATION:Europe/Stockholm',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** TEXT value escaping (RFC 5545 3.3.11). */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets: CRLF and one space before each continuation (RFC 5545 3.1). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    // The first line holds 75 octets; a continuation line 74 after its leading space.
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const utcStamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const localStamp = (d: Date) => `${toStockholmLocal(d).replace(/[-:]/g, '')}00`;

export function ceremonyCalendar(e: CeremonyEvent): string {
  const end = new Date(e.ceremonyAt.getTime() + (e.durationMinutes ?? CEREMONY_MINUTES) * 60_000);
  const host = new URL(e.publicUrl).hostname;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Årets misstag//Ceremony//SV',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...STOCKHOLM_VTIMEZONE,
    'BEGIN:VEVENT',
    `UID:ceremony-${e.year}@${host}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${utcStamp(e.changedAt)}`,
    `LAST-MODIFIED:${utcStamp(e.changedAt)}`,
    `DTSTART;TZID=Europe/Stockholm:${localStamp(e.ceremonyAt)}`,
    `DTEND;TZID=Europe/Stockholm:${localStamp(end)}`,
    `SUMMARY;LANGUAGE=${e.locale}:${escapeText(e.summary)}`,
    `DESCRIPTION;LANGUAGE=${e.locale}:${escapeText(e.description)}`,
    `URL:${e.url}`,
    'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
