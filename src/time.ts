// Europe/Stockholm wall-clock time <-> instants. Admins enter phase dates as local time; the database
// stores instants. Pure functions over Intl, so they follow the daylight-saving rules of the runtime.

export const TIME_ZONE = 'Europe/Stockholm';

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function stockholmParts(instant: Date): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of partsFormatter.formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

/** Offset of Stockholm from UTC at an instant, in minutes (60 in winter, 120 in summer). */
export function stockholmOffsetMinutes(instant: Date): number {
  const p = stockholmParts(instant);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant of a Stockholm wall-clock time "YYYY-MM-DDTHH:mm". In the autumn hour that occurs
 * twice the earlier one is chosen; a time in the spring gap is moved forward by an hour.
 * Returns null for text that is not such a time.
 */
export function fromStockholmLocal(local: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(local.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  if (new Date(naive).getUTCDate() !== d) return null; // e.g. 31 February
  // Try the offsets in force around that time; prefer the earlier instant (summer time) when both fit.
  const candidates = [120, 60].map((off) => new Date(naive - off * 60000));
  for (const c of candidates) {
    if (toStockholmLocal(c) === `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`) return c;
  }
  return new Date(naive - 60 * 60000); // in the spring gap: winter offset, i.e. an hour later locally
}

/** "YYYY-MM-DDTHH:mm" in Stockholm time, the value of an <input type="datetime-local">. */
export function toStockholmLocal(instant: Date): string {
  const p = stockholmParts(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The calendar year in Stockholm at an instant. */
export function stockholmYear(instant: Date): number {
  return stockholmParts(instant).year;
}

// ---------------------------------------------------------------- formatting for people

/** The languages dates are written in (the same as i18n's Locale). */
type DateLocale = 'sv' | 'en';

const intlTag: Record<DateLocale, string> = { sv: 'sv-SE', en: 'en-GB' };

export type DateFormats = {
  /** "4 december 2026", in Stockholm time. */
  date(d: Date): string;
  /** "4 december 2026 kl. 08.00", in Stockholm time. */
  dateTime(d: Date): string;
  /** The time of day, "08.00" in Swedish and "08:00" in English, in Stockholm time (the presenter's clock). */
  time(d: Date): string;
  /** A calendar day "YYYY-MM-DD" as day and month, "4/12" (a chart's axis). */
  dayMonth(day: string): string;
};

const dateFormatsCache = new Map<DateLocale, DateFormats>();

/** The date formatters of a language; i18n's formatters() adds the "not set" text for a missing date. */
export function dateFormats(locale: DateLocale): DateFormats {
  const hit = dateFormatsCache.get(locale);
  if (hit) return hit;
  const tag = intlTag[locale];
  const dateF = new Intl.DateTimeFormat(tag, { timeZone: TIME_ZONE, dateStyle: 'long' });
  const dateTimeF = new Intl.DateTimeFormat(tag, { timeZone: TIME_ZONE, dateStyle: 'long', timeStyle: 'short' });
  const timeF = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE });
  // A calendar day is not an instant: written at noon UTC so that no time zone moves it to another day.
  const dayMonthF = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'numeric', timeZone: 'UTC' });
  const f: DateFormats = {
    date: (d) => dateF.format(d),
    // Swedish writes the time with a full stop, "kl. 08.00" (Svenska skrivregler); Intl gives 08:00.
    dateTime: (d) => (locale === 'sv' ? dateTimeF.format(d).replace(/(\d{2}):(\d{2})/, '$1.$2') : dateTimeF.format(d)),
    time: (d) => timeF.format(d).replace(':', locale === 'sv' ? '.' : ':'),
    dayMonth: (day) => dayMonthF.format(new Date(`${day}T12:00:00Z`)),
  };
  dateFormatsCache.set(locale, f);
  return f;
}
