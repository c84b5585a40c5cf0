// The award night end to end (C1–C4): the presenter runs the whole ceremony with the keyboard, two
// phones vote live and the chart follows without a reload, the reveal publishes the result to the
// archive; axe on the live and archive pages in Swedish and English. Then the longest lesson the form
// allows on a finalist's slide: it fits the stage, in parts.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../helpers/server';
import { devSignIn, expectAccessible, launchBrowser, chooseEnglish } from '../helpers/browser';
import { openDatabase } from '../../src/db';
import { lockCurrentResult } from '../http/ceremony-fixtures';
import { LIMITS } from '../../src/nominations/validation';
import { MOTIVATION_MAX } from '../../src/jury/service';

let app: RunningApp;
let browser: Browser;
let fixture: Awaited<ReturnType<typeof lockCurrentResult>>;

beforeAll(async () => {
  app = await startApp();
  // The jury's locked decision, written into the running app's SQLite file (WAL allows it).
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
  await chooseEnglish(bo, app.url, '/auth/dev');
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

// C1: long texts fit the projector. The longest lesson the form allows cannot fit one 16:9 slide at a
// size readable from the back of a hall, so after stepping the type down the slide splits it into parts
// (→ shows the next part); every part fits the stage, and together they hold the whole lesson.
test('when a finalist has the longest lesson the form allows, then every part of it fits the stage, the last words are shown, the keyboard walks through the parts, and so does a button through the winner\'s longest citation', async () => {
  const END = 'och därför frågar vi alltid användarna först.';
  const sentence = 'Vi lärde oss att fråga dem som ska använda tjänsten innan vi bygger något. ';
  const longLesson = sentence.repeat(Math.ceil(LIMITS.text / sentence.length)).slice(0, LIMITS.text - END.length - 1).trimEnd() + ' ' + END;
  const mediumLesson = sentence.repeat(13).trim(); // about 1 000 characters: fits in smaller type
  const db = openDatabase({ dataDir: app.dataDir });
  await db('nominations').where({ id: fixture.finalistIds[0] }).update({ lesson: longLesson });
  await db('nominations').where({ id: fixture.finalistIds[1] }).update({ lesson: mediumLesson });
  await db.destroy();
  expect(longLesson.length).toBeLessThanOrEqual(LIMITS.text);

  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const cspErrors: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  await devSignIn(page, app.url, 'Alva Admin');
  await page.goto(`${app.url}/ceremony/${fixture.year}?slide=3`);

  /** Where the visible slide's lesson is, against its body and the stage; and the sizes that matter. */
  const measure = () =>
    page.evaluate(() => {
      const slide = document.querySelector('.slide:not([hidden])') as HTMLElement;
      const body = slide.querySelector('.slide__body') as HTMLElement;
      const lesson = slide.querySelector('.slide__lesson') as HTMLElement;
      const r = lesson.getBoundingClientRect();
      return {
        text: lesson.textContent ?? '',
        count: slide.querySelector('.slide__count')?.textContent ?? '',
        lessonBottom: r.bottom,
        lessonRight: r.right,
        bodyBottom: body.getBoundingClientRect().bottom,
        bodyRight: body.getBoundingClientRect().right,
        stageBottom: slide.getBoundingClientRect().bottom,
        clipped: lesson.scrollHeight > lesson.clientHeight + 1 || body.scrollHeight > body.clientHeight + 1,
        clamped: slide.classList.contains('is-clamped'),
        fontPx: parseFloat(getComputedStyle(lesson).fontSize),
        stageWidth: slide.getBoundingClientRect().width,
        animations: document.getAnimations().length,
      };
    });
  const expectFits = (m: Awaited<ReturnType<typeof measure>>) => {
    expect(m.lessonBottom).toBeLessThanOrEqual(m.bodyBottom + 1);
    expect(m.lessonBottom).toBeLessThanOrEqual(m.stageBottom);
    expect(m.lessonRight).toBeLessThanOrEqual(m.bodyRight + 1);
    expect(m.clipped).toBe(false);
    expect(m.clamped).toBe(false);
    // Never below about 17 pt on a PowerPoint-sized slide (1/57 of the stage's width).
    expect(m.fontPx).toBeGreaterThanOrEqual(m.stageWidth / 57);
  };

  const first = await measure();
  const parts = Number(/del 1 av (\d+)/.exec(first.count)?.[1]);
  expect(parts).toBeGreaterThan(1);
  expectFits(first);
  expect(first.animations).toBe(0); // prefers-reduced-motion: no slide-in
  await expectAccessible(page, 'ceremony slide with a split lesson');
  const shown = [first.text];
  for (let part = 2; part <= parts; part++) {
    await page.keyboard.press('ArrowRight');
    const m = await measure();
    expect(m.count).toContain(`del ${part} av ${parts}`);
    expectFits(m);
    shown.push(m.text);
  }
  expect(await visibleSlideKind(page)).toBe('finalist');
  expect(shown[shown.length - 1].endsWith(END)).toBe(true);
  await eventually(async () => expect(await page.locator('#announcer').innerText()).toBe(`del ${parts} av ${parts}`));
  // Together the parts hold the whole lesson, word for word.
  const words = (s: string) => s.replace(/…/g, ' ').split(/\s+/).filter(Boolean);
  expect(shown.flatMap(words)).toEqual(words(longLesson));

  // → leaves for the next finalist, whose 1 000 characters fit in one part in smaller type.
  await page.keyboard.press('ArrowRight');
  expect(new URL(page.url()).searchParams.get('slide')).toBe('4');
  const medium = await measure();
  expect(medium.count).not.toContain('del');
  expect(medium.text.trim()).toBe(mediumLesson);
  expectFits(medium);
  expect(Number(await page.locator('.slide:not([hidden])').getAttribute('data-fit'))).toBeLessThan(1);

  // ← comes back to the last part; on a full-HD projector the same part still fits.
  await page.keyboard.press('ArrowLeft');
  expect((await measure()).count).toContain(`del ${parts} av ${parts}`);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await eventually(async () => expect((await measure()).stageWidth).toBe(1920));
  await eventually(async () => {
    const m = await measure();
    expectFits(m);
    expect(m.text.endsWith(END)).toBe(true);
  });

  // The winner's slide with the longest citation the form allows: its parts fit too, and on the last
  // slide (no Next link) a "Nästa del" button walks through them.
  const citation = 'Juryn belönar modet att fråga användarna först, och lärdomen sprids nu i hela förvaltningen. '.repeat(30).slice(0, MOTIVATION_MAX - 12).trimEnd() + ' Tack Bygglov.';
  const db2 = openDatabase({ dataDir: app.dataDir });
  await db2('results').where({ edition_id: fixture.editionId }).update({ motivation: citation });
  await db2.destroy();
  await page.setViewportSize({ width: 1280, height: 720 });
  const total = await page.evaluate(() => document.querySelectorAll('.slide').length);
  await page.goto(`${app.url}/ceremony/${fixture.year}?slide=${total}`);
  expect(await visibleSlideKind(page)).toBe('winner');
  const winnerPart = () =>
    page.evaluate(() => {
      const slide = document.querySelector('.slide:not([hidden])') as HTMLElement;
      const body = slide.querySelector('.slide__body')!.getBoundingClientRect();
      const texts = Array.from(slide.querySelectorAll<HTMLElement>('[data-flow]')).filter((el) => el.getClientRects().length);
      return {
        count: slide.querySelector('.slide__count')?.textContent ?? '',
        text: texts.map((el) => el.textContent).join(' '),
        fits: texts.every((el) => el.getBoundingClientRect().bottom <= body.bottom + 1 && el.scrollHeight <= el.clientHeight + 1),
        minFontPx: Math.min(...texts.map((el) => parseFloat(getComputedStyle(el).fontSize))),
        stageWidth: slide.getBoundingClientRect().width,
      };
    });
  const winnerParts = [await winnerPart()];
  const winnerCount = Number(/del 1 av (\d+)/.exec(winnerParts[0].count)?.[1]);
  expect(winnerCount).toBeGreaterThan(1);
  await expectAccessible(page, "winner's slide with a split citation");
  const nextPart = page.getByRole('button', { name: 'Nästa del' });
  for (let part = 2; part <= winnerCount; part++) {
    await nextPart.click();
    winnerParts.push(await winnerPart());
  }
  expect(await nextPart.isHidden()).toBe(true);
  for (const p of winnerParts) {
    expect(p.fits).toBe(true);
    expect(p.minFontPx).toBeGreaterThanOrEqual(p.stageWidth / 58);
  }
  expect(winnerParts.map((p) => p.text).join(' ')).toContain('Tack Bygglov.');
  expect(winnerParts[winnerParts.length - 1].text.endsWith(mediumLesson.slice(-30))).toBe(true);
  expect(cspErrors).toEqual([]);
  await context.close();
});
