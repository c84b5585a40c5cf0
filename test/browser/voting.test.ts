// Voting in a real browser (SPEC V1, V2): vote, see the panel update without a reload, move the vote,
// withdraw it, vote again — with axe checks in Swedish and English — and the same without JavaScript.
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

const text = {
  sv: { used: (n: number) => `Du har använt ${n} av 3 röster.`, voted: 'Din röst på', moved: 'Din röst är flyttad', withdrawn: 'Du har tagit tillbaka din röst', withdraw: 'Ta tillbaka rösten', moveSubmit: 'Flytta rösten' },
  en: { used: (n: number) => `You have used ${n} of 3 votes.`, voted: 'Your vote for', moved: 'Your vote was moved', withdrawn: 'You withdrew your vote', withdraw: 'Withdraw vote', moveSubmit: 'Move the vote' },
};

async function panelText(page: Page): Promise<string> {
  return (await page.locator('[data-voting-panel]').first().innerText()).replace(/\s+/g, ' ');
}

async function waitForPanel(page: Page, expected: string): Promise<void> {
  await page.waitForFunction((t) => (document.querySelector('[data-voting-panel]')?.textContent ?? '').replace(/\s+/g, ' ').includes(t), expected, { timeout: 10_000 });
}

/** Waits until the live region has announced the text (screen readers hear it). */
async function waitForLive(page: Page, expected: string): Promise<void> {
  await page.waitForFunction((t) => (document.getElementById('vote-live')?.textContent ?? '').includes(t), expected, { timeout: 10_000 });
}

/** The ids of entries this viewer can vote for now (their cards show a plain vote form). */
async function votableIds(page: Page): Promise<string[]> {
  return page.locator('[data-vote-for]:has(form[action="/votes"])').evaluateAll((els) => els.map((e) => e.getAttribute('data-vote-for') ?? ''));
}

describe.each([
  ['sv', 'Bo'],
  ['en', 'Eva'],
] as const)('voting with JavaScript in %s', (locale, name) => {
  test(`when ${name} votes, moves the vote, withdraws it and votes again, then the panel follows without a reload and every step passes axe`, async () => {
    const t = text[locale];
    const page = await (await browser.newContext()).newPage();
    if (locale === 'en') await chooseEnglish(page, app.url, '/auth/dev');
    await devSignIn(page, app.url, name);
    await page.goto(`${app.url}/entries`);
    expect(await page.getAttribute('html', 'lang')).toBe(locale);
    expect(await panelText(page)).toContain(t.used(0));
    await expectAccessible(page, `gallery before voting (${locale})`);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    // Vote three times: the panel counts up, the page does not reload, the result is announced.
    const [a, b, c, d] = await votableIds(page);
    for (const [i, id] of [a, b, c].entries()) {
      await page.locator(`[data-vote-for="${id}"] form[action="/votes"] button`).click();
      await waitForPanel(page, t.used(i + 1));
      await waitForLive(page, t.voted);
    }
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    // Focus stays with the entry the person acted on.
    expect(await page.evaluate(() => document.activeElement?.closest('[data-vote-for]')?.getAttribute('data-vote-for'))).toBe(c);
    expect(await page.locator(`[data-vote-for="${c}"]`).innerText()).toContain(t.withdraw);
    await expectAccessible(page, `gallery after voting (${locale})`);

    // Budget used: the fourth entry offers one "move a vote here" link; the dialog asks which vote.
    expect(await page.locator('[data-vote-for] select').count()).toBe(0);
    await page.locator(`[data-vote-for="${d}"] a[data-move-dialog]`).click();
    const dialog = page.locator('dialog.move-dialog');
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('from');
    await expectAccessible(page, `move dialog (${locale})`);
    await dialog.locator(`input[name="from"][value="${a}"]`).check();
    await dialog.getByRole('button', { name: t.moveSubmit }).click();
    await waitForLive(page, t.moved);
    await waitForPanel(page, t.used(3));
    expect(await dialog.count()).toBe(0);
    const marked = await page.locator('.vote--voted').evaluateAll((els) => els.map((e) => e.getAttribute('data-vote-for')));
    expect(marked.sort()).toEqual([b, c, d].sort());
    await expectAccessible(page, `gallery after moving (${locale})`);

    // Withdraw it from its card, then vote again.
    await page.locator(`[data-vote-for="${d}"] form[action="/votes/withdraw"] button`).click();
    await waitForPanel(page, t.used(2));
    await waitForLive(page, t.withdrawn);
    await page.locator(`[data-vote-for="${a}"] form[action="/votes"] button`).click();
    await waitForPanel(page, t.used(3));
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await expectAccessible(page, `gallery after voting again (${locale})`);

    // The entry page and "My votes" agree.
    await page.goto(`${app.url}/entries/${a}`);
    expect(await page.locator(`[data-vote-for="${a}"]`).innerText()).toContain(t.withdraw);
    await expectAccessible(page, `entry page (${locale})`);
    await page.goto(`${app.url}/votes`);
    expect(await panelText(page)).toContain(t.used(3));
    await expectAccessible(page, `my votes (${locale})`);
    await page.context().close();
  });
});

test('when JavaScript is off, then voting and withdrawing work as plain forms with a confirmation', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await devSignIn(page, app.url, 'Anna');
  await page.goto(`${app.url}/entries`);
  const [id] = await votableIds(page);
  await page.goto(`${app.url}/entries/${id}`);
  await page.locator(`[data-vote-for="${id}"] form[action="/votes"] button`).click();
  await page.waitForLoadState('domcontentloaded');
  expect(new URL(page.url()).pathname).toBe(`/entries/${id}`);
  expect(await page.locator('.notice--success').innerText()).toContain('Tack! Din röst på');
  expect(await page.locator(`[data-vote-for="${id}"]`).innerText()).toContain('Du har röstat på det här bidraget.');
  // axe cannot run in a page without JavaScript; the same server-rendered pages pass it above.

  await page.goto(`${app.url}/votes`);
  expect(await panelText(page)).toContain('Du har använt 1 av 3 röster.');
  await page.locator('[data-voting-panel] li').getByRole('button').click();
  await page.waitForLoadState('domcontentloaded');
  expect(new URL(page.url()).pathname).toBe('/votes');
  expect(await page.locator('.notice--success').innerText()).toContain('Du har tagit tillbaka din röst');
  expect(await panelText(page)).toContain('Du har använt 0 av 3 röster.');
  await context.close();
});

test('when JavaScript is off and the budget is used, then "Flytta en röst hit" opens the move page and the chosen vote moves', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await devSignIn(page, app.url, 'Fatima');
  await page.goto(`${app.url}/entries`);
  const [a, b, c, d] = await votableIds(page);
  for (const id of [a, b, c]) {
    await page.locator(`[data-vote-for="${id}"] form[action="/votes"] button`).click();
    await page.waitForLoadState('domcontentloaded');
  }
  expect(new URL(page.url()).pathname).toBe('/entries');
  await page.locator(`[data-vote-for="${d}"] a[data-move-dialog]`).click();
  await page.waitForLoadState('domcontentloaded');
  expect(new URL(page.url()).pathname).toBe('/votes/move');
  expect(await page.locator('h1').innerText()).toBe('Flytta min röst');
  await page.locator(`input[name="from"][value="${b}"]`).check();
  await page.getByRole('button', { name: 'Flytta rösten' }).click();
  await page.waitForLoadState('domcontentloaded');
  expect(new URL(page.url()).pathname).toBe('/entries');
  expect(await page.locator('.notice--success').innerText()).toContain('Din röst är flyttad');
  const marked = await page.locator('.vote--voted').evaluateAll((els) => els.map((e) => e.getAttribute('data-vote-for')));
  expect(marked.sort()).toEqual([a, c, d].sort());
  await context.close();
});

test('when the admin opens edition setup, then the page passes axe in both languages', async () => {
  const page = await (await browser.newContext()).newPage();
  await devSignIn(page, app.url, 'Alva');
  await page.goto(`${app.url}/admin/editions`);
  await expectAccessible(page, 'editions list (sv)');
  await page.locator('a[href^="/admin/editions/"]').first().click();
  await expectAccessible(page, 'edition setup (sv)');
  // A failed save comes back with the error summary focused.
  await page.locator('#f-voteBudget').fill('0');
  await page.getByRole('button', { name: 'Spara inställningarna' }).click();
  await page.waitForLoadState('domcontentloaded');
  expect(await page.locator('.error-summary').innerText()).toContain('Röster per person ska vara ett heltal');
  await expectAccessible(page, 'edition setup with errors (sv)');
  await chooseEnglish(page, app.url, '/admin/editions');
  await expectAccessible(page, 'editions list (en)');
  await page.locator('a[href^="/admin/editions/"]').first().click();
  expect(await page.locator('h1').innerText()).toContain('Settings for');
  await expectAccessible(page, 'edition setup (en)');
  await page.context().close();
});
