// Entra ID sign-in against a real OpenID Connect provider (oidc-provider over HTTPS, mounted like Entra
// at /<tenant>/v2.0), with the compiled app in its own process and Debian's Chromium in between.
// Issue 3: a full sign-in through the provider's own login page landing on the deep link; admin from a
// groups claim (and an app role); another tenant's token refused; a tampered state refused; cancel,
// stale and forged tokens and an unreachable provider each get a page to try again; sign-out ends the
// session and offers Microsoft's sign-out. Issue 19: every journey runs with both OpenID Connect clients
// behind src/auth/azure.ts (AUTH_OIDC_LIBRARY=passport-azure-ad, the default, and openid-client).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openDatabase, type Db } from '../../src/db';
import { projectRoot } from '../../src/paths';
import { expectAccessible, launchBrowser, chooseEnglish } from '../helpers/browser';
import { freePort, startApp, type RunningApp } from '../helpers/server';
import { OTHER_TENANT_ID, azureEnv, makeCertificate, startOidcProvider, testUser, type OidcProvider } from '../helpers/oidc-provider';

const ADMIN_GROUP = '6c1e2f3a-0b9d-4c8e-a7f6-112233445566';
const ADMIN_ROLE = 'Misstag.Admin';

const anna = testUser('anna', { department: 'Stadsbyggnadsförvaltningen' });
const chef = testUser('chef', { groups: ['0f0f0f0f-0000-4000-8000-000000000001', ADMIN_GROUP] });
const roller = testUser('roller', { roles: [ADMIN_ROLE] });
const bossen = testUser('bossen', { email: 'bossen@kommun.example' });
const guest = testUser('gast', { tid: OTHER_TENANT_ID });
const stale = testUser('stale', {}, 'expired');
const forged = testUser('forged', {}, 'bad-signature');
const everyone = [anna, chef, roller, bossen, guest, stale, forged];

let provider: OidcProvider;
let app: RunningApp;
/** The port of an app that is registered at the provider but configured with a wrong client secret. */
let wrongSecretPort: number;
let browser: Browser;
let db: Db;

const LIBRARIES = ['passport-azure-ad', 'openid-client'] as const;
let library: (typeof LIBRARIES)[number];
const libraryEnv: typeof azureEnv = (p, port, extra = {}) => azureEnv(p, port, { AUTH_OIDC_LIBRARY: library, ...extra });

describe.each(LIBRARIES)('with %s', (name) => {
  beforeAll(() => {
    library = name;
  });

  beforeAll(async () => {
    const appPort = await freePort();
    wrongSecretPort = await freePort();
    provider = await startOidcProvider({
      redirectUri: `http://127.0.0.1:${appPort}/auth/callback`,
      extraRedirectUris: [`http://127.0.0.1:${wrongSecretPort}/auth/callback`],
      postLogoutRedirectUri: `http://127.0.0.1:${appPort}/auth/login`,
      users: everyone,
    });
    app = await startApp(libraryEnv(provider, appPort, { ADMIN_GROUP_IDS: ADMIN_GROUP, ADMIN_ROLE, ADMIN_EMAILS: 'Bossen@kommun.example' }));
    db = openDatabase({ dataDir: app.dataDir });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await db?.destroy();
    await app?.stop();
    await provider?.stop();
  });

  let context: BrowserContext;
  afterEach(async () => {
    await context?.close();
  });

  async function newPage(locale: 'sv' | 'en' = 'sv'): Promise<Page> {
    // The provider's certificate is self-signed for the test; the app trusts it through NODE_EXTRA_CA_CERTS.
    context = await browser.newContext({ ignoreHTTPSErrors: true });
    // Nothing leaves the machine (the provider's stock pages import a web font).
    await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    const page = await context.newPage();
    if (locale === 'en') await chooseEnglish(page, app.url, '/auth/login');
    return page;
  }

  /** At the provider's own login page: any password is accepted for a configured login. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.waitForURL((u) => u.href.startsWith(provider.issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('lösenord-som-appen-aldrig-ser');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.waitForURL((u) => u.href.startsWith(app.url));
    await page.waitForLoadState('domcontentloaded');
  }

  /**
   * Walks the sign-in in this browser context's cookie jar (context.request shares it) up to the moment
   * the provider sends the browser back, and returns that callback address without following it.
   */
  async function callbackFromProvider(login: string): Promise<URL> {
    let url = new URL(`${app.url}/auth/azure`);
    for (let step = 0; step < 10; step++) {
      let res = await context.request.get(url.href, { maxRedirects: 0 });
      if (res.status() === 200) {
        const action = /<form[^>]*action="([^"]+)"/.exec(await res.text())?.[1];
        if (!action) throw new Error(`no login form at ${url.href}`);
        res = await context.request.post(new URL(action, url).href, { form: { prompt: 'login', login, password: 'x' }, maxRedirects: 0 });
      }
      const location = res.headers()['location'];
      if (!location) throw new Error(`no redirect from ${url.href} (${res.status()})`);
      url = new URL(location, url);
      if (url.href.startsWith(`${app.url}/auth/callback?`)) return url;
    }
    throw new Error('the provider never sent the browser back');
  }

  async function signIn(page: Page, login: string): Promise<void> {
    await page.goto(`${app.url}/auth/login`);
    await page.getByRole('link', { name: /Logga in med ditt jobbkonto|Sign in with your work account/ }).click();
    await signInAtProvider(page, login);
  }

  async function sessionCookie() {
    return (await context.cookies(app.url)).find((c) => c.name === 'am.sid');
  }

  async function userRow(oid: string) {
    return db('users').where({ object_id: oid }).first();
  }

  async function expectSignedOut(page: Page): Promise<void> {
    await page.goto(`${app.url}/`);
    expect(new URL(page.url()).pathname).toBe('/auth/login');
  }

  test('when a sign-in starts, then the request to the provider carries a fresh state and nonce for the code flow in the query (and PKCE with openid-client)', async () => {
    const first = await fetch(`${app.url}/auth/azure`, { redirect: 'manual' });
    const second = await fetch(`${app.url}/auth/azure`, { redirect: 'manual' });
    const [a, b] = [first, second].map((r) => new URL(r.headers.get('location') ?? 'about:blank'));

    expect(first.status).toBe(302);
    expect(a.origin + a.pathname).toBe(`${provider.issuer}/auth`);
    expect(a.searchParams.get('client_id')).toBe(provider.clientId);
    expect(a.searchParams.get('response_type')).toBe('code');
    expect(a.searchParams.get('response_mode')).toBe('query');
    expect(a.searchParams.get('redirect_uri')).toBe(`${app.url}/auth/callback`);
    expect(a.searchParams.get('state')).toMatch(/^[\w-]{16,}$/);
    expect(a.searchParams.get('nonce')).toMatch(/^[\w-]{16,}$/);
    expect(b.searchParams.get('state')).not.toBe(a.searchParams.get('state'));
    expect(b.searchParams.get('nonce')).not.toBe(a.searchParams.get('nonce'));
    expect(a.searchParams.get('code_challenge_method')).toBe(name === 'openid-client' ? 'S256' : null);
  });

  describe.each(['sv', 'en'] as const)('signing in with Entra ID in %s', (locale) => {
    const text =
      locale === 'sv'
        ? { button: 'Logga in med ditt jobbkonto', signedInAs: 'Inloggad som Anna Testsson', signOut: 'Logga ut', signedOut: 'Du är utloggad.', msSignOut: 'Logga också ut från ditt Microsoft-konto', cancelled: 'Inloggningen avbröts', tryAgain: 'Försök igen' }
        : { button: 'Sign in with your work account', signedInAs: 'Signed in as Anna Testsson', signOut: 'Sign out', signedOut: 'You are signed out.', msSignOut: 'Also sign out of your Microsoft account', cancelled: 'Sign-in cancelled', tryAgain: 'Try again' };

    test('when an employee opens a deep link signed out, then they sign in at the provider and land on that link, and sign-out ends the session and offers Microsoft sign-out', async () => {
      const page = await newPage(locale);

      await page.goto(`${app.url}/nominate?source=intranet`);
      expect(new URL(page.url()).pathname).toBe('/auth/login');
      expect(await page.getAttribute('html', 'lang')).toBe(locale);
      await expectAccessible(page, `sign-in page (${locale})`);
      const before = await sessionCookie();
      await page.getByRole('link', { name: text.button }).click();

      await signInAtProvider(page, 'anna');
      const landed = new URL(page.url());
      expect(landed.pathname + landed.search).toBe('/nominate?source=intranet');
      expect(await page.locator('.who').innerText()).toBe(text.signedInAs);
      // A new session id at sign-in (no fixation), in an HttpOnly, SameSite=Lax cookie.
      const signedIn = await sessionCookie();
      expect(signedIn?.value).not.toBe(before?.value);
      expect(signedIn).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

      // Stored by tenant and object id, with name, e-mail and department from the claims.
      const row = await userRow(anna.claims.oid);
      expect(row).toMatchObject({ tenant_id: anna.claims.tid, name: 'Anna Testsson', email: 'anna@kommun.example', department: 'Stadsbyggnadsförvaltningen' });

      await page.getByRole('button', { name: text.signOut }).click();
      await page.waitForURL(`${app.url}/auth/signed-out`);
      expect(await page.locator('h1').innerText()).toBe(text.signedOut);
      await expectAccessible(page, `signed-out page (${locale})`);
      const msLink = page.getByRole('link', { name: text.msSignOut });
      const msHref = new URL((await msLink.getAttribute('href')) ?? '');
      expect(msHref.href.startsWith(`${provider.issuer}/session/end`)).toBe(true);
      expect(msHref.searchParams.get('post_logout_redirect_uri')).toBe(`${app.url}/auth/login`);

      await expectSignedOut(page);
      // The old session is gone on the server too: bringing its cookie back does not sign anyone in.
      await context.addCookies([{ name: 'am.sid', value: signedIn?.value ?? '', url: app.url }]);
      await expectSignedOut(page);

      // Signing out of Microsoft too: the provider's session ends and it sends the browser back to us.
      await page.goto(`${app.url}/auth/signed-out`);
      await page.getByRole('link', { name: text.msSignOut }).click();
      await page.waitForURL((u) => u.href.startsWith(provider.issuer));
      await page.locator('button[name="logout"][value="yes"]').click();
      await page.waitForURL(`${app.url}/auth/login`);
      // Next sign-in asks for the login again (the provider no longer knows the browser).
      await page.getByRole('link', { name: text.button }).click();
      await page.waitForURL((u) => u.href.startsWith(provider.issuer));
      await page.locator('input[name="login"]').waitFor();
    });

    test('when the employee cancels at the provider, then a page in their language offers to try again', async () => {
      const page = await newPage(locale);
      await page.goto(`${app.url}/auth/login`);
      await page.getByRole('link', { name: text.button }).click();
      await page.waitForURL((u) => u.href.startsWith(provider.issuer));
      await page.getByRole('link', { name: '[ Cancel ]' }).click();
      await page.waitForURL((u) => u.href.startsWith(`${app.url}/auth/callback`));

      expect(new URL(page.url()).searchParams.get('error')).toBe('access_denied');
      expect(await page.locator('h1').innerText()).toBe(text.cancelled);
      await expectAccessible(page, `sign-in cancelled (${locale})`);
      await expectSignedOut(page);

      await page.goBack();
      await page.getByRole('link', { name: text.tryAgain }).click();
      await signInAtProvider(page, 'anna');
      expect(new URL(page.url()).pathname).toBe('/');
    });

    test('when a token for another organisation comes back, then it is refused with a clear page and no user is created', async () => {
      const page = await newPage(locale);
      await signIn(page, 'gast');

      expect(new URL(page.url()).pathname).toBe('/auth/callback');
      expect(await page.locator('h1').innerText()).toBe(locale === 'sv' ? 'Kontot hör inte till Helsingborgs stad' : 'This account does not belong to Helsingborgs stad');
      await expectAccessible(page, `other tenant (${locale})`);
      expect(await page.getByRole('link', { name: text.tryAgain }).getAttribute('href')).toBe('/auth/azure');
      expect(await page.getByRole('link', { name: locale === 'sv' ? 'Logga ut från Microsoft' : 'Sign out of Microsoft' }).count()).toBe(1);
      expect(await userRow(guest.claims.oid)).toBeUndefined();
      await expectSignedOut(page);
    });

    test('when the state coming back has been tampered with, then the sign-in is refused and trying again works', async () => {
      const page = await newPage(locale);
      const callback = await callbackFromProvider('anna');
      callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
      await page.goto(callback.href);

      expect(await page.locator('h1').innerText()).toBe(locale === 'sv' ? 'Inloggningen kunde inte slutföras' : 'The sign-in could not be completed');
      await expectAccessible(page, `tampered state (${locale})`);
      await expectSignedOut(page);

      await page.goBack();
      await page.getByRole('link', { name: text.tryAgain }).click();
      // Still signed in at the provider: it sends the browser straight back with a fresh code.
      await page.waitForURL(`${app.url}/`);
      expect(await page.locator('.who').innerText()).toBe(text.signedInAs);
    });
  });

  test('when the groups claim holds an admin group, then the user becomes admin; without it, /admin is refused', async () => {
    let page = await newPage();
    await signIn(page, 'chef');
    await page.goto(`${app.url}/admin`);
    expect(await page.locator('h1').innerText()).toBe('Administration');
    expect(await userRow(chef.claims.oid)).toMatchObject({ admin_source: 'claim' });
    expect(Boolean((await userRow(chef.claims.oid)).is_admin)).toBe(true);
    await context.close();

    page = await newPage();
    await signIn(page, 'anna');
    const response = await page.goto(`${app.url}/admin`);
    expect(response?.status()).toBe(403);
    expect(Boolean((await userRow(anna.claims.oid)).is_admin)).toBe(false);
  });

  test.each([
    ['roller', 'the roles claim holds ADMIN_ROLE', 'claim', roller],
    ['bossen', 'the e-mail is in ADMIN_EMAILS', 'bootstrap', bossen],
  ] as const)('when %s signs in and %s, then they become admin (source %s)', async (_login, _why, source, user) => {
    const page = await newPage();
    await signIn(page, user.login);
    await page.goto(`${app.url}/admin`);
    expect(await page.locator('h1').innerText()).toBe('Administration');
    const row = await userRow(user.claims.oid);
    expect(Boolean(row.is_admin)).toBe(true);
    expect(row.admin_source).toBe(source);
  });

  test('when an admin promoted in the app signs in again without any admin claim, then they stay admin', async () => {
    let page = await newPage();
    await signIn(page, 'anna');
    await db('users').where({ object_id: anna.claims.oid }).update({ is_admin: true, admin_source: 'app' });
    await context.close();

    page = await newPage();
    await signIn(page, 'anna');
    await page.goto(`${app.url}/admin`);
    expect(await page.locator('h1').innerText()).toBe('Administration');
    await db('users').where({ object_id: anna.claims.oid }).update({ is_admin: false, admin_source: null });
  });

  test('when someone signs in again after their name, department and groups changed in Entra ID, then the same user is refreshed', async () => {
    let page = await newPage();
    await signIn(page, 'chef');
    const before = await userRow(chef.claims.oid);
    await context.close();

    provider.setUsers(everyone.map((u) => (u === chef ? { ...chef, claims: { ...chef.claims, name: 'Chef Omdöpt', department: 'Kulturförvaltningen', groups: [] } } : u)));
    try {
      page = await newPage();
      await signIn(page, 'chef');
      const after = await userRow(chef.claims.oid);
      expect(after.id).toBe(before.id);
      expect(after).toMatchObject({ name: 'Chef Omdöpt', department: 'Kulturförvaltningen' });
      // The admin group was taken away in Entra ID, so the admin role given by the claim goes too.
      expect(Boolean(after.is_admin)).toBe(false);
      expect(await db('users').where({ object_id: chef.claims.oid }).count({ n: '*' })).toEqual([{ n: 1 }]);
    } finally {
      provider.setUsers(everyone);
    }
  });

  test.each([
    ['stale', 'an expired ID token', 'Inloggningen har gått ut'],
    ['forged', 'an ID token with a broken signature', 'Inloggningen kunde inte godkännas'],
  ])('when the provider answers %s with %s, then it is refused with a page to try again', async (login, _what, title) => {
    const page = await newPage();
    await signIn(page, login);
    expect(new URL(page.url()).pathname).toBe('/auth/callback');
    expect(await page.locator('h1').innerText()).toBe(title);
    expect(await page.getByRole('link', { name: 'Försök igen' }).count()).toBe(1);
    const user = login === 'stale' ? stale : forged;
    expect(await userRow(user.claims.oid)).toBeUndefined();
    await expectSignedOut(page);
  });

  test('when the callback is called without a sign-in started here, then a 400 page in Swedish explains it (never a 500)', async () => {
    const response = await fetch(`${app.url}/auth/callback?code=made-up&state=${'a'.repeat(32)}`);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Inloggningen kunde inte slutföras');
    expect(html).toContain('href="/auth/azure"');
    expect(html).not.toMatch(/at .*\.js:\d+/);
  });

  describe('when the provider cannot be reached', () => {
    let offline: RunningApp;
    beforeAll(async () => {
      const appPort = await freePort();
      const deadPort = await freePort();
      offline = await startApp(
        libraryEnv(provider, appPort, { AZURE_AD_METADATA_URL: `https://127.0.0.1:${deadPort}/${provider.tenantId}/v2.0/.well-known/openid-configuration` }),
      );
    });
    afterAll(async () => {
      await offline?.stop();
    });

    test.each(['sv', 'en'] as const)('then starting the sign-in shows a page in %s to try again later', async (locale) => {
      context = await browser.newContext();
      const page = await context.newPage();
      if (locale === 'en') await chooseEnglish(page, offline.url, '/auth/login');
      const response = await page.goto(`${offline.url}/auth/azure`);
      expect(response?.status()).toBe(503);
      expect(await page.locator('h1').innerText()).toBe(locale === 'sv' ? 'Microsofts inloggning svarar inte' : "Microsoft's sign-in is not answering");
      expect(await page.getByRole('link', { name: locale === 'sv' ? 'Försök igen' : 'Try again' }).getAttribute('href')).toBe('/auth/azure');
      await expectAccessible(page, `provider unreachable (${locale})`);
    });
  });

  describe('when the app is configured with a wrong or expired client secret', () => {
    let misconfigured: RunningApp;
    beforeAll(async () => {
      misconfigured = await startApp(libraryEnv(provider, wrongSecretPort, { AZURE_AD_CLIENT_SECRET: 'ett-hemligt-ord-som-gått-ut' }));
    });
    afterAll(async () => {
      await misconfigured?.stop();
    });

    test.each(['sv', 'en'] as const)('then the employee gets a page in %s saying the sign-in was refused and to contact IT, and the log names the secret', async (locale) => {
      context = await browser.newContext({ ignoreHTTPSErrors: true });
      await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
      const page = await context.newPage();
      if (locale === 'en') await chooseEnglish(page, misconfigured.url, '/auth/login');
      const callback = page.waitForResponse((r) => r.url().startsWith(`${misconfigured.url}/auth/callback`));
      await page.goto(`${misconfigured.url}/auth/azure`);
      await page.waitForURL((u) => u.href.startsWith(provider.issuer));
      await page.locator('input[name="login"]').fill(anna.login);
      await page.locator('input[name="password"]').fill('lösenord');
      await page.getByRole('button', { name: 'Sign-in' }).click();
      expect((await callback).status()).toBe(502);
      await page.waitForLoadState('domcontentloaded');
      expect(await page.locator('h1').innerText()).toBe(locale === 'sv' ? 'Inloggningen godkändes inte' : 'The sign-in was not accepted');
      expect(await page.locator('main').innerText()).toContain(locale === 'sv' ? 'kontakta it-supporten' : 'contact IT support');
      await expectAccessible(page, `client secret refused (${locale})`);
      expect(misconfigured.output()).toContain('AZURE_AD_CLIENT_SECRET');
      // Nobody was signed in.
      expect((await page.goto(`${misconfigured.url}/me`))?.url()).toContain('/auth/login');
    });
  });

  describe('when the provider answers with an error page instead of its keys', () => {
    let broken: RunningApp;
    let server: https.Server;
    let dir: string;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-broken-'));
      const tls = await makeCertificate(dir);
      const brokenPort = await freePort();
      const base = `https://127.0.0.1:${brokenPort}/${provider.tenantId}/v2.0`;
      server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
        if (req.url?.startsWith(`/${provider.tenantId}/v2.0/.well-known/openid-configuration`)) {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ issuer: base, authorization_endpoint: `${base}/auth`, token_endpoint: `${base}/token`, jwks_uri: `${base}/jwks`, id_token_signing_alg_values_supported: ['RS256'] }));
          return;
        }
        res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>Service unavailable</body></html>');
      });
      await new Promise<void>((resolve) => server.listen(brokenPort, '127.0.0.1', resolve));
      const appPort = await freePort();
      broken = await startApp(libraryEnv(provider, appPort, { NODE_EXTRA_CA_CERTS: tls.certFile, AZURE_AD_METADATA_URL: `${base}/.well-known/openid-configuration` }));
    });
    afterAll(async () => {
      await broken?.stop();
      await new Promise((resolve) => server?.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('then starting the sign-in shows the page to try again later, and the app keeps running', async () => {
      const response = await fetch(`${broken.url}/auth/azure`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('Microsofts inloggning svarar inte');
      const again = await fetch(`${broken.url}/auth/azure`);
      expect(again.status).toBe(503);
      expect((await fetch(`${broken.url}/readyz`)).status).toBe(200);
    });
  });
});

test('when AUTH_MODE=azure is set without the Azure variables, then start-up fails naming each of them', async () => {
  const child = spawn(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'server.js')], {
    env: { PATH: process.env.PATH ?? '', AUTH_MODE: 'azure', PORT: String(await freePort()), DATA_DIR: app.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  for (const name of ['AZURE_AD_TENANT_ID', 'AZURE_AD_CLIENT_ID', 'AZURE_AD_CLIENT_SECRET', 'AZURE_AD_REDIRECT_URL']) {
    expect(output).toContain(name);
  }
});
