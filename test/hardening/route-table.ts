// The app's own route table, read from Express 5's router (app.router.stack; router 2.x layers carry
// `route` for routes and `handle.stack` for mounted routers, with the mount path in `rawPath`). The
// authorization matrix and the hostile-input corpus are generated from it, so a route added later is
// tested (or fails the test, asking for an expectation) without anyone listing it by hand.
import type express from 'express';

export type RouteEntry = { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; params: string[] };

type Layer = {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
  slash?: boolean;
};

function walk(stack: Layer[], prefix: string, out: Map<string, RouteEntry>): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (!on || method === '_all') continue;
          const m = method.toUpperCase() as RouteEntry['method'];
          const full = (prefix + p).replace(/\/+/g, '/');
          out.set(`${m} ${full}`, { method: m, path: full, params: [...full.matchAll(/:(\w+)/g)].map((x) => x[1]) });
        }
      }
    } else if (layer.handle?.stack) {
      const mount = layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath;
      walk(layer.handle.stack, prefix + mount, out);
    }
  }
}

/** Every route as "METHOD /path/:param", sorted; HEAD is implied by GET in Express and left out. */
export function routeTable(app: express.Express): RouteEntry[] {
  const router = (app as unknown as { router: { stack: Layer[] } }).router;
  const out = new Map<string, RouteEntry>();
  walk(router.stack, '', out);
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r);
}

export const routeKey = (r: RouteEntry): string => `${r.method} ${r.path}`;

/** Fills a route's parameters from a map of values (unknown parameters get `fallback`). */
export function fillPath(r: RouteEntry, values: Record<string, string | number>, fallback = '1'): string {
  return r.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(values[name] ?? fallback)));
}

const matcher = (r: RouteEntry) => new RegExp(`^${r.path.replace(/:(\w+)/g, '[^/]+')}$`);

/**
 * The form fields each POST route's forms carry, read from the pages the GET routes render (`get`
 * fetches a page as the right user). Shared by the hostile-input and event-loop tests.
 */
export async function formFieldsOf(routes: RouteEntry[], values: Record<string, string | number>, get: (path: string) => Promise<{ type: string; text: string }>): Promise<Map<string, Set<string>>> {
  const fields = new Map<string, Set<string>>();
  const posts = routes.filter((r) => r.method === 'POST');
  for (const r of routes.filter((x) => x.method === 'GET' && !x.path.includes('stream') && !x.path.endsWith('.csv') && !x.path.endsWith('.json'))) {
    const path = fillPath(r, values);
    const res = await get(path);
    if (!res.type.includes('html')) continue;
    for (const form of res.text.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)) {
      const action = /action="([^"]*)"/.exec(form[0])?.[1]?.replace(/&amp;/g, '&').split('?')[0] ?? path;
      if (!/method="post"/i.test(form[0])) continue;
      const target = posts.find((p) => matcher(p).test(action));
      if (!target) continue;
      const set = fields.get(routeKey(target)) ?? new Set<string>();
      for (const m of form[0].matchAll(/<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"/g)) if (m[1] !== '_csrf') set.add(m[1]);
      fields.set(routeKey(target), set);
    }
  }
  return fields;
}
