// A part of a page that is the same for everyone who sees the same object in the same language (a
// gallery card: its text, not its vote button) is rendered once and kept while the object lives.
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
