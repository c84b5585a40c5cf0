// Authorization matrix (SPEC §6, issue 9 point 4), generated from the router's own route table: every
// route is requested as signed out, employee, juror, chair and admin, and the answer must be the one
// written down in EXPECTED below. A route without a line there fails the test with the line to add.
//
// Requests: GET routes use real objects (a published entry, the employee's own nomination, …) so the
// allowed roles see the page; POST routes carry a valid CSRF token and an empty form, and ids that do
// not exist (999999), so an allowed role gets a 4xx from the route itself (404, 400, 422, 409) and a
// refused one the guard's 401/403 — without changing the demo data the later rows depend on.
import type request from 'supertest';
import { createTestContext, type Agent, type TestContext } from '../helpers/context';
import { fillPath, routeKey, routeTable, type RouteEntry } from '../hardening/route-table';

jest.setTimeout(180_000);

const ROLES = ['signed out', 'employee', 'juror', 'chair', 'admin'] as const;
type Role = (typeof ROLES)[number];
const EMAILS: Record<Exclude<Role, 'signed out'>, string> = {
  employee: 'anna@example.org',
  juror: 'david@example.org',
  chair: 'cecilia@example.org',
  admin: 'admin@example.org',
};

/**
 * Expected status per role: [signed out, employee (anna), juror (david), chair (cecilia), admin].
 * Signed out, a page redirects to sign-in (303) and a form post gets 401. Demo data, current edition
 * with nomination and voting open (SPEC §5).
 */
const EXPECTED: Record<string, [number, number, number, number, number]> = {
  // ---- open to everyone
  'GET /accessibility': [200, 200, 200, 200, 200],
  'GET /auth/dev': [200, 200, 200, 200, 200],
  'GET /auth/login': [303, 303, 303, 303, 303],
  'GET /auth/signed-out': [200, 200, 200, 200, 200],
  'GET /healthz': [200, 200, 200, 200, 200],
  'POST /lang': [400, 400, 400, 400, 400], // no locale in the body
  'GET /readyz': [200, 200, 200, 200, 200],
  'POST /auth/dev': [400, 400, 400, 400, 400], // no e-mail given
  'POST /auth/logout': [303, 303, 303, 303, 303],

  // ---- every signed-in employee
  'GET /': [303, 200, 200, 200, 200],
  'GET /archive': [303, 200, 200, 200, 200],
  'GET /archive/:year': [303, 200, 200, 200, 200],
  'GET /entries': [303, 200, 200, 200, 200],
  'GET /entries/:id': [303, 200, 200, 200, 200],
  'GET /live': [303, 200, 200, 200, 200],
  'GET /live/stream': [401, 200, 200, 200, 200],
  'POST /live/join': [303, 400, 400, 400, 400], // signed out: sign in first (employees only); no poll open
  'GET /me': [303, 200, 200, 200, 200],
  'POST /me/data.json': [401, 200, 200, 200, 200],
  'GET /nominate': [303, 200, 200, 200, 200],
  'GET /nominations/colleagues': [303, 200, 200, 200, 200],
  'GET /nominations/mine': [303, 200, 200, 200, 200],
  'GET /notifications': [303, 200, 200, 200, 200],
  'POST /notifications/:id/open': [401, 404, 404, 404, 404], // someone else's or no notification
  'GET /votes': [303, 200, 200, 200, 200],
  'GET /votes/move': [303, 404, 404, 404, 404], // no entry named: nothing to move to
  'GET /nominations/:id/thanks': [303, 403, 403, 403, 403], // someone else's nomination
  'POST /live/vote': [401, 400, 400, 400, 400], // no poll open
  'POST /nominate': [401, 422, 422, 422, 422], // empty form
  'POST /notifications/read': [401, 303, 303, 303, 303],
  'POST /votes': [401, 404, 404, 404, 404],
  'POST /votes/move': [401, 404, 404, 404, 404],
  'POST /votes/withdraw': [401, 404, 404, 404, 404],

  // ---- objects that belong to someone: only their owner (anna's nomination, anna's consent request)
  'GET /attachments/:id': [303, 404, 404, 404, 404], // the demo has no attachment
  'GET /attachments/:id/thumb': [303, 404, 404, 404, 404],
  'GET /consent/:token': [303, 200, 403, 403, 403],
  'GET /nominations/:id/edit': [303, 303, 403, 403, 403], // published: the owner is sent to the entry
  'GET /nominations/:id/withdraw': [303, 403, 403, 403, 403], // bo's entry
  'POST /consent/:token': [401, 404, 404, 404, 404],
  'POST /nominations/:id': [401, 404, 404, 404, 404],
  'POST /nominations/:id/withdraw': [401, 404, 404, 404, 404],

  // ---- jury (david, cecilia chairs); admins see the ranking and decision but do not score
  'GET /jury': [303, 403, 200, 200, 303],
  'GET /jury/decision': [303, 403, 200, 200, 200],
  'GET /jury/entries/:id': [303, 403, 200, 200, 403],
  'GET /jury/entries/:id/discussion': [303, 403, 403, 403, 403], // J5: not before one's own scores
  'GET /jury/ranking': [303, 403, 200, 200, 200],
  'POST /jury/decision': [401, 403, 403, 409, 403], // the chair only
  'POST /jury/decision/lock': [401, 403, 403, 422, 403],
  'POST /jury/decision/unlock': [401, 403, 403, 422, 422], // admin or chair; the empty form needs a reason
  'POST /jury/entries/:id': [401, 403, 404, 404, 403],
  'POST /jury/entries/:id/conflict': [401, 403, 404, 404, 403],
  'POST /jury/entries/:id/conflict/withdraw': [401, 403, 404, 404, 403],

  // ---- ceremony: presenters (chair, admin) before the reveal
  // Colleagues are sent to the audience view (before the reveal) or the replay (after it).
  'GET /ceremony/:year': [303, 303, 303, 200, 200],
  'GET /ceremony/:year/screen': [303, 200, 200, 200, 200],
  'GET /ceremony/:year/screen/stream': [303, 200, 200, 200, 200],
  'GET /ceremony/:year/slides': [303, 403, 403, 200, 200],
  'POST /ceremony/:year/live/settings': [401, 403, 403, 400, 400], // no audience chosen
  'POST /ceremony/:year/rehearsal': [401, 403, 403, 303, 303],
  'POST /ceremony/:year/show': [401, 403, 403, 400, 400], // no move given
  'GET /ceremony/:year/calendar.ics': [303, 200, 200, 200, 200],
  'GET /ceremony/:year/live/counts': [303, 403, 403, 200, 200],
  'GET /ceremony/:year/live/stream': [303, 403, 403, 200, 200],
  'POST /ceremony/:year/live/close': [401, 403, 403, 303, 303], // nothing open: nothing to close
  'POST /ceremony/:year/live/open': [401, 403, 403, 409, 409], // no finalists yet
  'POST /ceremony/:year/reveal': [401, 403, 403, 303, 303], // not confirmed: back to the presenter's view

  // ---- admin
  'GET /admin': [303, 403, 403, 403, 200],
  'GET /admin/audit': [303, 403, 403, 403, 200],
  'GET /admin/cards': [303, 403, 403, 403, 200],
  'GET /admin/cards/:id/:file': [303, 403, 403, 403, 404], // not a finalist
  'GET /admin/editions': [303, 403, 403, 403, 200],
  'GET /admin/editions/:id': [303, 403, 403, 403, 200],
  'GET /admin/exports': [303, 403, 403, 403, 200],
  'POST /admin/exports/entries.csv': [401, 403, 403, 403, 200],
  'POST /admin/exports/finalists': [401, 403, 403, 403, 200],
  'POST /admin/exports/scores.csv': [401, 403, 403, 403, 200],
  'POST /admin/exports/votes.csv': [401, 403, 403, 403, 409], // V3: sealed while voting is open
  'GET /admin/jury': [303, 403, 403, 403, 200],
  'GET /admin/moderation': [303, 403, 403, 403, 200],
  'GET /admin/moderation/:id': [303, 403, 403, 403, 200],
  'GET /admin/users': [303, 403, 403, 403, 200],
  'GET /admin/users/:id': [303, 403, 403, 403, 200],
  'POST /admin/editions': [401, 403, 403, 403, 422],
  'POST /admin/editions/:id': [401, 403, 403, 403, 404],
  'POST /admin/editions/:id/archive': [401, 403, 403, 403, 404],
  'POST /admin/editions/:id/copy': [401, 403, 403, 403, 404],
  'POST /admin/editions/:id/phase': [401, 403, 403, 403, 404],
  'POST /admin/jury/members': [401, 403, 403, 403, 404],
  'POST /admin/jury/members/:userId/chair': [401, 403, 403, 403, 404],
  'POST /admin/jury/members/:userId/remove': [401, 403, 403, 403, 404],
  'POST /admin/moderation/:id/:action': [401, 403, 403, 403, 404],
  'POST /admin/reminders/jury': [401, 403, 403, 403, 409], // judging has not begun
  'POST /admin/users/:id/anonymise': [401, 403, 403, 403, 404],
  'POST /admin/users/:id/role': [401, 403, 403, 403, 400],
};

const MUTATING_LAST = ['POST /auth/logout'];

describe('authorization matrix', () => {
  let ctx: TestContext;
  let routes: RouteEntry[];
  const agents = {} as Record<Role, Agent>;
  const tokens = {} as Record<Role, string>;
  let getValues: Record<string, Record<string, string | number>>;

  beforeAll(async () => {
    ctx = await createTestContext();
    routes = routeTable(ctx.app);
    agents['signed out'] = ctx.anonymous();
    for (const role of ROLES) {
      if (role !== 'signed out') agents[role] = await ctx.signIn(EMAILS[role]);
      tokens[role] = await agents[role].csrf();
    }
    const db = ctx.db;
    const current = await db('editions').whereNull('archived_at').first();
    const previous = await db('editions').whereNotNull('archived_at').orderBy('year', 'desc').first();
    const anna = await db('users').where({ email: 'anna@example.org' }).first();
    const bo = await db('users').where({ email: 'bo@example.org' }).first();
    const entry = await db('nominations').where({ edition_id: current.id, status: 'published', submitter_id: bo.id }).orderBy('id').first();
    const annasOwn = await db('nominations').where({ submitter_id: anna.id, edition_id: current.id }).orderBy('id').first();
    const inModeration = await db('nominations').where({ edition_id: current.id, status: 'in_moderation' }).orderBy('id').first();
    const pending = await db('nominees').where({ consent: 'pending' }).orderBy('id').first();
    const attachment = await db('attachments').orderBy('id').first();
    // Real objects for GET; per-route overrides where a parameter means different things.
    const base = { id: entry.id, year: current.year, locale: 'sv', token: pending?.consent_token ?? 'x'.repeat(32), userId: anna.id, file: 'square.png', action: 'publish' };
    getValues = {
      default: base,
      'GET /nominations/:id/edit': { ...base, id: annasOwn.id },
      'GET /admin/moderation/:id': { ...base, id: inModeration?.id ?? 999999 },
      'GET /admin/users/:id': { ...base, id: anna.id },
      'GET /admin/editions/:id': { ...base, id: current.id },
      'GET /archive/:year': { ...base, year: previous.year },
      'GET /attachments/:id': { ...base, id: attachment?.id ?? 999999 },
      'GET /attachments/:id/thumb': { ...base, id: attachment?.id ?? 999999 },
      'POST /notifications/:id/open': { ...base, id: 999999 },
      'GET /admin/cards/:id/:file': { ...base, id: entry.id },
    };
  });

  afterAll(async () => {
    await ctx.close();
  });

  async function requestAs(role: Role, r: RouteEntry): Promise<request.Response> {
    const agent = agents[role];
    if (r.method === 'GET') {
      const values = getValues[routeKey(r)] ?? getValues.default;
      // Only the status line and headers matter here: the body is dropped as soon as it starts, so an
      // event stream (which never ends) answers like any page.
      return agent
        .get(fillPath(r, values))
        .redirects(0)
        .timeout({ deadline: 20_000 })
        .buffer(false)
        .parse((res, done) => {
          (res as unknown as { destroy(): void }).destroy();
          done(null, null);
        });
    }
    // Form posts: ids that do not exist, a year without an edition, an unknown token.
    // The ceremony's posts use the real year: the presenter check is the point there, and with no
    // locked result and no finalists in the demo, an allowed presenter gets 409 and nothing happens.
    const year = r.path.startsWith('/ceremony/') ? (getValues.default.year as number) : 1900;
    const values = { id: 999999, userId: 999999, year, token: 'y'.repeat(32), locale: 'sv', file: 'square.png', action: 'publish' };
    const req = agent[r.method.toLowerCase() as 'post'](fillPath(r, values)).redirects(0).type('form');
    return req.timeout({ deadline: 20_000 }).send({ _csrf: tokens[role] });
  }

  test('when every route is requested by every role, then each answer is the one written down', async () => {
    const ordered = [...routes].sort((a, b) => Number(MUTATING_LAST.includes(routeKey(a))) - Number(MUTATING_LAST.includes(routeKey(b))) || Number(a.method !== 'GET') - Number(b.method !== 'GET'));
    const problems: string[] = [];
    const missing: string[] = [];
    const signInRedirects: string[] = [];
    for (const r of ordered) {
      const key = routeKey(r);
      const observed: number[] = [];
      for (const role of ROLES) {
        const res = await requestAs(role, r);
        observed.push(res.status);
        if (res.status >= 500) problems.push(`${key} as ${role}: ${res.status} (a server error)`);
        if (role === 'signed out' && res.status === 303 && r.method === 'GET' && !['GET /auth/login'].includes(key)) {
          if (!String(res.headers.location).startsWith('/auth/login')) signInRedirects.push(`${key}: redirects to ${res.headers.location}`);
        }
      }
      const expected = EXPECTED[key];
      if (!expected) {
        missing.push(`  '${key}': [${observed.join(', ')}],`);
        continue;
      }
      ROLES.forEach((role, i) => {
        if (observed[i] !== expected[i]) problems.push(`${key} as ${role}: expected ${expected[i]}, got ${observed[i]}`);
      });
    }
    if (missing.length) {
      problems.push(
        `${missing.length} route(s) have no expectation. Check each answer below (order: signed out, employee, juror, chair, admin) and, if it is right, add the line to EXPECTED in test/http/authz-matrix.test.ts:\n${missing.join('\n')}`,
      );
    }
    const stale = Object.keys(EXPECTED).filter((k) => !routes.some((r) => routeKey(r) === k));
    if (stale.length) problems.push(`EXPECTED names routes that no longer exist (remove them): ${stale.join(', ')}`);
    expect(signInRedirects).toEqual([]);
    expect(problems).toEqual([]);
  });
});
