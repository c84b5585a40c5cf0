// Orphaned attachment files (N7, R6): files that no row refers to are deleted by the housekeeping once
// they are older than an hour; a save that fails removes the files it wrote.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import crypto from 'node:crypto';
import pino from 'pino';
import sharp from 'sharp';
import { createTestContext, type Agent, type TestContext } from '../helpers/context';
import { cleanUpOnce } from '../../src/admin/housekeeping';
import * as files from '../../src/attachments/files';

let ctx: TestContext;
let departmentId: number;
let dir: string;

beforeAll(async () => {
  ctx = await createTestContext();
  const edition = await ctx.db('editions').whereNull('archived_at').first();
  departmentId = Number((await ctx.db('departments').where({ edition_id: edition.id }).first()).id);
  dir = path.join(ctx.dataDir, 'attachments');
});
afterAll(async () => {
  await ctx.close();
});

async function nominate(agent: Agent, photo: Buffer) {
  const token = await agent.csrf();
  let req = agent.post('/nominate').field('_csrf', token);
  const fields: Record<string, string> = {
    title: 'Bilden som blev kvar',
    lesson: 'Vi lärde oss att städa efter oss.',
    what_happened: 'Något hände.',
    department_id: String(departmentId),
    includes_self: 'yes',
    eligibility: 'yes',
    action: 'submit',
  };
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('attachments', photo, 'bild.png');
}

function photo(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } }).png().toBuffer();
}

function listed(): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

function writeStray(name: string, ageMs: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, 'stray');
  const when = new Date(ctx.clock.now().getTime() - ageMs); // ages by the app's clock, which the housekeeping compares with
  fs.utimesSync(file, when, when);
}

function age(name: string, ageMs: number): void {
  const when = new Date(ctx.clock.now().getTime() - ageMs); // ages by the app's clock, which the housekeeping compares with
  fs.utimesSync(path.join(dir, name), when, when);
}

const HOURS = 60 * 60 * 1000;

test('when the housekeeping runs, then only old files that no row refers to are deleted (thumbnails too), and the count is logged without names', async () => {
  const anna = await ctx.signIn('anna@example.org');
  expect((await nominate(anna, await photo())).status).toBe(303);
  const referenced = String((await ctx.db('attachments').orderBy('id', 'desc').first()).storage_name);
  // The referenced file is old too: a row protects it whatever its age.
  age(referenced, 48 * HOURS);
  age(`${referenced}.thumb`, 48 * HOURS);
  const oldStray = crypto.randomBytes(24).toString('hex');
  const freshStray = crypto.randomBytes(24).toString('hex');
  writeStray(oldStray, 2 * HOURS);
  writeStray(`${oldStray}.thumb`, 2 * HOURS);
  writeStray(freshStray, 10 * 60 * 1000); // a save in progress
  writeStray('LÄSMIG.txt', 48 * HOURS); // not a name the app writes: left alone

  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
  const result = await cleanUpOnce({ db: ctx.db, config: ctx.config, logger, now: () => ctx.clock.now() });

  expect(result.orphanFiles).toBe(2);
  expect(listed()).toEqual([freshStray, 'LÄSMIG.txt', referenced, `${referenced}.thumb`].sort());
  const log = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'orphaned attachment files deleted');
  expect(log.files).toBe(2);
  expect(lines.join('\n')).not.toContain(oldStray);

  // The referenced file is still served.
  const a = await ctx.db('attachments').where({ storage_name: referenced }).first();
  expect((await anna.get(`/attachments/${a.id}`)).status).toBe(200);

  // Run again: nothing more to delete, nothing logged.
  lines.length = 0;
  expect((await cleanUpOnce({ db: ctx.db, config: ctx.config, logger, now: () => ctx.clock.now() })).orphanFiles).toBe(0);
  expect(lines.some((l) => l.includes('orphaned attachment files'))).toBe(false);
});

test('when saving an entry fails after its files were written, then the files are removed and no row is left', async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  const before = Number((await ctx.db('nominations').count({ n: '*' }).first())?.n);
  if (ctx.isPostgres) {
    await ctx.db.raw("create function refuse_attachment() returns trigger language plpgsql as $$ begin raise exception 'test: insert refused'; end $$");
    await ctx.db.raw('create trigger refuse_attachment before insert on attachments for each row execute function refuse_attachment()');
  } else {
    await ctx.db.raw("create trigger refuse_attachment before insert on attachments begin select raise(abort, 'test: insert refused'); end");
  }
  try {
    const anna = await ctx.signIn('anna@example.org');
    const res = await nominate(anna, await photo());
    expect(res.status).toBe(500);
  } finally {
    await ctx.db.raw('drop trigger refuse_attachment' + (ctx.isPostgres ? ' on attachments' : ''));
    if (ctx.isPostgres) await ctx.db.raw('drop function refuse_attachment()');
  }
  expect(listed()).toEqual([]);
  expect(Number((await ctx.db('nominations').count({ n: '*' }).first())?.n)).toBe(before);
});

test('when writing a thumbnail fails, then the file written just before it is removed too', async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  const broken = { kind: 'png', mime: 'image/png', originalName: 'x.png', data: Buffer.from('x'), thumbnail: 42 as unknown as Buffer, width: 1, height: 1 } as const;
  await expect(files.store(ctx.dataDir, broken)).rejects.toThrow();
  expect(listed()).toEqual([]);
});

test('when a process died during an upload, then its file left in the incoming folder is deleted once old, and a fresh one is kept', async () => {
  const incoming = path.join(ctx.dataDir, 'incoming');
  fs.mkdirSync(incoming, { recursive: true });
  const stale = crypto.randomBytes(16).toString('hex');
  const fresh = crypto.randomBytes(16).toString('hex');
  for (const [name, ageMs] of [[stale, 2 * HOURS], [fresh, 60 * 1000]] as const) {
    fs.writeFileSync(path.join(incoming, name), 'x');
    const when = new Date(ctx.clock.now().getTime() - ageMs);
    fs.utimesSync(path.join(incoming, name), when, when);
  }
  const logger = pino({ level: 'silent' });
  const result = await cleanUpOnce({ db: ctx.db, config: ctx.config, logger, now: () => ctx.clock.now() });
  expect(result.orphanFiles).toBe(1);
  expect(fs.readdirSync(incoming)).toEqual([fresh]);
});
