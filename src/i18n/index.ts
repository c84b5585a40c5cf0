// t(), locale negotiation and Intl formatters. Dictionaries: core (sv.ts/en.ts) plus each feature's
// messages.ts, merged here; the type checker makes every English table cover its Swedish keys.
import { sv as coreSv } from './sv';
import { en as coreEn } from './en';
import { dateFormats } from '../time';

export type Locale = 'sv' | 'en';

/** A feature's message table: Swedish first, English with exactly the same keys. */
export type MessageTable<S extends Record<string, string>> = { sv: S; en: { [K in keyof S]: string } };

export function defineMessages<S extends Record<string, string>>(table: MessageTable<S>): MessageTable<S> {
  return table;
}

const featureTables: Array<MessageTable<Record<string, string>>> = [];

const dictionaries: Record<Locale, Record<string, string>> = { sv: { ...coreSv }, en: { ...coreEn } };

/** Called by each feature module at import (pure data, no I/O). */
export function registerMessages(table: MessageTable<Record<string, string>>): void {
  featureTables.push(table);
  Object.assign(dictionaries.sv, table.sv);
  Object.assign(dictionaries.en, table.en);
}

export type Params = Record<string, string | number>;

const pluralRules: Record<Locale, Intl.PluralRules> = { sv: new Intl.PluralRules('sv-SE'), en: new Intl.PluralRules('en-GB') };

/** Quantities written with the locale's digit grouping ("10 000 tecken"); years and ids are not among them. */
const GROUPED_PARAMS = new Set(['count', 'max', 'min', 'length', 'total']);

/**
 * The text for a key with its {placeholders} filled in. A numeric `count` picks the singular form
 * `key#one` when the table has one ("1 röst", "2 röster") and is written with the locale's digit grouping.
 */
export function translate(locale: Locale, key: string, params?: Params): string {
  const count = params?.count;
  const singular = typeof count === 'number' && pluralRules[locale].select(count) === 'one' ? `${key}#one` : null;
  const lookup = (k: string) => dictionaries[locale][k] ?? dictionaries.sv[k];
  const template = (singular ? lookup(singular) : undefined) ?? lookup(key) ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return GROUPED_PARAMS.has(name) && typeof value === 'number' ? formatters(locale).number(value) : String(value);
  });
}

export function hasKey(key: string): boolean {
  return key in dictionaries.sv;
}

export function isLocale(v: unknown): v is Locale {
  return v === 'sv' || v === 'en';
}

const intlTag: Record<Locale, string> = { sv: 'sv-SE', en: 'en-GB' };

export type Formatters = {
  locale: Locale;
  date(d: Date | null | undefined): string;
  dateTime(d: Date | null | undefined): string;
  /** The time of day in Stockholm, "08.00" / "08:00". */
  time(d: Date): string;
  /** A calendar day "YYYY-MM-DD" as day and month. */
  dayMonth(day: string): string;
  number(n: number, digits?: number): string;
  collator: Intl.Collator;
};

const cache = new Map<Locale, Formatters>();

export function formatters(locale: Locale): Formatters {
  const hit = cache.get(locale);
  if (hit) return hit;
  const tag = intlTag[locale];
  const dates = dateFormats(locale);
  const numberFs = new Map<number, Intl.NumberFormat>();
  const f: Formatters = {
    locale,
    // The formats themselves live with the other time helpers (src/time.ts).
    date: (d) => (d ? dates.date(d) : translate(locale, 'date.notSet')),
    dateTime: (d) => (d ? dates.dateTime(d) : translate(locale, 'date.notSet')),
    time: (d) => dates.time(d),
    dayMonth: (day) => dates.dayMonth(day),
    number: (n, digits = 0) => {
      let nf = numberFs.get(digits);
      if (!nf) {
        nf = new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits });
        numberFs.set(digits, nf);
      }
      return nf.format(n);
    },
    // Sorting is always Swedish (å, ä, ö after z), whatever the reader's language (SPEC §6).
    collator: new Intl.Collator('sv', { sensitivity: 'base' }),
  };
  cache.set(locale, f);
  return f;
}

/** Case folding for search: lower case in Swedish, so Å/Ä/Ö match å/ä/ö on both databases. */
export function foldForSearch(text: string): string {
  return text.toLocaleLowerCase('sv-SE').normalize('NFC');
}
