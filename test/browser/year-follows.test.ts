// Issue 16 in Chromium: the pages an employee meets across the year, on a 390×844 phone and a 1366×900
// screen, in Swedish and English, each passing axe: home with its "Att göra" card, notifications with the
// waiting consent question, the form (one colleague row, "+ Lägg till kollega", red borders after a
// failed submit), the gallery and an entry, my votes and the archive; the phone menu button with and
// without JavaScript; colleagues' Swedish text marked lang="sv" on English pages.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/server';
import { chooseEnglish, devSignIn, expectAccessible, launchBrowser } from '../helpers/browser';

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

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

async function signedIn(name: string, locale: 'sv' | 'en', viewport = PHONE, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, javaScriptEnabled });
  const page = await context.newPage();
  if (locale === 'en') await chooseEnglish(page, app.url, '/auth/dev');
  await devSignIn(page, app.url, name);
  return { context, page };
}

describe.each(['sv', 'en'] as const)('the year in %s', (locale) => {
  test.each([
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const)('on a %s, every page anna meets passes axe and her tasks lead the home page', async (_label, viewport) => {
    const { context, page } = await signedIn('Anna', locale, viewport);
    await page.goto(`${app.url}/`);
    const tasks = await page.locator('#tasks-heading + .task-list li').allInnerTexts();
    expect(tasks[0]).toContain(locale === 'sv' ? 'Svara på om du vill stå med i' : 'Say whether you want to be named in');
    expect(await page.locator('main').innerText()).not.toMatch(/Dina roller|Your roles/);
    await expectAccessible(page, `home (${locale}, ${_label})`);
    for (const path of ['/notifications', '/nominate', '/entries', '/votes', '/archive']) {
      await page.goto(`${app.url}${path}`);
      await expectAccessible(page, `${path} (${locale}, ${_label})`);
    }
    expect(await page.locator('a[href^="/archive/"]').count()).toBeGreaterThan(0);
    await page.locator('a[href^="/archive/"]').first().click();
    await page.waitForLoadState('domcontentloaded');
    await expectAccessible(page, `archive year (${locale}, ${_label})`);
    await page.goto(`${app.url}/entries`);
    await page.locator('.entry-card h2 a').first().click();
    await page.waitForURL(/\/entries\/\d+$/);
    await expectAccessible(page, `entry (${locale}, ${_label})`);
    if (locale === 'en') {
      // Colleagues wrote in Swedish: the page says so where their words are (WCAG 3.1.2).
      expect(await page.locator('h1').getAttribute('lang')).toBe('sv');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
    }
    await context.close();
  });
});

describe('the phone menu', () => {
  test('when JavaScript runs on a phone, then the menu folds behind a button that says whether it is open', async () => {
    const { context, page } = await signedIn('Bo', 'sv');
    await page.goto(`${app.url}/`);
    const button = page.getByRole('button', { name: 'Meny' });
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await button.getAttribute('aria-controls')).toBe('site-menu');
    expect(await page.locator('#site-menu').isVisible()).toBe(false);
    // The bar is one row: no more than a fifth of the screen.
    expect((await page.locator('.site-header').boundingBox())!.height).toBeLessThan(844 / 5);
    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('link', { name: 'Mina röster' }).click();
    await page.waitForURL(/\/votes$/);
    await page.getByRole('button', { name: 'Meny' }).click();
    await expectAccessible(page, 'open menu (sv, phone)');
    await page.keyboard.press('Escape');
    expect(await page.locator('#site-menu').isVisible()).toBe(false);
    await context.close();
  });

  test('when JavaScript is off on a phone, then there is no dead button and the menu is simply open', async () => {
    const { context, page } = await signedIn('Bo', 'sv', PHONE, false);
    await page.goto(`${app.url}/`);
    expect(await page.locator('[data-menu-toggle]').isVisible()).toBe(false);
    expect(await page.locator('#site-menu').isVisible()).toBe(true);
    expect(await page.locator('#site-menu').getByRole('button', { name: 'Logga ut' }).isVisible()).toBe(true);
    await context.close();
  });

  test('when the screen is wide, then the menu shows in full and there is no menu button', async () => {
    const { context, page } = await signedIn('Bo', 'en', DESKTOP);
    await page.goto(`${app.url}/`);
    expect(await page.locator('[data-menu-toggle]').isVisible()).toBe(false);
    expect(await page.locator('#site-menu').isVisible()).toBe(true);
    await context.close();
  });
});

describe('the nomination form', () => {
  test('when hanna adds a colleague with JavaScript, then a second row appears in place with its own names, and a failed submit shows red borders', async () => {
    const { context, page } = await signedIn('Hanna', 'sv', PHONE);
    await page.goto(`${app.url}/nominate`);
    expect(await page.locator('fieldset.colleague').count()).toBe(1);
    await page.getByRole('button', { name: '+ Lägg till kollega' }).click();
    expect(new URL(page.url()).pathname).toBe('/nominate');
    expect(await page.locator('fieldset.colleague').count()).toBe(2);
    expect(await page.locator('fieldset.colleague legend').nth(1).innerText()).toBe('Kollega 2');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-c1_user');
    expect(await page.inputValue('input[name="colleague_slots"]')).toBe('2');
    await page.selectOption('#f-c1_user', { label: 'Ivan Petrović (Miljöförvaltningen)' });
    await expectAccessible(page, 'form with two colleague rows (sv, phone)');

    // Writing tips come after the form on a phone.
    const formBottom = (await page.locator('form.nomination-form').boundingBox())!;
    const tips = (await page.locator('.guidance').boundingBox())!;
    expect(tips.y).toBeGreaterThan(formBottom.y + formBottom.height - 1);

    await page.click('button[name="action"][value="submit"]');
    await page.waitForLoadState('domcontentloaded');
    expect(await page.locator('h1').innerText()).toBe('Nominera ett misstag');
    const border = await page.locator('#f-lesson').evaluate((el) => getComputedStyle(el).borderTopColor);
    expect(border).toBe('rgb(179, 38, 30)');
    const ok = await page.locator('#f-changes').evaluate((el) => getComputedStyle(el).borderTopColor);
    expect(ok).not.toBe('rgb(179, 38, 30)');
    // The colleague chosen in the added row came back (empty rows are dropped, so it is now the first).
    expect(await page.locator('fieldset.colleague').count()).toBe(1);
    expect(await page.locator('#f-c0_user option:checked').innerText()).toContain('Ivan Petrović');
    await expectAccessible(page, 'form with errors (sv, phone)');
    await context.close();
  });
});
