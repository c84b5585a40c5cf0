// Attachments (N7): checked by content, images re-encoded without metadata, limits with clear messages,
// served only to those who may see the entry, with safe headers.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { createTestContext, visibleText, type Agent, type TestContext } from '../helpers/context';
import { safeFileName, contentDisposition, sniff } from '../../src/attachments/files';
import { inspectPdf } from '../../src/attachments/pdf';

let ctx: TestContext;
let departmentId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  const edition = await ctx.db('editions').whereNull('archived_at').first();
  departmentId = Number((await ctx.db('departments').where({ edition_id: edition.id }).first()).id);
});
afterAll(async () => {
  await ctx.close();
});

async function nominate(agent: Agent, files: Array<[Buffer, string]>, extra: Record<string, string> = {}) {
  const token = await agent.csrf();
  let req = agent.post('/nominate').field('_csrf', token);
  const fields: Record<string, string> = {
    title: 'Med bilagor',
    lesson: 'Vi lärde oss att spara bilder rätt.',
    what_happened: 'Något hände.',
    department_id: String(departmentId),
    includes_self: 'yes',
    eligibility: 'yes',
    action: 'submit',
    ...extra,
  };
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  for (const [buf, name] of files) req = req.attach('attachments', buf, name);
  return req;
}

async function counts() {
  const n = await ctx.db('nominations').count({ n: '*' }).first();
  const a = await ctx.db('attachments').count({ n: '*' }).first();
  return { nominations: Number(n?.n), attachments: Number(a?.n) };
}

function storedFiles(): string[] {
  const dir = path.join(ctx.dataDir, 'attachments');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

async function photoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#d33' } })
    .jpeg()
    .withExif({ IFD0: { Make: 'Kamera', Model: 'Hemlig' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '56/1 2/1 0/1' } } as never)
    .toBuffer();
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A tiny PNG whose header claims 30,000 × 30,000 pixels (a decompression bomb). */
function bombPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30_000, 0);
  ihdr.writeUInt32BE(30_000, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

const cleanPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const scriptPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction 3 0 R >> endobj\n3 0 obj << /S /JavaScript /JS (app.alert\\(1\\)) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

describe('accepted files', () => {
  test('when a photo with GPS data is attached, then it is stored re-encoded without metadata, with a thumbnail, under a random name', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const photo = await photoWithGps();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const res = await nominate(anna, [[photo, '../../etc/semester på Öland.jpg']]);
    expect(res.status).toBe(303);
    const a = await ctx.db('attachments').orderBy('id', 'desc').first();
    expect(a.original_name).toBe('semester på Öland.jpg');
    expect(a.mime).toBe('image/jpeg');
    expect(a.storage_name).toMatch(/^[0-9a-f]{48}$/);
    expect(storedFiles()).toEqual(expect.arrayContaining([a.storage_name, `${a.storage_name}.thumb`]));
    const stored = fs.readFileSync(path.join(ctx.dataDir, 'attachments', a.storage_name));
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(stored.includes(Buffer.from('Hemlig'))).toBe(false);

    const file = await anna.get(`/attachments/${a.id}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-security-policy']).toContain("default-src 'none'");
    expect(file.headers['content-security-policy']).toContain('sandbox');
    expect(file.headers['content-disposition']).toBe(`inline; filename="semester pa Oland.jpg"; filename*=UTF-8''semester%20p%C3%A5%20%C3%96land.jpg`);
    const thumb = await anna.get(`/attachments/${a.id}/thumb`);
    expect(thumb.headers['content-type']).toBe('image/webp');
  });

  test('when a plain PDF is attached, then it is kept and downloaded as an attachment', async () => {
    const anna = await ctx.signIn('anna@example.org');
    expect((await nominate(anna, [[cleanPdf, 'rapport.pdf']])).status).toBe(303);
    const a = await ctx.db('attachments').orderBy('id', 'desc').first();
    expect(a.mime).toBe('application/pdf');
    const file = await anna.get(`/attachments/${a.id}`);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="rapport.pdf"/);
  });

  test('when someone not involved asks for an unpublished entry\'s file, then it is not found; signed out is sent to sign in', async () => {
    const a = await ctx.db('attachments').orderBy('id', 'desc').first();
    const bo = await ctx.signIn('bo@example.org');
    expect((await bo.get(`/attachments/${a.id}`)).status).toBe(404);
    expect((await bo.get(`/attachments/${a.id}/thumb`)).status).toBe(404);
    const anonymous = await ctx.anonymous().get(`/attachments/${a.id}`);
    expect(anonymous.status).toBe(303);
    const admin = await ctx.signIn('admin@example.org');
    expect((await admin.get(`/attachments/${a.id}`)).status).toBe(200);
  });
});

describe('refused files (each: a clear message, nothing stored)', () => {
  const cases: Array<[string, () => Promise<Buffer> | Buffer, string, string]> = [
    ['an executable named .jpg', () => Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(200)]), 'bild.jpg', 'är inte en bild (JPEG, PNG, WebP) eller en PDF'],
    ['HTML named .jpg', () => Buffer.from('<html><script>alert(1)</script></html>'), 'bild.jpg', 'är inte en bild (JPEG, PNG, WebP) eller en PDF'],
    ['a PDF with JavaScript', () => scriptPdf, 'elak.pdf', 'innehåller skript (JavaScript)'],
    ['an image of 30,000 × 30,000 pixels', () => bombPng(), 'bomb.png', 'är för stor. Spara den i mindre storlek'],
    ['a file over 10 MB', () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(10 * 1024 * 1024 + 10)]), 'stor.jpg', 'är större än 10 MB'],
  ];
  test.each(cases)('when %s is attached, then it is refused', async (_label, make, name, message) => {
    const anna = await ctx.signIn('anna@example.org');
    const before = await counts();
    const filesBefore = storedFiles().length;
    const res = await nominate(anna, [[await make(), name]], { title: 'Ska inte sparas' });
    expect(res.status).toBe(422);
    const text = visibleText(res.text);
    expect(text).toContain(message);
    expect(text).toContain('Inget sparades. Välj filerna igen.');
    expect(res.text).toContain('href="#f-attachments"');
    expect(res.text).toContain('value="Ska inte sparas"');
    expect(await counts()).toEqual(before);
    expect(storedFiles().length).toBe(filesBefore);
  });

  test('when a 4th file is added, then it is refused and nothing is stored', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const before = await counts();
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    const res = await nominate(anna, [[png, '1.png'], [png, '2.png'], [png, '3.png'], [png, '4.png']]);
    expect(res.status).toBe(422);
    expect(visibleText(res.text)).toContain('Du kan bifoga högst 3 filer.');
    expect(await counts()).toEqual(before);
  });

  test('when a draft already has 3 files and one more is added, then the 4th is refused', async () => {
    const anna = await ctx.signIn('anna@example.org');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).png().toBuffer();
    const first = await nominate(anna, [[png, '1.png'], [png, '2.png'], [png, '3.png']], { action: 'draft' });
    const id = Number(/\/nominations\/(\d+)\/edit/.exec(first.headers.location)![1]);
    const token = await anna.csrf();
    const res = await anna.post(`/nominations/${id}`).field('_csrf', token).field('title', 'x').field('action', 'draft').attach('attachments', png, '4.png');
    expect(res.status).toBe(422);
    expect(await ctx.db('attachments').where({ nomination_id: id })).toHaveLength(3);
  });
});

describe('download names (N7: the name cannot make a file dangerous)', () => {
  test('when a PDF is uploaded as sida.html, then it is stored and downloaded as sida.pdf', async () => {
    const anna = await ctx.signIn('anna@example.org');
    expect((await nominate(anna, [[cleanPdf, 'sida.html']])).status).toBe(303);
    const a = await ctx.db('attachments').orderBy('id', 'desc').first();
    expect(a.original_name).toBe('sida.pdf');
    const file = await anna.get(`/attachments/${a.id}`);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="sida.pdf"; filename*=UTF-8''sida.pdf`);
  });

  test('when a picture is named with a right-to-left override (faktura\\u202Egpj.exe), then the override is gone and the name ends in the real type', async () => {
    const anna = await ctx.signIn('anna@example.org');
    expect((await nominate(anna, [[await photoWithGps(), 'faktura\u202Egpj.exe']])).status).toBe(303);
    const a = await ctx.db('attachments').orderBy('id', 'desc').first();
    expect(a.original_name).toBe('fakturagpj.jpg');
    const file = await anna.get(`/attachments/${a.id}`);
    expect(file.headers['content-disposition']).toBe(`inline; filename="fakturagpj.jpg"; filename*=UTF-8''fakturagpj.jpg`);
    const thumb = await anna.get(`/attachments/${a.id}/thumb`);
    expect(thumb.headers['content-disposition']).toBe(`inline; filename="fakturagpj.webp"; filename*=UTF-8''fakturagpj.webp`);
    const entry = await anna.get(`/nominations/${a.nomination_id}/edit`);
    expect(entry.text).not.toContain('\u202E');
  });

  test('when a file was stored before these rules with a misleading name, then its download still gets a safe name of its type', async () => {
    const anna = await ctx.signIn('anna@example.org');
    expect((await nominate(anna, [[cleanPdf, 'rapport.pdf']])).status).toBe(303);
    const a = await ctx.db('attachments').orderBy('id', 'desc').first();
    await ctx.db('attachments').where({ id: a.id }).update({ original_name: 'lön\u200F\u2066\u202Elmth.exe\u0007' });
    const file = await anna.get(`/attachments/${a.id}`);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="lonlmth.pdf"; filename*=UTF-8''l%C3%B6nlmth.pdf`);
  });
});

describe('file rules (unit)', () => {
  test('when names carry paths or odd characters, then only a safe base name is kept', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..\\..\\windows\\åäö.png')).toBe('åäö.png');
    expect(safeFileName('a"b<c>.pdf')).toBe('abc.pdf');
    expect(safeFileName('...')).toBe('bilaga');
    expect(safeFileName('faktura\u202Egpj.exe')).toBe('fakturagpj.exe');
    expect(safeFileName('a\u0085b\u200Bc\u2067d\uFEFF.png')).toBe('abcd.png');
    expect(contentDisposition('inline', 'räkning "1".pdf')).toBe(`inline; filename="rakning 1.pdf"; filename*=UTF-8''r%C3%A4kning%201.pdf`);
  });

  test('when PDFs hide JavaScript with #-escapes or inside compressed streams, then it is still found', async () => {
    const zlib = await import('node:zlib');
    expect(await inspectPdf(Buffer.from('%PDF-1.7\n<< /S /J#61vaScript /J#53 (x) >>', 'latin1'))).toBe('active');
    const hidden = zlib.deflateSync(Buffer.from('<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>'));
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n4 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n', 'latin1'), hidden, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    expect(await inspectPdf(pdf)).toBe('active');
    expect(await inspectPdf(cleanPdf)).toBe('clean');
  });

  test('when bytes are sniffed, then the name plays no part', () => {
    expect(sniff(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniff(Buffer.from('GIF89a'))).toBeNull();
  });
});
