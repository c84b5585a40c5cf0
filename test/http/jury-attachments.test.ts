// The jury's scoring page shows an entry's attachments where the juror reads (J3, N7): pictures as their
// thumbnails linking to the full image, with an alt text naming the entry (not the file name), and PDFs as
// links with name and size. Files come only through the access-checked /attachments/:id route.
import sharp from 'sharp';
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { translate } from '../../src/i18n';
import '../../src/app'; // registers every feature's messages

let ctx: TestContext;
let departmentId: number;
const TITLE = 'Skylten som pekade åt fel håll';
let entryId: number;
let images: Array<{ id: number; storage_name: string }>;
let pdf: { id: number; size_bytes: number };
let draftAttachmentId: number;
let moderationAttachmentId: number;

const cleanPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

const photo = (width: number, height: number, colour: string) => sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();

async function nominate(agent: Agent, title: string, files: Array<[Buffer, string]>, action: 'submit' | 'draft' = 'submit') {
  const token = await agent.csrf();
  let req = agent.post('/nominate').field('_csrf', token);
  const fields: Record<string, string> = {
    title,
    lesson: 'Vi lärde oss att fråga den som ska läsa skylten.',
    what_happened: 'Skylten pekade mot förrådet i stället för mot receptionen.',
    department_id: String(departmentId),
    includes_self: 'yes',
    eligibility: 'yes',
    action,
  };
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  for (const [buf, name] of files) req = req.attach('attachments', buf, name);
  const res = await req;
  expect(res.status).toBe(303);
  return ctx.db('nominations').where({ title }).orderBy('id', 'desc').first();
}

async function attachmentsOf(nominationId: number) {
  return ctx.db('attachments').where({ nomination_id: nominationId }).orderBy('id');
}

beforeAll(async () => {
  ctx = await createTestContext();
  const edition = await ctx.db('editions').whereNull('archived_at').first();
  departmentId = Number((await ctx.db('departments').where({ edition_id: edition.id }).first()).id);

  // David (a jury member) submits it, so he has automatic jäv; an admin publishes it.
  const david = await ctx.signIn('david@example.org');
  const entry = await nominate(david, TITLE, [
    [await photo(800, 600, '#c33'), 'IMG_4711.png'],
    [await photo(300, 200, '#33c'), 'IMG_4712.png'],
    [cleanPdf, 'Åtgärdsrapport.pdf'],
  ]);
  entryId = Number(entry.id);
  const admin = await ctx.signIn('admin@example.org');
  const published = await admin.post(`/admin/moderation/${entryId}/publish`).type('form').send({ _csrf: await admin.csrf() });
  expect(published.status).toBe(303);
  expect((await ctx.db('nominations').where({ id: entryId }).first()).status).toBe('published');
  const stored = await attachmentsOf(entryId);
  images = stored.filter((a) => a.has_thumbnail).map((a) => ({ id: Number(a.id), storage_name: String(a.storage_name) }));
  const p = stored.find((a) => a.mime === 'application/pdf');
  pdf = { id: Number(p.id), size_bytes: Number(p.size_bytes) };

  // Anna's draft and a submitted entry waiting for moderation, each with a picture: not the jury's to see.
  const anna = await ctx.signIn('anna@example.org');
  const draft = await nominate(anna, 'Annas utkast med bild', [[await photo(40, 30, '#3c3'), 'utkast.png']], 'draft');
  draftAttachmentId = Number((await attachmentsOf(Number(draft.id)))[0].id);
  const waiting = await nominate(anna, 'Annas bidrag som väntar på granskning', [[await photo(40, 30, '#cc3'), 'granskas.png']]);
  expect(waiting.status).not.toBe('published');
  moderationAttachmentId = Number((await attachmentsOf(Number(waiting.id)))[0].id);
});
afterAll(async () => {
  await ctx.close();
});

describe('attachments on the scoring page (J3, N7)', () => {
  test('when a jury member opens an entry with two pictures and a PDF, then the pictures are thumbnails linking to the full image with an alt text naming the entry, and the PDF is a link with name and size', async () => {
    // Arrange
    const eva = await ctx.signIn('eva@example.org');

    // Act
    const res = await eva.get(`/jury/entries/${entryId}`);

    // Assert
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.text)).toBeLessThan(100 * 1024);
    expect(res.text).toContain(
      `<a href="/attachments/${images[0].id}"><img src="/attachments/${images[0].id}/thumb" alt="Bild 1 av 2 till bidraget ”${TITLE}”" width="480" height="360">`,
    );
    expect(res.text).toContain(
      `<a href="/attachments/${images[1].id}"><img src="/attachments/${images[1].id}/thumb" alt="Bild 2 av 2 till bidraget ”${TITLE}”" width="300" height="200">`,
    );
    expect(res.text).toContain(`<a href="/attachments/${pdf.id}">Öppna Åtgärdsrapport.pdf (PDF, 1 kB)</a>`);
    const text = visibleText(res.text);
    expect(text).toContain('Bilagor');
    expect(text).toContain('Visa i full storlek');
    // The file names of pictures are not shown as their description, and stored names never leave the server.
    expect(res.text).not.toContain('IMG_4711');
    for (const a of images) expect(res.text).not.toContain(a.storage_name);
    // The PDF is not shown as a picture.
    expect(res.text).not.toContain(`/attachments/${pdf.id}/thumb`);
  });

  test('when the jury member reads in English, then the alt text and the file link are in English', async () => {
    const eva = await ctx.signIn('eva@example.org');
    await eva.chooseLocale('en');
    const res = await eva.get(`/jury/entries/${entryId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`alt="Picture 1 of 2 for the entry “${TITLE}”"`);
    expect(res.text).toContain(`<a href="/attachments/${pdf.id}">Open Åtgärdsrapport.pdf (PDF, 1 kB)</a>`);
    expect(visibleText(res.text)).toContain('Show full size');
    await eva.chooseLocale('sv');
  });

  test('when an entry has a single picture, then its alt text says "picture for the entry" without numbering', () => {
    expect(translate('sv', 'jury.entry.imageAlt', { n: 1, count: 1, title: 'X' })).toBe('Bild till bidraget ”X”');
    expect(translate('en', 'jury.entry.imageAlt', { n: 1, count: 1, title: 'X' })).toBe('Picture for the entry “X”');
  });

  test('when a jury member fetches the thumbnail, the full picture and the PDF shown on the page, then each is served with safe headers', async () => {
    const cecilia = await ctx.signIn('cecilia@example.org');
    const thumb = await cecilia.get(`/attachments/${images[0].id}/thumb`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(thumb.body as Buffer).metadata();
    expect({ width: meta.width, height: meta.height }).toEqual({ width: 480, height: 360 });
    const full = await cecilia.get(`/attachments/${images[0].id}`);
    expect(full.status).toBe(200);
    expect(full.headers['content-type']).toBe('image/png');
    const file = await cecilia.get(`/attachments/${pdf.id}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; /);
    expect(Number(file.headers['content-length'])).toBe(pdf.size_bytes);
  });

  test('when a jury member asks for a picture of a colleague\'s draft or of an entry still in moderation, then it is not found', async () => {
    const eva = await ctx.signIn('eva@example.org');
    for (const id of [draftAttachmentId, moderationAttachmentId]) {
      expect((await eva.get(`/attachments/${id}/thumb`)).status).toBe(404);
      expect((await eva.get(`/attachments/${id}`)).status).toBe(404);
    }
    expect((await eva.get('/attachments/999999/thumb')).status).toBe(404);
    expect((await eva.get('/attachments/abc/thumb')).status).toBe(404);
    // A PDF has no thumbnail.
    expect((await eva.get(`/attachments/${pdf.id}/thumb`)).status).toBe(404);
  });

  test('when a jury member with jäv opens the scoring page, then they are refused as before and see no attachment', async () => {
    const david = await ctx.signIn('david@example.org');
    const res = await david.get(`/jury/entries/${entryId}`);
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('Du är jävig för det här bidraget');
    expect(res.text).not.toContain('/attachments/');
  });

  test('when an employee who is not on the jury opens the scoring page, then they are refused and see no attachment', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const res = await anna.get(`/jury/entries/${entryId}`);
    expect(res.status).toBe(403);
    expect(visibleText(res.text)).toContain('Juryns sidor är bara för jurymedlemmar och administratörer.');
    expect(res.text).not.toContain('/attachments/');
    expect(res.text).not.toContain(TITLE);
  });

  test('when an entry has no attachments, then the scoring page has no attachments heading', async () => {
    const eva = await ctx.signIn('eva@example.org');
    const other = await ctx.db('nominations').where({ title: 'Bygglovsblanketten med 47 frågor' }).first();
    expect(await attachmentsOf(Number(other.id))).toHaveLength(0);
    const res = await eva.get(`/jury/entries/${other.id}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('attachments-heading');
  });
});
