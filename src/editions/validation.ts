// Edition setup form (R1): parses what the admin typed into settings, criteria and departments, and
// names every problem by field. Pure: no database; the service checks what needs the database.
import type { FieldErrors } from '../errors';
import { fromStockholmLocal, toStockholmLocal } from '../time';
import { timelineProblems } from './phases';
import type { Criterion, Edition, EditionSettings, LevelText } from './queries';
import { DEFAULT_LEVELS } from './defaults';

export const DATE_FIELDS = [
  'nominationOpensAt',
  'nominationClosesAt',
  'votingOpensAt',
  'votingClosesAt',
  'judgingOpensAt',
  'judgingClosesAt',
  'ceremonyAt',
] as const;
export type DateField = (typeof DATE_FIELDS)[number];

/** The 1–5 scale (SPEC J2): one text per level and language, shown beside each score on the jury page. */
export const LEVEL_COUNT = 5;
export const LEVEL_MAX = 300;
const LEVEL_LANGS = ['Sv', 'En'] as const;

/** The form field of one level text; its id is "f-" + this, so the error summary links to it. */
export const levelField = (row: number, level: number, lang: 'Sv' | 'En'): string => `criterion${row}Level${level}${lang}`;

/** `levels` is null when the form sent no level fields at all: the stored ones are then kept. */
export type CriterionRow = { id: number | null; nameSv: string; nameEn: string; descriptionSv: string; descriptionEn: string; weight: string; remove: boolean; levels: LevelText[] | null };

/** The form as typed (strings), for re-rendering it after an error. */
export type SettingsForm = {
  title: string;
  introSv: string;
  introEn: string;
  voteBudget: string;
  finalistCount: string;
  departments: string;
  criteria: CriterionRow[];
} & Record<DateField, string>;

export type ParsedSettings = {
  settings: EditionSettings;
  departments: string[];
  criteria: Array<{ id: number | null; nameSv: string; nameEn: string; descriptionSv: string; descriptionEn: string; weight: number; remove: boolean; levels: LevelText[] | null }>;
};

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : '')) : typeof v === 'string' ? [v] : []);

/** The five level texts, with the general ones where a level has none stored (older criteria). */
export function levelsOf(stored: LevelText[]): LevelText[] {
  return DEFAULT_LEVELS.map((d, i) => ({ sv: stored[i]?.sv || d.sv, en: stored[i]?.en || d.en }));
}

/** The empty "new criterion" row at the end of the form: nothing typed, level texts as suggested. */
export function blankCriterionRow(): CriterionRow {
  return { id: null, nameSv: '', nameEn: '', descriptionSv: '', descriptionEn: '', weight: '', remove: false, levels: levelsOf([]) };
}

export function isBlankNewRow(row: CriterionRow): boolean {
  if (row.id !== null || row.nameSv || row.nameEn || row.weight || row.descriptionSv || row.descriptionEn) return false;
  return (row.levels ?? []).every((l, i) => (!l.sv || l.sv === DEFAULT_LEVELS[i].sv) && (!l.en || l.en === DEFAULT_LEVELS[i].en));
}

export function formFromEdition(e: Edition, departments: Array<{ name: string }>, criteria: Criterion[]): SettingsForm {
  const local = (d: Date | null) => (d ? toStockholmLocal(d) : '');
  return {
    title: e.title,
    introSv: e.introSv ?? '',
    introEn: e.introEn ?? '',
    voteBudget: String(e.voteBudget),
    finalistCount: String(e.finalistCount),
    departments: departments.map((d) => d.name).join('\n'),
    criteria: criteria.map((c) => ({ id: c.id, nameSv: c.nameSv, nameEn: c.nameEn, descriptionSv: c.descriptionSv, descriptionEn: c.descriptionEn, weight: String(c.weight), remove: false, levels: levelsOf(c.levels) })),
    ...(Object.fromEntries(DATE_FIELDS.map((f) => [f, local(e[f])])) as Record<DateField, string>),
  };
}

export function formFromBody(body: Record<string, unknown>): SettingsForm {
  const ids = list(body.criterionId);
  const sv = list(body.criterionNameSv);
  const en = list(body.criterionNameEn);
  const weights = list(body.criterionWeight);
  const descSv = list(body.criterionDescriptionSv);
  const descEn = list(body.criterionDescriptionEn);
  const removed = new Set(list(body.criterionRemove));
  // Level texts are one line each beside a score: line breaks and runs of spaces become one space.
  const levelLists = Array.from({ length: LEVEL_COUNT }, (_, n) => ({
    sv: list(body[`criterionLevel${n + 1}Sv`]),
    en: list(body[`criterionLevel${n + 1}En`]),
  }));
  const levelsSent = levelLists.some((l) => l.sv.length > 0 || l.en.length > 0);
  const oneLine = (v: string | undefined) => (v ?? '').replace(/\s+/g, ' ').trim();
  const rows: CriterionRow[] = [];
  for (let i = 0; i < Math.min(Math.max(ids.length, sv.length), 30); i++) {
    const id = /^\d{1,9}$/.test(ids[i] ?? '') ? Number(ids[i]) : null;
    rows.push({
      id,
      nameSv: (sv[i] ?? '').trim(),
      nameEn: (en[i] ?? '').trim(),
      descriptionSv: (descSv[i] ?? '').trim(),
      descriptionEn: (descEn[i] ?? '').trim(),
      weight: (weights[i] ?? '').trim(),
      remove: id !== null && removed.has(String(id)),
      levels: levelsSent ? levelLists.map((l) => ({ sv: oneLine(l.sv[i]), en: oneLine(l.en[i]) })) : null,
    });
  }
  return {
    title: str(body.title).trim(),
    introSv: str(body.introSv).trim(),
    introEn: str(body.introEn).trim(),
    voteBudget: str(body.voteBudget).trim(),
    finalistCount: str(body.finalistCount).trim(),
    departments: str(body.departments),
    criteria: rows,
    ...(Object.fromEntries(DATE_FIELDS.map((f) => [f, str(body[f]).trim()])) as Record<DateField, string>),
  };
}

function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\d{1,4}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** Checks the form; returns the parsed values, or the field errors. */
export function parseSettings(form: SettingsForm): { ok: true; value: ParsedSettings } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!form.title) errors.title = { key: 'editions.error.titleRequired' };
  else if (form.title.length > 200) errors.title = { key: 'editions.error.tooLong', params: { max: 200 } };
  if (form.introSv.length > 5000) errors.introSv = { key: 'editions.error.tooLong', params: { max: 5000 } };
  if (form.introEn.length > 5000) errors.introEn = { key: 'editions.error.tooLong', params: { max: 5000 } };

  const dates = {} as Record<DateField, Date | null>;
  for (const f of DATE_FIELDS) {
    dates[f] = null;
    if (!form[f]) continue;
    const d = fromStockholmLocal(form[f]);
    if (!d) errors[f] = { key: 'editions.error.date' };
    else dates[f] = d;
  }
  for (const f of timelineProblems(dates)) {
    if (!errors[f]) errors[f] = { key: `editions.error.order.${f}` };
  }

  const voteBudget = wholeNumber(form.voteBudget, 1, 50);
  if (voteBudget === null) errors.voteBudget = { key: 'editions.error.voteBudget' };
  const finalistCount = wholeNumber(form.finalistCount, 1, 20);
  if (finalistCount === null) errors.finalistCount = { key: 'editions.error.finalistCount' };

  const departments: string[] = [];
  const seen = new Set<string>();
  for (const line of form.departments.split(/\r?\n/)) {
    const name = line.trim();
    if (!name) continue;
    if (name.length > 200) {
      errors.departments = { key: 'editions.error.departmentTooLong', params: { max: 200 } };
      continue;
    }
    const k = name.toLocaleLowerCase('sv-SE');
    if (seen.has(k)) continue;
    seen.add(k);
    departments.push(name);
  }
  if (departments.length === 0 && !errors.departments) errors.departments = { key: 'editions.error.departmentsRequired' };

  const criteria: ParsedSettings['criteria'] = [];
  for (const [index, row] of form.criteria.entries()) {
    if (isBlankNewRow(row)) continue; // the empty "add" row
    if (row.remove) {
      criteria.push({ ...row, weight: 1, remove: true });
      continue;
    }
    for (const [n, level] of (row.levels ?? []).entries()) {
      // Each level text is its own field, so the message sits by it and the summary links to it.
      const named = Boolean(row.nameSv || row.nameEn);
      const params = { level: n + 1, n: index + 1, nameSv: row.nameSv || row.nameEn, nameEn: row.nameEn || row.nameSv };
      for (const lang of LEVEL_LANGS) {
        const text = lang === 'Sv' ? level.sv : level.en;
        const kind = !text ? 'levelEmpty' : text.length > LEVEL_MAX ? 'levelTooLong' : null;
        if (kind) errors[levelField(index, n + 1, lang)] = { key: `editions.error.${kind}${named ? '' : 'Row'}.${lang.toLowerCase()}`, params: { ...params, max: LEVEL_MAX } };
      }
    }
    const weight = Number(row.weight.replace(',', '.'));
    if (!row.nameSv || !row.nameEn) errors.criteria ??= { key: 'editions.error.criterionName' };
    else if (row.nameSv.length > 100 || row.nameEn.length > 100) errors.criteria ??= { key: 'editions.error.tooLong', params: { max: 100 } };
    else if (row.descriptionSv.length > 1000 || row.descriptionEn.length > 1000) errors.criteria ??= { key: 'editions.error.tooLong', params: { max: 1000 } };
    else if (!row.weight || !Number.isFinite(weight) || weight <= 0 || weight > 100) errors.criteria ??= { key: 'editions.error.criterionWeight' };
    criteria.push({ ...row, weight, remove: false });
  }
  if (!errors.criteria && criteria.filter((c) => !c.remove).length === 0) errors.criteria = { key: 'editions.error.criteriaRequired' };

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      settings: {
        title: form.title,
        introSv: form.introSv || null,
        introEn: form.introEn || null,
        voteBudget: voteBudget!,
        finalistCount: finalistCount!,
        ...dates,
      },
      departments,
      criteria,
    },
  };
}

/** The same wall-clock time a year later in Stockholm (29 February becomes 28 February). */
export function shiftOneYear(d: Date | null): Date | null {
  if (!d) return null;
  const local = toStockholmLocal(d);
  const year = Number(local.slice(0, 4)) + 1;
  let rest = local.slice(4);
  if (rest.startsWith('-02-29')) rest = '-02-28' + rest.slice(6);
  return fromStockholmLocal(`${year}${rest}`);
}

/** "Årets misstag 2026" becomes "Årets misstag 2027"; a title without the year gets it appended. */
export function nextTitle(title: string, year: number): string {
  return title.includes(String(year)) ? title.split(String(year)).join(String(year + 1)) : `${title} ${year + 1}`;
}
