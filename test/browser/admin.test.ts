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
    // The tables are folded in <details> after their charts: present, though hidden until opened.
    expect(await page.getByRole('table', { name: t.participation, includeHidden: true }).count()).toBeGreaterThan(0);
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

const SETUP = {
  sv: { unsaved: 'Inte sparad', errors: 'Behöver rättas', saved: 'är sparade', closeVoting: 'Stäng röstningen nu', votingDates: 'Röstning: följ datumen igen', confirmHeading: 'Stäng röstningen nu?', closed: 'Röstning: Stängd nu (manuellt beslut)', unsavedIn: 'Ändringar som inte är sparade:' },
  en: { unsaved: 'Not saved', errors: 'Needs fixing', saved: 'are saved', closeVoting: 'Close voting now', votingDates: 'Voting: follow the dates again', confirmHeading: 'Close voting now?', closed: 'Voting: Closed now (manual decision)', unsavedIn: 'Changes not yet saved:' },
};

async function currentEditionPath(page: Page): Promise<string> {
  await page.goto(`${app.url}/admin/editions`);
  const href = await page.locator('.editions-table a').first().getAttribute('href');
  return href!;
}

describe.each(['sv', 'en'] as const)('edition setup in sections (%s)', (locale) => {
  test('when JavaScript runs, then a changed section is marked unsaved in the list and at its heading, the save bar stays on screen, and a server error marks its section', async () => {
    const t = SETUP[locale];
    const page = await signedInPage('Alva', locale);
    await page.setViewportSize({ width: 1366, height: 900 });
    const path = await currentEditionPath(page);
    await page.goto(app.url + path);
    await expectAccessible(page, `${path} (${locale})`);
    const votingMarks = page.locator('[data-section-link="voting"] [data-unsaved-mark], #voting-heading [data-unsaved-mark]');
    expect(await votingMarks.evaluateAll((els) => els.map((e) => (e as HTMLElement).hidden))).toEqual([true, true]);

    await page.locator('#f-finalistCount').fill('4');
    expect(await votingMarks.evaluateAll((els) => els.map((e) => (e as HTMLElement).hidden))).toEqual([false, false]);
    expect(await page.locator('#voting-heading').innerText()).toContain(t.unsaved);
    expect(await page.locator('[data-unsaved-summary]').innerText()).toContain(t.unsavedIn);
    expect(await page.locator('#texts-heading [data-unsaved-mark]').isHidden()).toBe(true);
    await expectAccessible(page, `${path} with unsaved changes (${locale})`);

    // Deep in the criteria, the save button is still on screen.
    await page.locator('#section-criteria').scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 600);
    const bar = await page.locator('.save-bar button').boundingBox();
    expect(bar!.y + bar!.height).toBeLessThanOrEqual(900);
    expect(bar!.y).toBeGreaterThan(0);

    // A budget of 0 comes back from the server with the voting section marked, and nothing saved.
    await page.locator('#f-voteBudget').fill('0');
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.locator('.save-bar button').click()]);
    await page.waitForSelector('.error-summary');
    expect(await page.locator('[data-section-link="voting"]').innerText()).toContain(t.errors);
    expect(await page.locator('[data-section-link="texts"]').innerText()).not.toContain(t.errors);
    await expectAccessible(page, `${path} with errors (${locale})`);

    // The confirmation before a phase changes for everyone passes axe; cancelling changes nothing.
    await page.goto(app.url + path);
    await page.getByRole('button', { name: t.closeVoting }).click();
    expect(await page.locator('h1').innerText()).toBe(t.confirmHeading);
    await expectAccessible(page, `phase confirmation (${locale})`);
    await page.locator('.actions a.button--secondary').click();
    expect(await page.locator('#phases').innerText()).not.toContain(t.closed);
    await page.context().close();
  });

  test('when JavaScript is off, then the sections, the save bar and the phase confirmation still work', async () => {
    const t = SETUP[locale];
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    if (locale === 'en') await chooseEnglish(page, app.url, '/auth/dev');
    await devSignIn(page, app.url, 'Alva');
    const path = await currentEditionPath(page);
    await page.goto(app.url + path);
    // No script: the unsaved marks stay hidden, the save bar still saves.
    await page.locator('#f-finalistCount').fill('3');
    expect(await page.locator('#voting-heading [data-unsaved-mark]').isHidden()).toBe(true);
    await Promise.all([page.waitForURL(new RegExp(`${path}$`)), page.locator('.save-bar button').click()]);
    expect(await page.locator('.flash, .notice--success').first().innerText()).toContain(t.saved);

    // Closing voting asks first; the confirmation page passes axe and the change is made only after it.
    await page.getByRole('button', { name: t.closeVoting }).click();
    expect(await page.locator('h1').innerText()).toBe(t.confirmHeading);
    await page.getByRole('button', { name: t.closeVoting }).click();
    expect(await page.locator('#phases').innerText()).toContain(t.closed);
    // And back to the dates, again through the confirmation.
    await page.getByRole('button', { name: t.votingDates }).click();
    await page.getByRole('button', { name: t.votingDates }).click();
    expect(await page.locator('#phases').innerText()).not.toContain(t.closed);
    await context.close();
  });

  test('when the admin opens the jury page, then it offers the editions whose jury can be named and passes axe', async () => {
    const page = await signedInPage('Alva', locale);
    await page.goto(`${app.url}/admin/jury`);
    expect(await page.locator('.edition-switch').isVisible()).toBe(true);
    await expectAccessible(page, `/admin/jury (${locale})`);
    await page.context().close();
  });
});
