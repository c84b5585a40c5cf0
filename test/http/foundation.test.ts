import { createTestContext, visibleText, type TestContext } from '../helpers/context';
import { LOCALE_COOKIE } from '../../src/http/locale';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

describe('health', () => {
  test('when the process is up, then /healthz answers ok without sign-in', async () => {
    const res = await ctx.anonymous().get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('when the database is reachable, then /readyz says so', async () => {
    const res = await ctx.anonymous().get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.database).toBe('ok');
  });
});

describe('signing in', () => {
  test('when a signed-out visitor opens a page, then they are sent to sign-in and come back to it afterwards', async () => {
    const agent = ctx.anonymous();
    const first = await agent.get('/nominate?from=intranet');
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/auth/login');
    const login = await agent.get('/auth/login');
    expect(login.headers.location).toBe('/auth/dev');
    const token = await agent.csrf();
    const signIn = await agent.post('/auth/dev').type('form').send({ _csrf: token, email: 'anna@example.org' });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/nominate?from=intranet');
  });

  test('when a signed-in user opens the sign-in page, then they are sent on to the home page', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const res = await agent.get('/auth/login');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  test('when a signed-out script asks for JSON, then it gets 401 and no redirect', async () => {
    const res = await ctx.anonymous().get('/').set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('Du behöver logga in.');
  });

  test('when the demo sign-in page is opened, then it lists the demo users', async () => {
    const res = await ctx.anonymous().get('/auth/dev');
    const text = visibleText(res.text);
    for (const name of ['Anna Lindqvist', 'Bo Ekström', 'Cecilia Nordin', 'David Holm', 'Eva Sjöberg', 'Alva Admin']) {
      expect(text).toContain(name);
    }
  });

  test('when someone tries an unknown e-mail, then they get a clear message and are not signed in', async () => {
    const agent = ctx.anonymous();
    const token = await agent.csrf();
    const res = await agent.post('/auth/dev').type('form').send({ _csrf: token, email: 'mallory@example.org' });
    expect(res.status).toBe(400);
    expect(visibleText(res.text)).toContain('Det finns ingen demoanvändare med den e-postadressen.');
    expect((await agent.get('/')).status).toBe(303);
  });

  test('when a user signs in, then the session id changes and the session is stored in the database', async () => {
    const agent = ctx.anonymous();
    const token = await agent.csrf();
    const before = (await ctx.db('sessions').select('sid')).map((r) => r.sid);
    const res = await agent.post('/auth/dev').type('form').send({ _csrf: token, email: 'bo@example.org' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/am\.sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const after = await ctx.db('sessions').select('sid', 'sess');
    const mine = after.filter((r) => String(r.sess).includes('"userId"') && !before.includes(r.sid));
    expect(mine.length).toBeGreaterThanOrEqual(1);
  });

  test('when a user signs out, then the session ends and pages need sign-in again', async () => {
    const agent = await ctx.signIn('bo@example.org');
    expect((await agent.get('/')).status).toBe(200);
    const token = await agent.csrf();
    const out = await agent.post('/auth/logout').type('form').send({ _csrf: token });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/auth/signed-out');
    expect((await agent.get('/')).status).toBe(303);
  });
});

describe('home page per role', () => {
  test('when an employee signs in during voting, then the one action is to vote', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const res = await agent.get('/');
    const text = visibleText(res.text);
    expect(text).toContain('Hej Anna Lindqvist!');
    // Everyone is an employee: the page does not say so (R10).
    expect(text).not.toContain('Dina roller');
    expect(res.text).toMatch(/class="button button--large" href="\/entries">Läs bidragen och rösta/);
    expect(res.text).not.toContain('href="/admin"');
    expect(res.text).not.toContain('href="/jury"');
    // Where my votes went is always one click away (V2).
    expect(res.text).toContain('<a href="/votes">Mina röster</a>');
  });

  test('when the jury chair signs in, then the navigation has the jury link', async () => {
    const agent = await ctx.signIn('cecilia@example.org');
    const res = await agent.get('/');
    expect(res.text).toContain('<a href="/jury">Jury</a>');
  });

  test('when the admin signs in, then the navigation has administration', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const res = await agent.get('/');
    expect(res.text).toContain('<a href="/admin">Administration</a>');
  });

  test('when judging is open, then a juror is sent to score', async () => {
    const now = ctx.clock.now();
    ctx.clock.advance(23 * 24 * 60 * 60 * 1000);
    try {
      const agent = await ctx.signIn('david@example.org');
      const res = await agent.get('/');
      expect(res.text).toMatch(/class="button button--large" href="\/jury">Bedöm bidragen/);
    } finally {
      ctx.clock.set(now);
    }
  });
});

describe('security', () => {
  test('when a form is posted without the CSRF token, then it gets 403 with a Swedish page and nothing changes', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const res = await agent.post('/auth/logout').type('form').send({});
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('Sidan har varit öppen för länge');
    expect((await agent.get('/')).status).toBe(200); // still signed in
  });

  test('when a multipart form is posted without the CSRF token, then it gets 403', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const res = await agent.post('/auth/logout').field('x', '1').attach('file', Buffer.from('hello'), 'a.txt');
    expect(res.status).toBe(403);
    expect((await agent.get('/')).status).toBe(200);
  });

  test('when a form is posted with a wrong CSRF token, then it gets 403', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const res = await agent.post('/auth/logout').type('form').send({ _csrf: 'nope' });
    expect(res.status).toBe(403);
  });

  test('when a page is served, then strict security headers are set', async () => {
    const res = await ctx.anonymous().get('/auth/dev');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  test('when a page has inline script or style attributes, then the CSP would break it: there are none', async () => {
    const agent = await ctx.signIn('admin@example.org');
    for (const path of ['/', '/accessibility', '/does-not-exist']) {
      const html = (await agent.get(path)).text;
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle="/);
      expect(html).not.toMatch(/\son[a-z]+="/);
    }
  });

  test('when the language switch carries an outside address, then it returns home instead', async () => {
    const agent = ctx.anonymous();
    const token = await agent.csrf();
    const res = await agent.post('/lang').type('form').send({ _csrf: token, locale: 'en', next: '//evil.example.com' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  test('when the language is switched with a GET (a link or an image on another site), then nothing changes', async () => {
    const agent = await ctx.signIn('david@example.org');
    const res = await agent.get('/lang/en?next=/');
    expect(res.status).toBe(404);
    // No language cookie is set (a session cookie's random id may contain the letters "en" by chance).
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.map((c) => c.split('=')[0])).not.toContain(LOCALE_COOKIE);
    expect((await ctx.db('users').where({ email: 'david@example.org' }).first()).locale).not.toBe('en');
    expect((await agent.get('/')).text).toContain('<html lang="sv">');
  });

  test('when the language switch has no CSRF token or an unknown language, then it is refused and nothing changes', async () => {
    const agent = await ctx.signIn('david@example.org');
    const noToken = await agent.post('/lang').type('form').send({ locale: 'en', next: '/' });
    expect(noToken.status).toBe(403);
    const unknown = await agent.post('/lang').type('form').send({ _csrf: await agent.csrf(), locale: 'de', next: '/' });
    expect(unknown.status).toBe(400);
    expect(visibleText(unknown.text)).toContain('Vi kunde inte förstå det som skickades. Inget har ändrats.');
    expect((await agent.get('/')).text).toContain('<html lang="sv">');
  });

  test('when a body is malformed JSON, then the answer is a 400 without a stack trace', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const token = await agent.csrf();
    const res = await agent.post('/auth/logout').set('x-csrf-token', token).set('Content-Type', 'application/json').send('{"a":');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});

describe('languages and errors', () => {
  test('when a page does not exist, then a Swedish 404 page with a way home is shown', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const res = await agent.get('/finns-inte');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<html lang="sv">');
    expect(visibleText(res.text)).toContain('Sidan finns inte');
    expect(res.text).toContain('href="/"');
  });

  test('when the user switches to English, then the choice is remembered on their account and in later sessions', async () => {
    const agent = await ctx.signIn('eva@example.org');
    const switched = await agent.chooseLocale('en', '/finns-inte');
    expect(switched.headers.location).toBe('/finns-inte');
    const res = await agent.get('/finns-inte');
    expect(res.text).toContain('<html lang="en">');
    expect(visibleText(res.text)).toContain('Page not found');
    const user = await ctx.db('users').where({ email: 'eva@example.org' }).first();
    expect(user.locale).toBe('en');
    // A new browser (no cookie) signing in as Eva gets English from her account.
    const fresh = await ctx.signIn('eva@example.org');
    expect((await fresh.get('/')).text).toContain('<html lang="en">');
  });

  test('when the accessibility statement is opened signed out, then it is there in Swedish', async () => {
    const res = await ctx.anonymous().get('/accessibility');
    expect(res.status).toBe(200);
    expect(visibleText(res.text)).toContain('Tillgänglighetsredogörelse');
    expect(visibleText(res.text)).toContain('Myndigheten för digital förvaltning');
  });

  test('when every page is rendered, then its footer links to the accessibility statement', async () => {
    const agent = await ctx.signIn('anna@example.org');
    for (const path of ['/', '/finns-inte']) {
      expect((await agent.get(path)).text).toContain('href="/accessibility"');
    }
  });
});

describe('roles', () => {
  test('when an employee opens the admin page, then it is refused with 403 in Swedish', async () => {
    const agent = await ctx.signIn('anna@example.org');
    const res = await agent.get('/admin');
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('Du har inte behörighet');
  });

  test('when the admin opens the admin page, then it is there', async () => {
    const agent = await ctx.signIn('admin@example.org');
    const res = await agent.get('/admin');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Administration</h1>');
  });
});

describe('accessibility statement contact', () => {
  test('when a contact e-mail and phone are configured, then the statement gives them in both places a reader needs them', async () => {
    const configured = await createTestContext({ env: { ACCESSIBILITY_EMAIL: 'tillganglighet@helsingborg.se', ACCESSIBILITY_PHONE: '042-10 50 00' } });
    try {
      const text = visibleText((await configured.anonymous().get('/accessibility')).text);
      expect(text).toContain('kommunikationsavdelningen hos Helsingborgs stad: e-post tillganglighet@helsingborg.se , telefon 042-10 50 00.');
      expect(text).toContain('meddela kommunikationsavdelningen: e-post tillganglighet@helsingborg.se , telefon 042-10 50 00. Då får vi veta att problemet finns.');
      expect(text.match(/tillganglighet@helsingborg\.se/g)?.length).toBe(2);
      expect(text).not.toContain('via intranätet eller växeln');
    } finally {
      await configured.close();
    }
  });
});
