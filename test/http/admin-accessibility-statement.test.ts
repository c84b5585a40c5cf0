// R9: the accessibility statement follows Digg's model (MDFFS 2019:2) in both languages.
import { createTestContext, visibleText, type TestContext } from '../helpers/context';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const SECTIONS = {
  sv: [
    'Tillgänglighetsredogörelse',
    'Hur tillgänglig är webbplatsen?',
    'Vad kan du göra om du inte kan använda delar av webbplatsen?',
    'Rapportera brister i webbplatsens tillgänglighet',
    'Tillsyn',
    'Teknisk information om webbplatsens tillgänglighet',
    'Innehåll som inte är tillgängligt',
    'Bristande förenlighet med lagkraven',
    'Oskäligt betungande anpassning',
    'Innehåll som inte omfattas av lagstiftningen',
    'Hur vi testat webbplatsen',
  ],
  en: [
    'Accessibility statement',
    'How accessible is the website?',
    'What can you do if you cannot use parts of the website?',
    'Report accessibility problems on the website',
    'Supervision',
    "Technical information about the website's accessibility",
    'Content that is not accessible',
    'Non-compliance with the requirements',
    'Disproportionate burden',
    'Content that is not within the scope of the law',
    'How we tested the website',
  ],
};

describe.each(['sv', 'en'] as const)('accessibility statement in %s (R9)', (locale) => {
  test('when anyone opens it, signed out too, then it has every section of the model in order, the compliance status, the WCAG criteria, the supervisor and the dates', async () => {
    const agent = ctx.anonymous();
    if (locale === 'en') await agent.chooseLocale('en');
    const res = await agent.get('/accessibility');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<html lang="${locale}">`);
    const headings = [...res.text.matchAll(/<h[1-4][^>]*>([^<]+)<\/h[1-4]>/g)].map((m) => m[1].replace(/&#39;/g, "'"));
    expect(headings.filter((h) => SECTIONS[locale].includes(h))).toEqual(SECTIONS[locale]);
    const text = visibleText(res.text);
    expect(text).toContain(locale === 'sv' ? 'delvis förenlig med lagen om tillgänglighet till digital offentlig service' : 'partially compliant with the Act on accessibility to digital public services');
    for (const criterion of ['1.1.1', '1.3.1', '1.4.5']) expect(text).toContain(criterion);
    expect(res.text).toContain('href="https://www.digg.se/tdosanmalan"');
    expect(text).toMatch(locale === 'sv' ? /självskattning/ : /self-assessment/);
    expect(text).toMatch(locale === 'sv' ? /uppdaterades senast den \d+ \w+ \d{4}/ : /last updated on \d+ \w+ \d{4}/);
    expect(text).toContain('Helsingborgs stad');
  });
});

test('when a page is shown, then its footer links to the statement', async () => {
  const agent = await ctx.signIn('anna@example.org');
  for (const url of ['/', '/me', '/accessibility']) {
    expect((await agent.get(url)).text).toContain('<a href="/accessibility">Tillgänglighetsredogörelse</a>');
  }
});
