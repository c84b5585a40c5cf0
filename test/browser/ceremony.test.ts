// The award night end to end (C1–C3, C6–C8): the presenter runs the show from the presenter's view with
// a clicker's keys; the projector (another browser, as on another computer) follows with slides only and
// survives a network blip; phones vote signed in and with the room code from the slide; the reveal needs
// its confirmation. axe on the presenter, the projector and the phone in Swedish and English.
// SCREENSHOTS=dir saves every slide at 1920×1080 and the phone at 390×844.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/server';
import { devSignIn, expectAccessible, launchBrowser, chooseEnglish } from '../helpers/browser';
import { openDatabase } from '../../src/db';
import { lockCurrentResult, MOTIVATION } from '../http/ceremony-fixtures';
import { LIMITS } from '../../src/nominations/validation';
import { MOTIVATION_MAX } from '../../src/jury/service';

let app: RunningApp;
let browser: Browser;
let fixture: Awaited<ReturnType<typeof lockCurrentResult>>;
const shots = process.env.SCREENSHOTS;

beforeAll(async () => {
  app = await startApp();
  const db = openDatabase({ dataDir: app.dataDir });
  fixture = await lockCurrentResult(db, new Date()); // the started app runs on the real clock
  // The ceremony comes after the people's vote: the reveal is refused while it is open.
  await db('editions').where({ id: fixture.editionId }).update({ voting_override: 'closed' });
  await db.destroy();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

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
const screenKind = (page: Page) => page.locator('#stage .slide').getAttribute('data-kind');

// Words only the operator should read: none of them may reach the projector.
const OPERATOR_TEXT = [/Bild \d+ av/, /Nästa/, /Föregående/, /Öppna omröstningen/, /Stäng omröstningen/, /Visa vinnaren/, /Lämna/, /Page Down/, /Tangent/, /Anteckningar/, /Repetition/];

async function expectNoOperatorText(projector: Page): Promise<void> {
  const text = await projector.locator('body').innerText();
  for (const re of OPERATOR_TEXT) expect(text).not.toMatch(re);
  expect(await projector.locator('button, a, input, form').count()).toBe(0);
}

async function shot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await page.waitForTimeout(3500); // let the entrance and the confetti settle
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

test('when the presenter runs the show, then the projector follows with slides only, through a network blip, phones vote signed in and with the room code, and the winner appears only after the confirmed reveal', async () => {
  const presenterContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const presenter = await presenterContext.newPage();
  await devSignIn(presenter, app.url, 'Alva Admin');
  await presenter.goto(`${app.url}/ceremony/${fixture.year}`);
  await expectAccessible(presenter, 'presenter view (sv)');
  expect(await presenter.locator('.presenter__order').innerText()).toContain('bokstavsordning');
  // A marker a reload would wipe out: the presenter's controls work without reloading the page.
  await presenter.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

  // Everyone in the hall may vote with the code on the slide; the bars stay visible.
  await presenter.getByLabel('Alla i salen med koden på bilden (en röst per mobil)').check();
  await presenter.getByRole('button', { name: 'Spara' }).click();
  await eventually(async () => expect(await presenter.getByLabel('Alla i salen med koden på bilden (en röst per mobil)').isChecked()).toBe(true));

  // The projector: another browser context, signed in as a colleague (as on the venue's computer).
  const projectorContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const projector = await projectorContext.newPage();
  await devSignIn(projector, app.url, 'Anna');
  await projector.goto(`${app.url}/ceremony/${fixture.year}/screen`);
  expect(await screenKind(projector)).toBe('title');
  await expectNoOperatorText(projector);
  await expectAccessible(projector, 'projector, title slide (sv)');
  await shot(projector, '01-title');

  const next = async () => {
    await presenter.bringToFront();
    await presenter.keyboard.press('PageDown');
  };

  // The clicker moves the show; the projector follows without reloading.
  await projector.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await next();
  await eventually(async () => expect(await screenKind(projector)).toBe('idea'));
  await shot(projector, '02-idea');

  // Finalists in alphabetical order, never the jury's order.
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    await next();
    await eventually(async () => expect(await projector.locator('#stage .slide').getAttribute('data-key')).toBe(`finalist-${i + 1}`));
    seen.push(await projector.locator('#stage .slide h1').innerText());
    await expectNoOperatorText(projector);
    await shot(projector, `03-finalist-${i + 1}`);
  }
  expect(seen).toEqual([...fixture.titles].sort((a, b) => a.localeCompare(b, 'sv')));
  expect(await projector.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);

  // A network blip on the projector: the show moves on meanwhile; back online it shows the live slide.
  await projectorContext.setOffline(true);
  await next();
  await projectorContext.setOffline(false);
  await eventually(async () => expect(await screenKind(projector)).toBe('live'), 15_000);

  // B blanks the screen and brings it back.
  await eventually(async () => expect(await presenter.locator('#presenter').getAttribute('data-key')).toBe('live'));
  await presenter.keyboard.press('b');
  await eventually(async () => expect(await presenter.locator('#presenter').getAttribute('data-black')).toBe('true'));
  await eventually(async () => expect(await projector.locator('body').getAttribute('class')).toContain('is-black'));
  await presenter.keyboard.press('b');
  await eventually(async () => expect(await projector.locator('body').getAttribute('class')).not.toContain('is-black'));

  // Open the vote; the room code appears on the slide.
  await presenter.getByRole('button', { name: 'Öppna omröstningen' }).click();
  await eventually(async () => expect(await projector.locator('.live-slide__code').count()).toBe(1));
  const code = (await projector.locator('.live-slide__code strong').innerText()).replace(/\s/g, '');
  expect(code).toMatch(/^\d{6}$/);
  await expectNoOperatorText(projector);
  await expectAccessible(projector, 'projector, live slide (sv)');
  await shot(presenter, '21-presenter-live');

  // A signed-in phone.
  const annaContext = await browser.newContext(phone);
  const anna = await annaContext.newPage();
  await devSignIn(anna, app.url, 'Anna');
  await anna.goto(`${app.url}/live`);
  expect(await anna.locator('header, nav').count()).toBe(0);
  await anna.getByRole('button', { name: fixture.titles[0] }).click();
  await anna.waitForURL(`${app.url}/live`);
  expect(await anna.locator('.phone__thanks').innerText()).toContain('Tack');
  await expectAccessible(anna, 'phone, voted (sv)');
  await shot(anna, '10-phone-voted');

  // Two phones in the hall, not signed in: one types a wrong code first, then the right one; one in English.
  const guestContext = await browser.newContext(phone);
  const guest = await guestContext.newPage();
  await guest.goto(`${app.url}/live`);
  await guest.getByLabel('Kod (sex siffror)').fill('000000' === code ? '111111' : '000000');
  await guest.getByRole('button', { name: 'Gå vidare' }).click();
  expect(await guest.locator('.phone__error').innerText()).toContain('Koden stämmer inte');
  await expectAccessible(guest, 'phone, wrong code (sv)');
  await shot(guest, '12-phone-code');
  await guest.getByLabel('Kod (sex siffror)').fill(code);
  await guest.getByRole('button', { name: 'Gå vidare' }).click();
  await guest.getByRole('button', { name: fixture.titles[1] }).click();
  await guest.waitForURL(`${app.url}/live`);

  const guestEnContext = await browser.newContext(phone);
  const guestEn = await guestEnContext.newPage();
  await chooseEnglish(guestEn, app.url, '/auth/dev');
  await guestEn.goto(`${app.url}/live?code=${code}`);
  await expectAccessible(guestEn, 'phone, vote (en)');
  await guestEn.getByRole('button', { name: fixture.titles[1] }).click();
  await guestEn.waitForURL(`${app.url}/live`);
  expect(await guestEn.locator('.phone__thanks').innerText()).toContain('Thank you');

  // The projector shows the votes, counted apart (signed in / in the hall).
  const count = (id: number) => projector.locator(`.chart__row[data-nomination="${id}"] .chart__count`).innerText();
  await eventually(async () => {
    expect(await count(fixture.finalistIds[0])).toBe('1');
    expect(await count(fixture.finalistIds[1])).toBe('2');
  });
  expect(await projector.locator(`.chart__row[data-nomination="${fixture.finalistIds[1]}"] .chart__split`).innerText()).toContain('Inloggade: 0 · I salen: 2');
  await shot(projector, '04-live');

  // Closing the vote changes the phones by themselves.
  await presenter.getByRole('button', { name: 'Stäng omröstningen' }).click();
  await eventually(async () => expect(await guest.locator('h1').innerText()).toBe('Omröstningen är stängd'));
  await expectAccessible(guest, 'phone, closed (sv)');
  await shot(guest, '11-phone-result');

  // The drumroll: the clicker does not go further; the reveal needs the box ticked.
  await next();
  await eventually(async () => expect(await screenKind(projector)).toBe('drumroll'));
  await shot(projector, '05-drumroll');
  await next();
  await presenter.waitForTimeout(500);
  expect(await screenKind(projector)).toBe('drumroll');
  await expectAccessible(presenter, 'presenter view at the drumroll (sv)');
  expect(await presenter.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(7);
  await shot(presenter, '20-presenter-drumroll');
  await presenter.getByRole('button', { name: 'Visa vinnaren' }).click();
  expect(await presenter.locator('#reveal-confirm:invalid').count()).toBe(1); // the browser keeps the form back
  expect(await screenKind(projector)).toBe('drumroll');

  await presenter.getByLabel('Ja, visa vinnaren nu').check();
  await presenter.getByRole('button', { name: 'Visa vinnaren' }).click();
  await eventually(async () => expect(await screenKind(projector)).toBe('winner'));
  const winnerTitle = fixture.titles[fixture.finalistIds.indexOf(fixture.winnerId)];
  expect(await projector.locator('#stage h1').innerText()).toBe(winnerTitle);
  await eventually(async () => expect(await projector.locator('#announcer').innerText()).toContain(winnerTitle));
  expect(await projector.locator('.slide__logo').count()).toBe(1);
  await expectNoOperatorText(projector);
  await shot(projector, '06-winner');

  await next();
  await eventually(async () => expect(await screenKind(projector)).toBe('citation'));
  expect(await projector.locator('.slide__motivation').innerText()).toContain(MOTIVATION);
  await expectAccessible(projector, 'projector, citation (sv)');
  await shot(projector, '07-citation');

  // The presenter view and the projector in English.
  await chooseEnglish(presenter, app.url, '/');
  await presenter.goto(`${app.url}/ceremony/${fixture.year}`);
  expect(await presenter.getAttribute('html', 'lang')).toBe('en');
  await expectAccessible(presenter, 'presenter view (en)');
  await chooseEnglish(projector, app.url, '/');
  await projector.goto(`${app.url}/ceremony/${fixture.year}/screen`);
  expect(await projector.locator('.slide__eyebrow').innerText()).toMatch(/jury's citation/i);
  await expectAccessible(projector, 'projector (en)');
  await shot(projector, '08-citation-en');
  await shot(presenter, '22-presenter-en');

  // After the reveal the home page shows the winner with the citation.
  await anna.goto(`${app.url}/`);
  expect(await anna.locator('main').innerText()).toContain(winnerTitle);
});

// C1, C6: long texts on the projector. The longest lesson and citation the forms allow cannot fit one
// 16:9 slide at a size readable from the back of a hall: the server splits them into slides of their
// own, and on the projector every one of them fits the stage at a readable size, together word for word.
test('when a finalist has the longest lesson and the winner the longest citation the forms allow, then the projector shows them on several slides that each fit the stage', async () => {
  const END = 'och därför frågar vi alltid användarna först.';
  const sentence = 'Vi lärde oss att fråga dem som ska använda tjänsten innan vi bygger något. ';
  const longLesson = sentence.repeat(Math.ceil(LIMITS.text / sentence.length)).slice(0, LIMITS.text - END.length - 1).trimEnd() + ' ' + END;
  const citation = 'Juryn belönar modet att fråga användarna först, och lärdomen sprids nu i hela förvaltningen. '.repeat(30).slice(0, MOTIVATION_MAX - 12).trimEnd() + ' Tack Bygglov.';
  const db = openDatabase({ dataDir: app.dataDir });
  await db('nominations').where({ id: fixture.finalistIds[0] }).update({ lesson: longLesson });
  await db('results').where({ edition_id: fixture.editionId }).update({ motivation: citation });
  await db.destroy();

  const presenterContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const presenter = await presenterContext.newPage();
  await devSignIn(presenter, app.url, 'Alva Admin');
  await presenter.goto(`${app.url}/ceremony/${fixture.year}/slides`);
  const keys = await presenter.locator('.deck__slide .slide').evaluateAll((els) => els.map((e) => ({ key: (e as HTMLElement).dataset.key!, title: e.querySelector('h1')?.textContent ?? '' })));
  const title = fixture.titles[0];
  const lessonKeys = keys.filter((k) => k.title === title && k.key.startsWith('finalist-')).map((k) => k.key);
  const citationKeys = keys.filter((k) => k.key.startsWith('citation')).map((k) => k.key);
  expect(lessonKeys.length).toBeGreaterThan(1);
  expect(citationKeys.length).toBeGreaterThan(1);
  await presenter.goto(`${app.url}/ceremony/${fixture.year}`);
  const csrf = (await presenter.locator('meta[name="csrf-token"]').getAttribute('content'))!;

  const projectorContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
  const projector = await projectorContext.newPage();
  const cspErrors: string[] = [];
  projector.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  await devSignIn(projector, app.url, 'Anna');
  await projector.goto(`${app.url}/ceremony/${fixture.year}/screen`);

  const measure = () =>
    projector.evaluate(() => {
      const slide = document.querySelector('#stage .slide') as HTMLElement;
      const body = slide.querySelector('.slide__body') as HTMLElement;
      const text = slide.querySelector('[data-flow]') as HTMLElement;
      const r = text.getBoundingClientRect();
      return {
        text: text.textContent ?? '',
        bottom: r.bottom,
        bodyBottom: body.getBoundingClientRect().bottom,
        clipped: text.scrollHeight > text.clientHeight + 1 || body.scrollHeight > body.clientHeight + 1,
        clamped: slide.classList.contains('is-clamped'),
        fontPx: parseFloat(getComputedStyle(text).fontSize),
        stageWidth: slide.getBoundingClientRect().width,
      };
    });

  const shownFor = async (list: string[]) => {
    const shown: string[] = [];
    for (const key of list) {
      const res = await presenterContext.request.post(`${app.url}/ceremony/${fixture.year}/show`, { form: { _csrf: csrf, action: 'goto', slide: key }, headers: { Accept: 'application/json' } });
      expect(res.status()).toBe(200);
      await eventually(async () => expect(await projector.locator('#stage .slide').getAttribute('data-key')).toBe(key));
      const m = await measure();
      expect(m.bottom).toBeLessThanOrEqual(m.bodyBottom + 1);
      expect(m.clipped).toBe(false);
      expect(m.clamped).toBe(false);
      expect(m.fontPx).toBeGreaterThanOrEqual(m.stageWidth / 57);
      shown.push(m.text);
    }
    return shown;
  };
  const words = (s: string) => s.replace(/…/g, ' ').split(/\s+/).filter(Boolean);
  const lessonParts = await shownFor(lessonKeys);
  expect(lessonParts.flatMap(words)).toEqual(words(longLesson));
  await shot(projector, '09-long-lesson-part');
  const citationParts = await shownFor(citationKeys);
  expect(citationParts.flatMap(words)).toEqual(words(citation));
  await expectAccessible(projector, 'projector, a part of a long citation');
  expect(cspErrors).toEqual([]);
  await Promise.all([presenterContext.close(), projectorContext.close()]);
});
