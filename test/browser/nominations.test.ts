// The Done-when journey of issue 4 in Chromium: anna nominates herself and bo with a photo, bo consents
// through the link in the mail that arrived at the SMTP server, the admin publishes, and anyone sees the
// entry with the photo in the gallery. axe on every page, in Swedish and English.
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { freePort, startApp, type RunningApp } from '../helpers/server';
import { devSignIn, expectAccessible, launchBrowser, chooseEnglish } from '../helpers/browser';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

let app: RunningApp;
let browser: Browser;
let smtp: TestSmtp;
let photo: Buffer;

beforeAll(async () => {
  smtp = await startSmtp();
  const port = await freePort();
  app = await startApp({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, SMTP_URL: smtp.url });
  browser = await launchBrowser();
  photo = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#2a7f62' } }).jpeg().toBuffer();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await smtp?.close();
});

async function signedIn(name: string, locale: 'sv' | 'en'): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  if (locale === 'en') await chooseEnglish(page, app.url, '/auth/dev');
  await devSignIn(page, app.url, name);
  return page;
}

describe.each(['sv', 'en'] as const)('nominating in %s', (locale) => {
  test('when anna nominates herself and bo with a photo, bo consents by mail and the admin publishes, then everyone sees it with the photo', async () => {
    const title = locale === 'sv' ? 'Skrivaren som skrev ut allt två gånger' : 'The printer that printed everything twice';

    // anna fills in the form
    const anna = await signedIn('Anna', locale);
    await anna.goto(`${app.url}/nominate`);
    await expectAccessible(anna, `nominate (${locale})`);
    // sending it empty brings the form back with an error summary linking to the fields
    await anna.click('button[name="action"][value="submit"]');
    await anna.waitForLoadState('domcontentloaded');
    expect(await anna.locator('.error-summary a[href="#f-lesson"]').count()).toBe(1);
    await expectAccessible(anna, `nominate with errors (${locale})`);
    await anna.fill('#f-title', title);
    await anna.fill('#f-lesson', 'Vi lärde oss att fråga användarna innan vi ändrar standardinställningar.');
    await anna.fill('#f-changes', 'Nu testar vi varje ändring med tre kollegor först.');
    await anna.fill('#f-what_happened', 'En ny inställning gjorde att alla utskrifter kom dubbelt i en månad.');
    await anna.selectOption('#f-department_id', { label: 'Skol- och fritidsförvaltningen' });
    await anna.check('#f-includes_self');
    await anna.selectOption('#f-c0_user', { label: 'Bo Ekström (Stadsbyggnadsförvaltningen)' });
    await anna.setInputFiles('#f-attachments', { name: 'skrivaren.jpg', mimeType: 'image/jpeg', buffer: photo });
    await anna.check('#f-eligibility');
    await anna.click('button[name="action"][value="submit"]');
    await anna.waitForURL(/\/nominations\/\d+\/thanks$/);
    expect(await anna.locator('h1').innerText()).toBe(locale === 'sv' ? 'Tack för din nominering!' : 'Thank you for your nomination!');
    expect(await anna.locator('main').innerText()).toContain('Bo Ekström');
    await expectAccessible(anna, `thank-you page (${locale})`);
    await anna.goto(`${app.url}/nominations/mine`);
    await expectAccessible(anna, `my nominations (${locale})`);

    // bo gets the mail and answers through its link
    const mail = await smtp.waitFor((m) => m.to.includes('bo@example.org') && m.text.includes(title));
    const link = /(http:\/\/127\.0\.0\.1:\d+\/consent\/[\w-]+)/.exec(mail.text)?.[1];
    expect(link).toBeDefined();
    const bo = await signedIn('Bo', locale);
    await bo.goto(`${app.url}/notifications`);
    await expectAccessible(bo, `notifications (${locale})`);
    await bo.goto(link!);
    expect(await bo.locator('h2#entry-title').innerText()).toBe(title);
    await expectAccessible(bo, `consent (${locale})`);
    await bo.fill('#f-message', 'Självklart!');
    await bo.click('button[name="answer"][value="give"]');
    await bo.waitForLoadState('domcontentloaded');
    expect(await bo.locator('.notice--success').innerText()).toContain(locale === 'sv' ? 'Du har sagt ja' : 'You have agreed');
    await expectAccessible(bo, `consent answered (${locale})`);

    // the admin publishes
    const admin = await signedIn('Alva', locale);
    await admin.goto(`${app.url}/admin/moderation`);
    await expectAccessible(admin, `moderation queue (${locale})`);
    await admin.locator('tr', { hasText: title }).getByRole('link').click();
    await admin.waitForURL(/\/admin\/moderation\/\d+$/);
    await expectAccessible(admin, `moderation item (${locale})`);
    await admin.click('form[action$="/publish"] button[type="submit"]');
    await admin.waitForURL(/\/admin\/moderation$/);

    // anyone sees it in the gallery, with the photo
    const eva = await signedIn('Eva', locale);
    await eva.goto(`${app.url}/entries?q=${encodeURIComponent(title.toUpperCase())}`);
    await expectAccessible(eva, `gallery (${locale})`);
    const card = eva.locator('.entry-card', { hasText: title });
    await expect(card.count()).resolves.toBe(1);
    const thumbLoaded = await card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
    expect(thumbLoaded).toBe(true);
    await card.getByRole('heading').getByRole('link').click();
    await eva.waitForURL(/\/entries\/\d+$/);
    expect(await eva.locator('h1').innerText()).toBe(title);
    expect(await eva.locator('.entry__meta').innerText()).toContain('Anna Lindqvist, Bo Ekström');
    const image = eva.locator('.gallery-images img');
    expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await expectAccessible(eva, `entry (${locale})`);
    const full = await eva.request.get(`${app.url}${await eva.locator('.gallery-images a').getAttribute('href')}`);
    expect(full.headers()['content-type']).toBe('image/jpeg');

    for (const p of [anna, bo, admin, eva]) await p.context().close();
  });
});
