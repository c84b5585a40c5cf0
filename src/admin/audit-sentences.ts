// The audit log (R4) read as sentences: "Anna Lindqvist skickade in ”Formuläret”", with the details in
// words ("Ny status: Väntar på svar från kollegor") rather than `status: awaiting_consent`. An action or
// a detail without a text of its own still shows, with its key, so nothing recorded is hidden.
import type { AuditLine } from './queries';

type Translate = (key: string, params?: Record<string, string | number>) => string;
type HasKey = (key: string) => boolean;

/** Detail keys that only repeat what the sentence says or are internal ids. */
const SKIPPED = new Set(['editionId', 'nomineeId', 'winnerId', 'winnerNominationId', 'year']);

/** Detail values that are words from another part of the app. */
const VALUE_KEYS: Record<string, (v: string) => string> = {
  status: (v) => `status.${v}`,
  from: (v) => `status.${v}`,
  to: (v) => `status.${v}`,
  phase: (v) => `editions.phase.${v}`,
  override: (v) => `audit.value.override.${v}`,
  previous: (v) => `audit.value.override.${v}`,
  source: (v) => `audit.value.source.${v}`,
};

function valueText(key: string, value: unknown, t: Translate, hasKey: HasKey, dateTime: (d: Date) => string): string {
  if (typeof value === 'boolean') return t(value ? 'audit.value.yes' : 'audit.value.no');
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (key === 'changed' || key === 'fields') return value.map((v) => (hasKey(`editions.field.${v}`) ? t(`editions.field.${v}`) : hasKey(`nominations.field.${v}`) ? t(`nominations.field.${v}`) : String(v))).join(', ');
    return String(value.length);
  }
  const text = String(value ?? '');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(text)) return dateTime(new Date(text));
  const mapped = VALUE_KEYS[key]?.(text);
  return mapped && hasKey(mapped) ? t(mapped) : text;
}

export type AuditSentence = { sentence: string; details: string[] };

export function describeAuditLine(line: AuditLine, t: Translate, hasKey: HasKey, dateTime: (d: Date) => string): AuditSentence {
  const actor = line.actorId === null ? t('admin.audit.system') : (line.actorName ?? `#${line.actorId}`);
  const subject = line.subjectName ?? (line.subjectId !== null ? `#${line.subjectId}` : '');
  const key = `audit.sentence.${line.action}`;
  const sentence = hasKey(key)
    ? t(key, { actor, subject })
    : `${actor}: ${hasKey(`audit.action.${line.action}`) ? t(`audit.action.${line.action}`) : line.action}${subject ? ` (${subject})` : ''}`;
  const details = Object.entries(line.details)
    .filter(([k, v]) => !SKIPPED.has(k) && v !== null && v !== undefined)
    .map(([k, v]) => {
      const label = `audit.detail.${k}`;
      const value = valueText(k, v, t, hasKey, dateTime);
      return hasKey(label) ? t(label, { value }) : `${k}: ${typeof v === 'object' && v !== null && !Array.isArray(v) ? JSON.stringify(v) : value}`;
    });
  return { sentence, details };
}
