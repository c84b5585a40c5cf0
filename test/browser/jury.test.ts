// The jury's journey in Chromium (J1–J7): two jurors score, one declares jäv, the chair reads the
// ranking, picks finalists and the winner, writes the motivation and locks; an employee sees nothing of
// it. Every page visited passes axe, in Swedish and in English.
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/server';
import { devSignIn, expectAccessible, launchBrowser, chooseEnglish } from '../helpers/browser';

let app: RunningApp;
let browser: Browser;
let db: Knex;
const ids: Record<string, number> = {};

const FORM = 'Bygglovsblanketten med 47 frågor';
const APP = 'Appen som ingen förälder laddade ner';
const NIGHT = 'Nattpatrullen som körde i cirklar';
const SOLAR = 'Solcellerna på fel tak';
const MOTIVATION = 'Bygglovsenheten vågade ta bort frågor i stället för att lägga till fler, och mätte vad som hände.';

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  // The app runs on the real clock: open judging the way an admin would, with the override.
  db = knexFactory({ client: 'better-sqlite3', connection: { filename: path.join(app.dataDir, 'arets-misstag.sqlite') }, useNullAsDefault: true });
  await db('editions').whereNull('archived_at').update({ judging_override: 'open' });
  const edition = await db('editions').whereNull('archived_at').first();
  for (const n of await db('nominations').where({ edition_id: edition.id }).select('id', 'title')) ids[n.title] = Number(n.id);
});
afterAll(async () => {
  await db?.destroy();
  await browser?.close();
  await app?.stop();
});

async function signedIn(name: string, locale: 'sv' | 'en' = 'sv'): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (locale === 'en') await chooseEnglish(page, app.url, '/auth/dev');
  await devSignIn(page, app.url, name);
  return page;
}


/** Scores every criterion with `value` by clicking the rubric labels, and waits for the autosave. */
async function scoreAll(page: Page, value: number): Promise<void> {
  const fieldsets = page.locator('fieldset.criterion');
  const count = await fieldsets.count();
  expect(count).toBe(4);
  for (let i = 0; i < count; i++) await fieldsets.nth(i).locator('.scale__option label').nth(value - 1).click();
  await page.waitForFunction(() => document.querySelector('[data-save-status]')?.textContent?.trim() === 'Sparat');
}

async function scoreAndSubmit(page: Page, entryId: number, value: number, note: string): Promise<void> {
  await page.goto(`${app.url}/jury/entries/${entryId}`);
  await scoreAll(page, value);
  await page.getByLabel('Din anteckning').fill(note);
  await page.waitForFunction(() => document.querySelector('[data-save-status]')?.textContent?.trim() === 'Sparat');
  await page.getByRole('button', { name: 'Skicka in bedömning' }).click();
  await page.waitForURL(/#others$/);
  expect(await page.locator('.notice--success').first().innerText()).toContain('Din bedömning är inskickad');
}

test('when an admin manages the jury, then the page lists members and search results and passes axe in both languages', async () => {
  for (const locale of ['sv', 'en'] as const) {
    const admin = await signedIn('Alva', locale);
    await admin.goto(`${app.url}/admin`);
    await admin.locator('a[href="/admin/jury"]').click();
    expect(await admin.locator('main').innerText()).toContain('Cecilia Nordin');
    await admin.getByLabel(locale === 'sv' ? 'Sök person' : 'Find a person').fill('hanna');
    await admin.getByRole('button', { name: locale === 'sv' ? 'Sök' : 'Search', exact: true }).click();
    expect(await admin.locator('main').innerText()).toContain('Hanna Öst');
    await expectAccessible(admin, `admin jury with search results (${locale})`);
    await admin.context().close();
  }
});

test('when two jurors score, one declares jäv and the chair decides and locks, then the result is sealed from employees', async () => {
  // David scores two entries and declares jäv on a third.
  const david = await signedIn('David');
  await david.goto(`${app.url}/jury`);
  expect(await david.locator('h2#progress-heading').innerText()).toBe('0 av 11 bedömda');
  await expectAccessible(david, 'jury dashboard (sv)');
  await david.goto(`${app.url}/jury/entries/${ids[FORM]}`);
  await expectAccessible(david, 'scoring page (sv)');
  await scoreAndSubmit(david, ids[FORM], 4, 'Modigt att ta bort frågor.');
  expect(await david.locator('#others').innerText()).toContain('Har inte skickat in ännu');
  await expectAccessible(david, 'scoring page after submit (sv)');
  await scoreAndSubmit(david, ids[APP], 3, 'Bra lärdom om användare.');

  await david.goto(`${app.url}/jury/entries/${ids[NIGHT]}`);
  await david.getByLabel('Skäl till jäv').fill('Jag har arbetat i nattpatrullen.');
  await david.getByRole('button', { name: 'Anmäl jäv' }).click();
  await david.waitForURL(`${app.url}/jury`);
  const dashboard = await david.locator('main').innerText();
  expect(dashboard).toContain('2 av 10 bedömda');
  expect(dashboard).toContain('Anmält jäv: Jag har arbetat i nattpatrullen.');
  await expectAccessible(david, 'jury dashboard with jäv (sv)');
  const refused = await david.goto(`${app.url}/jury/entries/${ids[NIGHT]}`);
  expect(refused?.status()).toBe(403);

  // Cecilia (chair) scores, then sees David's review of the same entry.
  const cecilia = await signedIn('Cecilia');
  await scoreAndSubmit(cecilia, ids[FORM], 5, 'Årets tydligaste lärdom.');
  expect(await cecilia.locator('#others').innerText()).toContain('Modigt att ta bort frågor.');
  await scoreAndSubmit(cecilia, ids[APP], 2, 'Viktig men smal.');

  // The ranking: FORM first, David's jäv and its reason visible to the chair; sortable by link.
  await cecilia.goto(`${app.url}/jury/ranking`);
  const firstRow = await cecilia.locator('table.ranking tbody tr').first().innerText();
  expect(firstRow).toContain(FORM);
  expect(await cecilia.locator('main').innerText()).toContain('Jag har arbetat i nattpatrullen.');
  await expectAccessible(cecilia, 'ranking (sv)');
  await cecilia.locator('table.ranking thead').getByRole('link', { name: /^Bidrag/ }).click();
  expect(new URL(cecilia.url()).search).toBe('?sort=title&dir=asc');
  expect(await cecilia.locator('th[aria-sort="ascending"]').innerText()).toContain('Bidrag');

  // The decision: three finalists, the winner, the motivation; then the lock.
  await cecilia.goto(`${app.url}/jury/decision`);
  await expectAccessible(cecilia, 'decision form (sv)');
  for (const title of [FORM, APP, SOLAR]) await cecilia.getByLabel(`Finalister: ${title}`).check();
  await cecilia.getByLabel(`Vinnare: ${FORM}`).check();
  await cecilia.getByLabel('Juryns motivering').fill(MOTIVATION);
  await cecilia.getByRole('button', { name: 'Spara beslutet' }).click();
  await cecilia.waitForURL(`${app.url}/jury/decision`);
  expect(await cecilia.locator('.notice--success').first().innerText()).toContain('Beslutet är sparat');
  await cecilia.getByLabel(/Jag har läst igenom finalisterna/).check();
  await cecilia.getByRole('button', { name: 'Lås resultatet' }).click();
  await cecilia.waitForURL(`${app.url}/jury/decision`);
  const locked = await cecilia.locator('main').innerText();
  expect(locked).toContain('Resultatet låstes');
  expect(locked).toContain(MOTIVATION);
  expect(await cecilia.locator('ol.finalist-list li').allInnerTexts()).toEqual([`${FORM} Vinnare`, APP, SOLAR]);
  await expectAccessible(cecilia, 'decision locked (sv)');

  // A typo found after the lock: the chair unlocks with a reason (confirmed), fixes it and locks again.
  await cecilia.getByLabel('Varför låser du upp?').fill('Stavfel i motiveringen');
  await cecilia.getByLabel(/Jag förstår att resultatet inte är förseglat/).check();
  await cecilia.getByRole('button', { name: 'Lås upp resultatet' }).click();
  await cecilia.waitForURL(`${app.url}/jury/decision`);
  expect(await cecilia.locator('#unlocks').innerText()).toContain('Skäl: Stavfel i motiveringen');
  await expectAccessible(cecilia, 'decision unlocked (sv)');
  await cecilia.getByLabel('Juryns motivering').fill(MOTIVATION);
  await cecilia.getByRole('button', { name: 'Spara beslutet' }).click();
  await cecilia.waitForURL(`${app.url}/jury/decision`);
  await cecilia.getByLabel(/Jag har läst igenom finalisterna/).check();
  await cecilia.getByRole('button', { name: 'Lås resultatet', exact: true }).click();
  await cecilia.waitForURL(`${app.url}/jury/decision`);
  expect(await cecilia.locator('main').innerText()).toContain('Resultatet har låsts upp och sedan låsts igen.');

  // After the lock the scoring page says so and the controls are disabled.
  await cecilia.goto(`${app.url}/jury/entries/${ids[FORM]}`);
  expect(await cecilia.locator('main').innerText()).toContain('Juryns resultat är låst');
  expect(await cecilia.getByRole('button', { name: 'Skicka in bedömning' }).isDisabled()).toBe(true);

  // An employee sees nothing of it: no jury pages, nothing in the page source.
  const anna = await signedIn('Anna');
  for (const p of ['/jury', '/jury/decision', '/jury/ranking']) {
    const res = await anna.goto(`${app.url}${p}`);
    expect(res?.status()).toBe(403);
    expect(await anna.content()).not.toContain(MOTIVATION);
  }
  await expectAccessible(anna, 'jury refused for an employee (sv)');
  for (const p of ['/', '/entries', `/entries/${ids[FORM]}`]) {
    await anna.goto(`${app.url}${p}`);
    expect(await anna.content()).not.toContain(MOTIVATION);
  }
  for (const p of [david, cecilia, anna]) await p.context().close();
}, 240_000); // the longest journey: two jurors, the ranking, the decision, an unlock and a new lock

test('when the jury and admin pages are read in English, then they are complete and pass axe', async () => {
  const eva = await signedIn('Eva', 'en');
  await eva.goto(`${app.url}/jury`);
  expect(await eva.locator('h1').innerText()).toBe('Jury scoring');
  await expectAccessible(eva, 'jury dashboard (en)');
  await eva.goto(`${app.url}/jury/entries/${ids[APP]}`);
  expect(await eva.locator('main').innerText()).toContain('The lesson');
  await expectAccessible(eva, 'scoring page (en)');
  await eva.goto(`${app.url}/jury/ranking?sort=count&dir=desc`);
  expect(await eva.locator('th[aria-sort="descending"]').innerText()).toContain('Reviews');
  await expectAccessible(eva, 'ranking (en)');
  await eva.goto(`${app.url}/jury/decision`);
  expect(await eva.locator('main').innerText()).toContain('The result was locked');
  await expectAccessible(eva, 'decision (en)');
  await eva.context().close();
});

test('when a jury member opens an entry with a picture and a PDF, then the thumbnail is shown where they read, opens the full picture, and the page passes axe in both languages', async () => {
  // Arrange: the files as the nomination form stores them (re-encoded, with a thumbnail).
  const { processUpload, store } = await import('../../src/attachments/files');
  const sharp = (await import('sharp')).default;
  const picture = await processUpload('IMG_0042.png', await sharp({ create: { width: 640, height: 480, channels: 3, background: '#2a6' } }).png().toBuffer());
  const pdf = await processUpload('Solcellsrapport.pdf', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'));
  const attachmentIds: number[] = [];
  for (const p of [picture, pdf]) {
    const storageName = await store(app.dataDir, p);
    const [row] = await db('attachments')
      .insert({ nomination_id: ids[SOLAR], storage_name: storageName, original_name: p.originalName, mime: p.mime, size_bytes: p.data.length, width: p.width, height: p.height, has_thumbnail: Boolean(p.thumbnail), created_at: new Date() })
      .returning('id');
    attachmentIds.push(Number(typeof row === 'object' ? row.id : row));
  }
  const [pictureId, pdfId] = attachmentIds;

  for (const [locale, alt, fileLink] of [
    ['sv', `Bild till bidraget ”${SOLAR}”`, 'Öppna Solcellsrapport.pdf (PDF, 1 kB)'],
    ['en', `Picture for the entry “${SOLAR}”`, 'Open Solcellsrapport.pdf (PDF, 1 kB)'],
  ] as const) {
    const eva = await signedIn('Eva', locale);

    // Act
    await eva.goto(`${app.url}/jury/entries/${ids[SOLAR]}`);

    // Assert: the thumbnail has loaded (the juror may fetch it), and its link and the PDF's are there.
    const img = eva.getByRole('img', { name: alt });
    await img.waitFor();
    expect(await img.getAttribute('src')).toBe(`/attachments/${pictureId}/thumb`);
    expect(await img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth)).toBe(480);
    expect(await eva.locator(`a[href="/attachments/${pictureId}"] img`).count()).toBe(1);
    expect((await eva.getByRole('link', { name: fileLink }).getAttribute('href'))).toBe(`/attachments/${pdfId}`);
    await expectAccessible(eva, `scoring page with attachments (${locale})`);
    const full = await eva.goto(`${app.url}/attachments/${pictureId}`);
    expect(full?.status()).toBe(200);
    expect(full?.headers()['content-type']).toBe('image/png');
    await eva.context().close();
  }
});
