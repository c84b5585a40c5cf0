// The audit log (SPEC R4): every feature records who did what through record().
import type { Queryable } from '../db';

export type AuditEntry = {
  actorId: number | null;
  action: string;
  subjectType?: string;
  subjectId?: number;
  details?: Record<string, unknown>;
};

export async function record(db: Queryable, entry: AuditEntry, now: Date): Promise<void> {
  await db('audit_log').insert({
    actor_id: entry.actorId,
    action: entry.action,
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId ?? null,
    details: JSON.stringify(entry.details ?? {}),
    created_at: now,
  });
}
