// CSV that Excel opens correctly (R3), written with csv-stringify (never hand-written quoting):
// - UTF-8 with a byte-order mark, so Excel reads å/ä/ö as UTF-8 instead of the Windows code page;
// - semicolon between fields: Excel with Swedish regional settings splits on the list separator, which
//   is ";" because "," is the decimal comma there — a comma-separated file opens as one column;
// - CRLF line ends; fields with ; " or line breaks are quoted by the library;
// - formula injection: a text cell starting with = + - @ tab or CR is prefixed with ' so Excel shows
//   it as text instead of running it (OWASP "CSV injection").
import { stringify } from 'csv-stringify/sync';

export type Cell = string | number | boolean | null | undefined | Date;

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Swedish number format for Excel: decimal comma, no thousands separator. */
export function decimal(n: number | null | undefined, digits = 2): string {
  return n === null || n === undefined || Number.isNaN(n) ? '' : n.toFixed(digits).replace('.', ',');
}

function cell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v); // our own numbers: never neutralised (a count is not a formula)
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) return v.toISOString();
  return neutralise(v);
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return stringify([header.map(neutralise), ...rows.map((r) => r.map(cell))], {
    delimiter: ';',
    bom: true,
    record_delimiter: 'windows',
    // The library quotes only the record delimiter (CRLF); a bare line break inside a text would
    // otherwise start a new row in Excel.
    quoted_match: /[\r\n]/,
  });
}
