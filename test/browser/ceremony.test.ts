// The award night end to end (C1–C4): the presenter runs the whole ceremony with the keyboard, two
// phones vote live and the chart follows without a reload, the reveal publishes the result to the
// archive; axe on the live and archive pages in Swedish and English.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/server';
import { devSignIn, expectAccessible, launchBrowser } from '../helpers/browser';
import { openDatabase } from '../../src/db';
import { lockCurrentResult } from '../http/ceremony-fixtures';

let app: RunningApp;
let browser: Browser;
let fixture: Awaited<ReturnType<typeof lockCurrentResult>>;

beforeAll(async () => {
  app = await startApp();
  // The jury's locked decision, written into the running app's SQLite file (WAL allows it).
  const db = openDatabase({ dataDir: app.dataDir });
  fixture = await lockCurrentResult(db);
  await db.destroy();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Retries an assertion until it holds (the page updates on its own) or the time is up. */
async function eventually(assertion: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

async function visibleSlideKind(page: Page): Promise<string> {
  return page.locator('.slide:not([hidden])').getAttribute('data-kind') as Promise<string>;
}

async function voteOnPhone(page: Page, title: string): Promise<void> {
  await page.goto(`${app.url}/live`);
  await page.getByLabel(title).check();
  await page.locator('.live__form button[type="submit"]').click();
  await page.waitForURL(`${app.url}/live`);
}

test('when the presenter runs the ceremony with the keyboard, then phones vote live, the chart follows without reload, and the reveal publishes the winner', async () => {
  const presenterContext: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const presenter = await presenterContext.newPage();
  await devSignIn(presenter, app.url, 'Alva Admin');
  await presenter.goto(`${app.url}/ceremony/${fixture.year}`);
  expect(await visibleSlideKind(presenter)).toBe('title');
  await expectAccessible(presenter, 'ceremony title slide');
  // A marker that a reload would wipe out.
  await presenter.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  // → and space move forward, ← back; each new slide is announced.
  await presenter.keyboard.press('ArrowRight');
  expect(await visibleSlideKind(presenter)).toBe('idea');
  await presenter.keyboard.press('ArrowLeft');
  expect(await visibleSlideKind(presenter)).toBe('title');
  await presenter.keyboard.press(' ');
  expect(await visibleSlideKind(presenter)).toBe('idea');
  await presenter.keyboard.press('ArrowRight');
  expect(await visibleSlideKind(presenter)).toBe('finalist');
  await eventually(async () => expect(await presenter.locator('#announcer').innerText()).toContain(fixture.titles[0]));
  expect(new URL(presenter.url()).searchParams.get('slide')).toBe('3');
  for (let i = 0; i < 10 && (await visibleSlideKind(presenter)) !== 'live'; i++) await presenter.keyboard.press('ArrowRight');
  expect(await visibleSlideKind(presenter)).toBe('live');
  await expectAccessible(presenter, 'ceremony live slide');
  expect(await presenter.locator('.live-slide__qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);

  // Open the vote from the keyboard: Tab to the button, Enter.
  const openButton = presenter.getByRole('button', { name: 'Öppna omröstningen' });
  for (let i = 0; i < 10 && !(await openButton.evaluate((b) => b === document.activeElement)); i++) await presenter.keyboard.press('Tab');
  await presenter.keyboard.press('Enter');
  await presenter.getByRole('button', { name: 'Stäng omröstningen' }).waitFor({ state: 'visible' });

  // Two phones vote.
  const annaContext = await browser.newContext(phone);
  const anna = await annaContext.newPage();
  await devSignIn(anna, app.url, 'Anna');
  await voteOnPhone(anna, fixture.titles[0]);
  await eventually(async () => expect(await anna.locator('.live__mine').innerText()).toContain(fixture.titles[0]));
  await expectAccessible(anna, 'live vote on a phone (sv)');

  const boContext = await browser.newContext(phone);
  const bo = await boContext.newPage();
  await bo.goto(`${app.url}/lang/en?next=/auth/dev`);
  await devSignIn(bo, app.url, 'Bo');
  await voteOnPhone(bo, fixture.titles[2]);
  expect(await bo.getAttribute('html', 'lang')).toBe('en');
  await expectAccessible(bo, 'live vote on a phone (en)');

  const count = (id: number) => presenter.locator(`.chart__row[data-nomination="${id}"] .chart__count`).innerText();
  await eventually(async () => expect(await count(fixture.finalistIds[0])).toBe('1'));
  await eventually(async () => expect(await count(fixture.finalistIds[2])).toBe('1'));

  // Anna changes her mind: the chart moves her vote.
  await voteOnPhone(anna, fixture.titles[2]);
  await eventually(async () => expect(await count(fixture.finalistIds[2])).toBe('2'));
  await eventually(async () => expect(await count(fixture.finalistIds[0])).toBe('0'));
  expect(await presenter.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

  // Close (focus moved to the close button when the vote opened).
  await presenter.getByRole('button', { name: 'Stäng omröstningen' }).focus();
  await presenter.keyboard.press('Enter');
  await presenter.getByRole('button', { name: 'Öppna omröstningen' }).waitFor({ state: 'visible' });
  await anna.goto(`${app.url}/live`);
  expect(await anna.locator('main').innerText()).toContain('Omröstningen är stängd');

  // "Och vinnaren är …", then → reveals the winner.
  await presenter.locator('body').focus();
  await presenter.keyboard.press('ArrowRight');
  expect(await visibleSlideKind(presenter)).toBe('drumroll');
  await presenter.keyboard.press('ArrowRight');
  await eventually(async () => expect(await visibleSlideKind(presenter)).toBe('winner'));
  const winnerTitle = fixture.titles[fixture.finalistIds.indexOf(fixture.winnerId)];
  expect(await presenter.locator('.slide:not([hidden]) h1').innerText()).toBe(winnerTitle);
  await eventually(async () => expect(await presenter.locator('#announcer').innerText()).toContain(winnerTitle));
  expect(await presenter.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  await expectAccessible(presenter, 'ceremony winner slide');

  // F toggles full screen without leaving the slide; Esc (not in full screen) leaves.
  await presenter.keyboard.press('f');
  if (await presenter.evaluate(() => Boolean(document.fullscreenElement))) await presenter.keyboard.press('f');
  expect(await visibleSlideKind(presenter)).toBe('winner');
  await presenter.keyboard.press('Escape');
  await presenter.waitForURL(`${app.url}/admin`);

  // The archive now holds the result, in both languages.
  for (const [page, locale] of [
    [anna, 'sv'],
    [bo, 'en'],
  ] as const) {
    await page.goto(`${app.url}/archive`);
    expect(await page.locator('main').innerText()).toContain(winnerTitle);
    await expectAccessible(page, `archive (${locale})`);
    await page.goto(`${app.url}/archive/${fixture.year}`);
    expect(await page.locator('main').innerText()).toContain(winnerTitle);
    await expectAccessible(page, `archive year (${locale})`);
    await page.goto(`${app.url}/archive?q=${encodeURIComponent(winnerTitle.toLocaleUpperCase('sv-SE'))}`);
    expect(await page.locator('#results-heading').count()).toBe(1);
    await expectAccessible(page, `archive search (${locale})`);
    // After the reveal every employee may watch the presentation again.
    await page.goto(`${app.url}/ceremony/${fixture.year}?slide=3`);
    expect(await visibleSlideKind(page)).toBe('finalist');
    await expectAccessible(page, `ceremony after the reveal, as an employee (${locale})`);
    await page.goto(`${app.url}/archive/${fixture.year - 1}`);
    await page.locator('.archive-list__title a').first().click();
    await page.waitForLoadState('domcontentloaded');
    expect(new URL(page.url()).pathname).toMatch(/^\/entries\/\d+$/);
    await expectAccessible(page, `archived entry (${locale})`);
  }

  await Promise.all([presenterContext.close(), annaContext.close(), boContext.close()]);
});
