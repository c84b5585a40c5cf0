// What the ceremony, the archive and the share cards show of a locked result: the entries' texts. The
// decision comes from the jury's lockedResult(), the counts from the voting service.
import type { Queryable } from '../db';
import { toBool } from '../db';

type Row = Record<string, unknown>;

export type ResultEntry = {
  id: number;
  title: string;
  lesson: string;
  changes: string;
  teamName: string | null;
  department: string | null;
  /** An image attachment of the entry, if any (for a photo on the slide). */
  imageAttachmentId: number | null;
  /** The people behind it who agreed to be named (N3); filled in by the service. */
  names: string[];
};

function toEntry(r: Row): ResultEntry {
  return {
    id: Number(r.id),
    title: String(r.title ?? ''),
    lesson: String(r.lesson ?? ''),
    changes: String(r.changes ?? ''),
    teamName: (r.team_name as string | null) || null,
    department: (r.department_name as string | null) ?? null,
    imageAttachmentId: r.image_attachment_id == null ? null : Number(r.image_attachment_id),
    names: [],
  };
}

function entryColumns(db: Queryable) {
  return [
    'n.id',
    'n.title',
    'n.lesson',
    'n.changes',
    'n.team_name',
    'd.name as department_name',
    db('attachments as a')
      .min('a.id')
      .whereRaw('a.nomination_id = n.id')
      .whereIn('a.mime', ['image/jpeg', 'image/png', 'image/webp'])
      .as('image_attachment_id'),
  ];
}

/** The entries of a result (finalists and winner) with what the slides and cards show, by id. */
export async function findEntries(db: Queryable, ids: number[]): Promise<Map<number, ResultEntry>> {
  if (ids.length === 0) return new Map();
  const rows: Row[] = await db('nominations as n').leftJoin('departments as d', 'd.id', 'n.department_id').whereIn('n.id', ids).select(entryColumns(db));
  return new Map(rows.map((r) => [Number(r.id), toEntry(r)]));
}

export async function markRevealed(db: Queryable, editionId: number, now: Date): Promise<number> {
  return db('editions').where({ id: editionId }).whereNull('revealed_at').update({ revealed_at: now, updated_at: now });
}

// ---------------------------------------------------------------- the running show (C6, C7)

export type LiveAudience = 'employees' | 'room';

export type Show = {
  editionId: number;
  /** The slide on the screen, by key (ceremony/service.ts slideKey()). */
  slideKey: string;
  black: boolean;
  rehearsal: boolean;
  /** In a rehearsal: the placeholder winner has been "revealed" (nothing is published). */
  rehearsalRevealed: boolean;
  liveAudience: LiveAudience;
  liveHideBars: boolean;
};

export const defaultShow = (editionId: number): Show => ({
  editionId,
  slideKey: 'title',
  black: false,
  rehearsal: false,
  rehearsalRevealed: false,
  liveAudience: 'employees',
  liveHideBars: false,
});

export async function findShow(db: Queryable, editionId: number): Promise<Show> {
  const r: Row | undefined = await db('ceremony_shows').where({ edition_id: editionId }).first();
  if (!r) return defaultShow(editionId);
  return {
    editionId,
    slideKey: String(r.slide_key),
    black: toBool(r.black),
    rehearsal: toBool(r.rehearsal),
    rehearsalRevealed: toBool(r.rehearsal_revealed),
    liveAudience: r.live_audience === 'room' ? 'room' : 'employees',
    liveHideBars: toBool(r.live_hide_bars),
  };
}

export async function saveShow(db: Queryable, show: Show, now: Date): Promise<void> {
  const row = {
    slide_key: show.slideKey,
    black: show.black,
    rehearsal: show.rehearsal,
    rehearsal_revealed: show.rehearsalRevealed,
    live_audience: show.liveAudience,
    live_hide_bars: show.liveHideBars,
    updated_at: now,
  };
  await db('ceremony_shows').insert({ edition_id: show.editionId, ...row }).onConflict('edition_id').merge(row);
}
