// The reader's language: their explicit choice (cookie/session, remembered on their user), else the
// configured default (SPEC §6). Puts t() and the Intl formatters on req and in every view.
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config';
import { formatters, isLocale, translate, type Locale, type Params } from '../i18n';

export const LOCALE_COOKIE = 'lang';

declare global {
  namespace Express {
    interface Request {
      t(key: string, params?: Params): string;
    }
  }
}

/**
 * What colleagues write (titles, lessons, names of teams) is in Swedish. On a page in another language
 * the element holding it says so (WCAG 3.1.2): views write `<p<%- langSv %>>`.
 */
export function langSv(locale: Locale): string {
  return locale === 'sv' ? '' : ' lang="sv"';
}

/** An edition's name as we give it ("Årets misstag 2026") is ours to translate; a name an admin chose is not. */
export function editionTitle(locale: Locale, title: string): string {
  const ours = /^Årets misstag (\d{4})$/.exec(title);
  return ours ? translate(locale, 'edition.defaultTitle', { year: ours[1] }) : title;
}

export function localeMiddleware(config: Config) {
  return (req: Request, res: Response, next: NextFunction) => {
    const fromCookie = req.cookies?.[LOCALE_COOKIE];
    const locale: Locale = isLocale(req.session?.locale) ? req.session.locale : isLocale(fromCookie) ? fromCookie : config.defaultLocale;
    req.locale = locale;
    req.t = (key, params) => translate(locale, key, params);
    res.locals.locale = locale;
    res.locals.t = req.t;
    res.locals.fmt = formatters(locale);
    res.locals.langSv = langSv(locale);
    res.locals.editionTitle = (title: string) => editionTitle(locale, title);
    next();
  };
}

/** After loadViewer: a signed-in user's saved choice wins over the default. */
export function applyUserLocale(req: Request, res: Response, next: NextFunction): void {
  const saved = req.viewer?.user.locale;
  if (saved && !isLocale(req.session?.locale) && !isLocale(req.cookies?.[LOCALE_COOKIE]) && saved !== req.locale) {
    req.locale = saved;
    req.t = (key, params) => translate(saved, key, params);
    res.locals.locale = saved;
    res.locals.t = req.t;
    res.locals.fmt = formatters(saved);
    res.locals.langSv = langSv(saved);
    res.locals.editionTitle = (title: string) => editionTitle(saved, title);
  }
  next();
}

export function flash(req: Request, kind: 'success' | 'info' | 'error', key: string, params?: Record<string, string | number>): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, key, params }];
}
