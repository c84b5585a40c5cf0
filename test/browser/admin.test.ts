// Admin pages (R2, R3, R4, R5) and "Mina uppgifter" (R6) in a real browser, with axe in both languages.
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/server';
import { devSignIn, expectAccessible, launchBrowser, chooseEnglish } from '../helpers/browser';

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signedInPage(name: string, locale: 'sv' | 'en'): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  if (locale === 'en') await chooseEnglish(page, app.url, '/auth/dev');
  await devSignIn(page, app.url, name);
  return page;
}

const T = {
  sv: { admin: 'Administration', users: 'Användare och roller', audit: 'Händelselogg', exports: 'Exporter', me: 'Mina uppgifter', participation: 'Deltagande i röstningen', search: 'Sök', makeAdmin: 'Gör till administratör' },
  en: { admin: 'Administration', users: 'Users and roles', audit: 'Audit log', exports: 'Exports', me: 'My data', participation: 'Participation in the vote', search: 'Search', makeAdmin: 'Make admin' },
};

describe.each(['sv', 'en'] as const)('admin pages in %s', (locale) => {
  test('when an admin walks the dashboard, users, audit log, exports and my data, then each page works and passes axe', async () => {
    const t = T[locale];
    const page = await signedInPage('Alva', locale);

    await page.goto(`${app.url}/admin`);
    expect(await page.getAttribute('html', 'lang')).toBe(locale);
    expect(await page.locator('h1').innerText()).toBe(t.admin);
    // Five charts, each an image with a name, and each with its table.
    const charts = page.locator('svg.chart[role="img"]');
    expect(await charts.count()).toBe(5);
    for (const label of await charts.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))) expect(label.length).toBeGreaterThan(20);
    expect(await page.locator('table caption').count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByRole('table', { name: t.participation }).count()).toBeGreaterThan(0);
    expect(await page.locator('svg.chart rect.chart__bar').first().evaluate((el) => getComputedStyle(el).fill)).not.toBe('rgb(0, 0, 0)');
    await expectAccessible(page, `/admin (${locale})`);

    await page.getByRole('link', { name: t.users }).first().click();
    expect(await page.locator('h1').innerText()).toBe(t.users);
    await expectAccessible(page, `/admin/users (${locale})`);
    await page.locator('#f-q').fill('bo');
    await Promise.all([page.waitForURL(/q=bo/), page.getByRole('button', { name: t.search }).click()]);
    await page.getByRole('link', { name: 'Bo Ekström' }).click();
    expect(await page.locator('h1').innerText()).toContain('Bo Ekström');
    await expectAccessible(page, `/admin/users/:id (${locale})`);
    expect(await page.getByRole('button', { name: t.makeAdmin }).isVisible()).toBe(true);

    await page.goto(`${app.url}/admin/audit`);
    expect(await page.locator('h1').innerText()).toBe(t.audit);
    await expectAccessible(page, `/admin/audit (${locale})`);
    // A date the browser's date field would not produce (typed into the address bar).
    await page.goto(`${app.url}/admin/audit?from=31/12/2026`);
    expect(await page.locator('.error-summary').isVisible()).toBe(true);
    await expectAccessible(page, `/admin/audit with an error (${locale})`);

    await page.goto(`${app.url}/admin/exports`);
    expect(await page.locator('h1').innerText()).toBe(t.exports);
    await expectAccessible(page, `/admin/exports (${locale})`);
    // The report is a form (POST, audited): opened with its button.
    await Promise.all([page.waitForURL(`${app.url}/admin/exports/finalists`), page.locator('form[action="/admin/exports/finalists"] button').click()]);
    await page.waitForLoadState('load');
    expect(await page.locator('h1').innerText()).toMatch(/Finalist/);
    await expectAccessible(page, `/admin/exports/finalists (${locale})`);

    await page.goto(`${app.url}/me`);
    expect(await page.locator('h1').innerText()).toBe(t.me);
    await expectAccessible(page, `/me (${locale})`);
    const download = page.waitForEvent('download');
    await page.locator('form[action="/me/data.json"] button').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^mina-uppgifter-\d{4}-\d{2}-\d{2}\.json$/);
    await page.context().close();
  });
});

test('when an employee opens /me, then it passes axe and the admin pages are closed to them', async () => {
  const page = await signedInPage('Anna', 'sv');
  await page.goto(`${app.url}/me`);
  await expectAccessible(page, '/me (employee)');
  const res = await page.goto(`${app.url}/admin/users`);
  expect(res?.status()).toBe(403);
  await page.context().close();
});
