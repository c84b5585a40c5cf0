// Two ways for a view to render a part that a page repeats (a gallery has twelve cards) cheaply: ejs's
// `include` copies every one of the page's locals twice per call (issue 20).
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { viewsDir } from './paths';

// ---------------------------------------------------------------- the same for every reader

// A part that is the same for everyone who sees the same object in the same language (a gallery card's
// text, not its vote button) is rendered once and kept while the object lives.
//
// The key is the object itself. What read-cache hands out is never changed in place: a change makes a
// new object (a new key), and the old one's HTML goes with the old object (a WeakMap keeps nothing
// alive). So the HTML is as fresh as the object the page was about to render from; in development a
// template edit shows once the read-cache has loaded anew (within a second).
const rendered = new WeakMap<object, Map<string, string>>();

/** `variant`: everything besides `key` that the HTML depends on, e.g. the reader's language. */
export function renderedOnce(key: object, variant: string, render: () => string): string {
  let byVariant = rendered.get(key);
  if (!byVariant) {
    byVariant = new Map();
    rendered.set(key, byVariant);
  }
  let html = byVariant.get(variant);
  if (html === undefined) {
    html = render();
    byVariant.set(variant, html);
  }
  return html;
}

// ---------------------------------------------------------------- per reader, with few locals

/**
 * What every template is compiled with, by the view engine (src/app.ts) and by partial(). In production
 * kept and without compileDebug: no line bookkeeping per template statement (a tenth of a large page's
 * render); an error's stack then names the template's file name only, not its path or line.
 */
export function templateOptions(production: boolean): ejs.Options & { async: false; client?: false } {
  return { cache: production, compileDebug: !production, root: viewsDir(), views: [viewsDir()], async: false };
}

// Module-wide, set by the app's view engine: in one process every app has the same (production or not).
let keepCompiled = false;
const compiled = new Map<string, ejs.TemplateFunction>();

/** As the view engine: in production compiled templates are kept, in development read anew. */
export function keepCompiledPartials(keep: boolean): void {
  keepCompiled = keep;
  compiled.clear();
}

/**
 * Renders views/<name>.ejs with exactly `locals` (not the page's): for a part a page repeats per item,
 * whose feature knows what it needs (src/voting/routes.ts gives the vote button its seven).
 */
export function partial(name: string, locals: Record<string, unknown>): string {
  let template = keepCompiled ? compiled.get(name) : undefined;
  if (!template) {
    const filename = path.join(viewsDir(), `${name}.ejs`);
    template = ejs.compile(fs.readFileSync(filename, 'utf8'), { ...templateOptions(keepCompiled), filename });
    if (keepCompiled) compiled.set(name, template);
  }
  return template(locals);
}
