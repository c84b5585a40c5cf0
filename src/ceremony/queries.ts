// The ceremony's own tables: the running show, and the edition's reveal. The entries' texts come from
// the nominations service, the decision from the jury's lockedResult(), the counts from voting.
import type { Queryable } from '../db';
import { toBool } from '../db';

type Row = Record<string, unknown>;

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
