// Who sends the hardening tests' requests: an employee, the jury chair and an admin, each signed in
// with a CSRF token, and for each path the one whose pages it is (so a request reaches the route's
// own code instead of stopping at the role check). Shared by the hostile-input and event-loop tests.
import type { Agent, TestContext } from '../helpers/context';
import { routeKey, routeTable, type RouteEntry } from './route-table';

export type Actors = { agents: Record<string, Agent>; tokens: Record<string, string> };

export const actorFor = (path: string): string =>
  path.startsWith('/admin') ? 'admin@example.org' : path.startsWith('/jury') || path.startsWith('/ceremony') ? 'cecilia@example.org' : 'anna@example.org';

export async function signInActors(ctx: TestContext): Promise<Actors> {
  const agents: Record<string, Agent> = {};
  const tokens: Record<string, string> = {};
  for (const email of ['anna@example.org', 'cecilia@example.org', 'admin@example.org']) {
    agents[email] = await ctx.signIn(email);
    tokens[email] = await agents[email].csrf();
  }
  return { agents, tokens };
}

/** Every route but signing in and out (the actors must stay signed in). */
export const hardenedRoutes = (ctx: TestContext): RouteEntry[] => routeTable(ctx.app).filter((r) => !['POST /auth/logout', 'POST /auth/dev'].includes(routeKey(r)));
