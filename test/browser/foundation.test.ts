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

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

describe.each(['sv', 'en'] as const)('foundation pages in %s', (locale) => {
  test('when a visitor signs in and walks the basic pages, then every page passes axe', async () => {
    const page = await newPage();
    if (locale === 'en') await chooseEnglish(page, app.url, '/auth/dev');

    await page.goto(`${app.url}/auth/dev`);
    expect(await page.getAttribute('html', 'lang')).toBe(locale);
    await expectAccessible(page, `sign-in (${locale})`);

    await devSignIn(page, app.url, 'Anna');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('h1').innerText()).toContain('Anna Lindqvist');
    await expectAccessible(page, `home (${locale})`);

    await page.goto(`${app.url}/finns-inte`);
    expect(await page.locator('h1').innerText()).toBe(locale === 'sv' ? 'Sidan finns inte' : 'Page not found');
    await expectAccessible(page, `404 (${locale})`);

    await page.goto(`${app.url}/accessibility`);
    expect(await page.locator('h1').innerText()).toBe(locale === 'sv' ? 'Tillgänglighetsredogörelse' : 'Accessibility statement');
    await expectAccessible(page, `accessibility (${locale})`);
    await page.context().close();
  });
});

test('when a keyboard user tabs into a page, then the skip link comes first and leads to the content', async () => {
  const page = await newPage();
  await devSignIn(page, app.url, 'Bo');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  expect(focused).toBe('Hoppa till innehållet');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  await page.context().close();
});

test('when the language is switched on the page, then the page and its lang attribute change', async () => {
  const page = await newPage();
  await devSignIn(page, app.url, 'Eva');
  await page.getByRole('button', { name: 'In English' }).click();
  await page.waitForSelector('html[lang="en"]');
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(await page.locator('h1').innerText()).toContain('Hello');
  await page.context().close();
});
