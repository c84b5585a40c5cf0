// Debian's Chromium driven by playwright-core (never a downloaded browser), and axe-core checks for
// WCAG 2.1 A/AA on every page a journey visits.
import { chromium, type Browser, type Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

export type AxeViolation = { id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown; html: string }> };

/** Runs axe on the page as it is now; returns the violations in a form that reads well in a failure. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Colour contrast measured in the middle of a fade-in is not what a person reads: let transitions end.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5_000 })
    .catch(() => undefined);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
  }));
}

/** Asserts no axe violations, naming the page in the failure message. */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length) {
    throw new Error(`axe found ${violations.length} violation(s) on ${label}:\n${JSON.stringify(violations, null, 2)}`);
  }
}

/** Signs in through the demo sign-in page by clicking the user's button. */
export async function devSignIn(page: Page, baseUrl: string, name: string): Promise<void> {
  await page.goto(`${baseUrl}/auth/dev`);
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.waitForLoadState('domcontentloaded');
}

/** Opens `next` and switches it to English with the header's language button (a POST form, no script needed). */
export async function chooseEnglish(page: Page, baseUrl: string, next: string): Promise<void> {
  await page.goto(`${baseUrl}${next}`);
  await page.click('form[action="/lang"] button[lang="en"]');
  await page.waitForSelector('html[lang="en"]');
  await page.waitForLoadState('load');
}
