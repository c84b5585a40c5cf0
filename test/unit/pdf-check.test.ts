// The PDF check (N7, SPEC §6 "Bounded work"): active content is found however it is encoded, what
// cannot be read is refused, and decompression has a ceiling per stream, per file and per request.
import zlib from 'node:zlib';
import { DecodeBudget, MAX_DECODED_PER_REQUEST, inspectPdf } from '../../src/attachments/pdf';

const SCRIPT = '<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>';

/** A PDF around the given objects; each object is [dictionary, stream data?]. */
function pdf(objects: Array<[string, Buffer?]>): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n', 'latin1')];
  objects.forEach(([dict, data], i) => {
    parts.push(Buffer.from(`${i + 3} 0 obj\n${dict}\n`, 'latin1'));
    if (data) parts.push(Buffer.from('stream\n', 'latin1'), data, Buffer.from('\nendstream\n', 'latin1'));
    parts.push(Buffer.from('endobj\n', 'latin1'));
  });
  parts.push(Buffer.from('trailer << /Root 1 0 R >>\n%%EOF\n', 'latin1'));
  return Buffer.concat(parts);
}

function ascii85(data: Buffer): Buffer {
  let out = '';
  for (let i = 0; i < data.length; i += 4) {
    const chunk = Buffer.alloc(4);
    data.copy(chunk, 0, i, i + 4);
    let v = chunk.readUInt32BE(0);
    const digits: string[] = [];
    for (let k = 0; k < 5; k++) {
      digits.unshift(String.fromCharCode((v % 85) + 33));
      v = Math.floor(v / 85);
    }
    out += digits.join('').slice(0, Math.min(5, data.length - i + 1));
  }
  return Buffer.from(`${out}~>`, 'latin1');
}

const hex = (b: Buffer) => Buffer.from(`${b.toString('hex').replace(/(.{64})/g, '$1\n')}>`, 'latin1');

describe('PDF check: active content however it is hidden', () => {
  test.each([
    ['an ASCIIHex-encoded object stream', () => pdf([['<< /Type /ObjStm /N 1 /First 4 /Filter /ASCIIHexDecode >>', hex(Buffer.from(`3 0 ${SCRIPT}`))]])],
    ['an ASCII85-encoded object stream', () => pdf([['<< /Type /ObjStm /N 1 /First 4 /Filter /ASCII85Decode >>', ascii85(Buffer.from(`3 0 ${SCRIPT}`))]])],
    ['ASCII85 over Flate', () => pdf([['<< /Type /ObjStm /N 1 /First 4 /Filter [/A85 /Fl] >>', ascii85(zlib.deflateSync(Buffer.from(`3 0 ${SCRIPT}`)))]])],
    ['ASCIIHex over Flate, filter names #-escaped', () => pdf([['<< /Type /ObjStm /Filter [/ASCIIHexDec#6fde /Fla#74eDecode] >>', hex(zlib.deflateSync(Buffer.from(SCRIPT)))]])],
    ['a Flate stream whose dictionary hides its filter behind a string', () => pdf([['<< /X (/Filter /DCTDecode /Subtype /Image >>) /Filter /FlateDecode >>', zlib.deflateSync(Buffer.from(SCRIPT))]])],
    ['/SubmitForm', () => pdf([['<< /S /SubmitForm /F (https://evil.example/) >>']])],
    ['/GoToE (embedded file)', () => pdf([['<< /S /GoToE /T << /R /C /N (x.pdf) >> >>']])],
    ['/Launch, #-escaped', () => pdf([['<< /S /La#75nch /F (cmd.exe) >>']])],
    ['/ImportData', () => pdf([['<< /S /ImportData /F (data.fdf) >>']])],
    ['an embedded file', () => pdf([['<< /Names << /EmbeddedFiles << /Names [(a.exe) 9 0 R] >> >> >>']])],
    ['an additional action by reference', () => pdf([['<< /Type /Page /AA 9 0 R >>']])],
  ])('when a PDF has JavaScript or an action in %s, then it is found', async (_label, make) => {
    expect(await inspectPdf(make())).toBe('active');
  });

  test.each([
    ['encrypted', () => Buffer.concat([pdf([]), Buffer.from('trailer << /Root 1 0 R /Encrypt 9 0 R >>\n', 'latin1')])],
    ['an LZW stream', () => pdf([['<< /Filter /LZWDecode >>', Buffer.from([0x80, 0x0b, 0x60, 0x50])]])],
    ['an object stream behind an image filter', () => pdf([['<< /Type /ObjStm /N 1 /First 4 /Subtype /Image /Filter /DCTDecode >>', Buffer.from('xx')]])],
    ['a predictor on an object stream', () => pdf([['<< /Type /ObjStm /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >> >>', zlib.deflateSync(Buffer.from('abcd'))]])],
    ['an unknown filter', () => pdf([['<< /Filter /Crypt >>', Buffer.from('xx')]])],
    ['a broken Flate stream', () => pdf([['<< /Filter /FlateDecode >>', Buffer.from('not deflate at all')]])],
    ['two /Filter entries', () => pdf([['<< /Filter /DCTDecode /Subtype /Image /Filter /FlateDecode >>', zlib.deflateSync(Buffer.from(SCRIPT))]])],
  ])('when a PDF is %s, then it cannot be checked and is refused', async (_label, make) => {
    expect(await inspectPdf(make())).toBe('unchecked');
  });

  test('when a picture says it holds objects too (an object stream dressed as an image), then it is decoded like any other', async () => {
    expect(await inspectPdf(pdf([['<< /Subtype /Image /N 1 /First 4 /Filter /FlateDecode >>', zlib.deflateSync(Buffer.from(`3 0 ${SCRIPT}`))]]))).toBe('active');
    expect(await inspectPdf(pdf([['<< /Subtype /Image /N 1 /First 4 /Filter /LZWDecode >>', Buffer.from('xx')]]))).toBe('unchecked');
  });

  test('when a PDF holds compressed text and a JPEG picture, then it is clean', async () => {
    const content = zlib.deflateSync(Buffer.from('BT /F1 12 Tf 72 712 Td (Hej /JSON och (parentes)) Tj ET'));
    const picture = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xd9]);
    const file = pdf([
      [`<< /Length ${content.length} /Filter /FlateDecode >>`, content],
      [`<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /Filter /DCTDecode /Length ${picture.length} >>`, picture],
      ['<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://example.org/) >> >>'],
      // A font program whose bytes happen to spell a name: glyph data, never read as PDF syntax.
      ['<< /Length1 9 /Filter /FlateDecode >>', zlib.deflateSync(Buffer.from('\x00\x01/JS \x02\x03', 'latin1'))],
    ]);
    expect(await inspectPdf(file)).toBe('clean');
  });
});

describe('PDF check: bounded decompression', () => {
  const bomb = (mb: number) => zlib.deflateSync(Buffer.alloc(mb * 1024 * 1024, 0x20), { level: 9 });

  test('when one stream inflates past 16 MB, then the PDF is refused (it used to be skipped as "damaged" and let through)', async () => {
    expect(await inspectPdf(pdf([['<< /Filter /FlateDecode >>', bomb(30)]]))).toBe('unchecked');
  });

  test('when many streams each stay under the stream limit but together pass the file limit, then the PDF is refused', async () => {
    const one = bomb(15);
    expect(await inspectPdf(pdf(Array.from({ length: 3 }, () => ['<< /Filter /FlateDecode >>', one] as [string, Buffer])))).toBe('unchecked');
  });

  test('when the files of one request together pass the request limit, then the later ones are refused', async () => {
    const one = bomb(15);
    const file = pdf(Array.from({ length: 2 }, () => ['<< /Filter /FlateDecode >>', one] as [string, Buffer]));
    const budget = new DecodeBudget(MAX_DECODED_PER_REQUEST);
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await inspectPdf(file, budget));
    expect(verdicts.slice(0, 2)).toEqual(['clean', 'clean']);
    expect(verdicts[3]).toBe('unchecked');
  });
});
