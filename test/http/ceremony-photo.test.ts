// C1: a finalist's photo is shown on its slide, served through the access-checked attachment route.
import sharp from 'sharp';
import { createTestContext, type TestContext } from '../helpers/context';
import { lockCurrentResult } from './ceremony-fixtures';
import * as files from '../../src/attachments/files';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

test('when a finalist has a photo, then its slide shows it and the photo is served to the presenter', async () => {
  const { year, finalistIds, titles } = await lockCurrentResult(ctx.db, ctx.clock.now());
  const png = await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 240, g: 180, b: 10 } } }).png().toBuffer();
  const processed = await files.processUpload('scen-foto.png', png);
  const storageName = await files.store(ctx.dataDir, processed);
  await ctx.db('attachments').insert({
    nomination_id: finalistIds[0],
    storage_name: storageName,
    original_name: processed.originalName,
    mime: processed.mime,
    size_bytes: processed.data.length,
    width: processed.width,
    height: processed.height,
    has_thumbnail: processed.thumbnail !== null,
    created_at: ctx.clock.now(),
  });
  const attachment = await ctx.db('attachments').where({ storage_name: storageName }).first();

  const chair = await ctx.signIn('cecilia@example.org');
  const slides = await chair.get(`/ceremony/${year}/slides`);
  expect(slides.status).toBe(200);
  // The photo sits on the slide of the finalist it belongs to, and on no other finalist's slide.
  const photoTag = `<img class="slide__photo" src="/attachments/${attachment.id}" alt="Bild från bidraget">`;
  expect(slides.text).toContain(photoTag);
  const slideOf = (title: string) => {
    const at = slides.text.indexOf(title.replace(/"/g, '&#34;'));
    const start = slides.text.lastIndexOf('<section', at);
    return slides.text.slice(start, slides.text.indexOf('</section>', at));
  };
  expect(slideOf(titles[0])).toContain(photoTag);
  expect(slideOf(titles[1])).not.toContain('slide__photo');

  const image = await chair.get(`/attachments/${attachment.id}`);
  expect(image.status).toBe(200);
  expect(image.headers['content-type']).toBe('image/png');
  expect(image.headers['x-content-type-options']).toBe('nosniff');
  expect((await sharp(image.body).metadata()).width).toBe(640);
});
