import { foldForSearch } from '../i18n';

/** The folded text an entry is searched by (N6: Swedish case folding on both databases). */
export function buildSearchText(e: { title: string; whatHappened: string; lesson: string; changes: string; teamName?: string | null }): string {
  return foldForSearch([e.title, e.lesson, e.changes, e.whatHappened, e.teamName ?? ''].join('\n'));
}
