// A memo that lives for one GET (or HEAD) request: a read that several parts of a page make — the
// current edition is read by the viewer's roles, the voting panel and the page itself — goes to the
// database once per page view. Only safe methods get a scope (a GET changes nothing, so a value read
// early in it is still true at its end), and reads inside a transaction always go to the database.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Queryable } from '../db';

const scope = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/** Middleware, first in the chain: opens the memo for GET and HEAD requests. */
export function requestMemoScope(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') scope.run(new Map(), next);
  else next();
}

/** `load()` once per request and key; outside a GET request or inside a transaction, every time. */
export function memoForRequest<T>(key: string, db: Queryable, load: () => Promise<T>): Promise<T> {
  const store = scope.getStore();
  if (!store || (db as { isTransaction?: boolean }).isTransaction) return load();
  let value = store.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    store.set(key, value);
    value.catch(() => store.delete(key));
  }
  return value;
}
