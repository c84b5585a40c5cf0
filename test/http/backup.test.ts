// R8: a backup taken while another process keeps writing restores, by the README's steps, to a
// database that passes an integrity check and holds every row committed before the backup started.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openDatabase, type Db } from '../../src/db';
import { backupSqlite, checkIntegrity, BACKUP_DB_FILE } from '../../src/backup/service';
import { projectRoot } from '../../src/paths';

const sqliteOnly = process.env.TEST_PG_URL ? describe.skip : describe;

/** A separate process that inserts audit rows one transaction at a time and prints each committed id. */
const WRITER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare("insert into audit_log (actor_id, action, details, created_at) values (null, 'test.stream', ?, ?)");
let n = 0;
const tick = () => {
  for (let i = 0; i < 20; i++) {
    const info = insert.run(JSON.stringify({ n: n++, text: 'Lärdom åäö '.repeat(20) }), Date.now());
    process.stdout.write(info.lastInsertRowid + '\\n');
  }
  setImmediate(tick);
};
tick();
`;

sqliteOnly('backups (R8)', () => {
  let dataDir: string;
  let restoreDir: string;
  let db: Db;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-backup-'));
    restoreDir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-restore-'));
    db = openDatabase({ dataDir });
    await migrate(db);
    fs.mkdirSync(path.join(dataDir, 'attachments', 'thumbs'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'attachments', 'a1b2c3.jpg'), 'bild');
    fs.writeFileSync(path.join(dataDir, 'attachments', 'thumbs', 'a1b2c3.webp'), 'tumnagel');
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(restoreDir, { recursive: true, force: true });
  });

  test('when a backup is taken during a stream of writes, then the restored copy passes the integrity check and has every row committed before it', async () => {
    const file = path.join(dataDir, BACKUP_DB_FILE);
    const writer = spawn(process.execPath, ['-e', WRITER, file], { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: number[] = [];
    let errors = '';
    writer.stderr.on('data', (d) => (errors += d));
    let buffered = '';
    writer.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) committed.push(Number(l));
    });
    try {
      // Let the stream run for a while first.
      while (committed.length < 2000) {
        if (writer.exitCode !== null) throw new Error(`writer stopped: ${errors}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      // Every id printed so far was committed before the backup starts.
      const before = committed.length;
      const lastBefore = Math.max(...committed);
      const result = await backupSqlite(db, dataDir, new Date());
      // The writer kept going during and after the backup.
      const atEnd = committed.length;
      await new Promise((r) => setTimeout(r, 200));
      expect(committed.length).toBeGreaterThan(atEnd);
      expect(before).toBeGreaterThanOrEqual(2000);

      expect(result.integrity).toBe('ok');
      expect(result.dir.startsWith(path.join(dataDir, 'backups'))).toBe(true);
      expect(fs.existsSync(path.join(result.dir, 'manifest.json'))).toBe(true);

      // Restore as the README says: stop the app, copy the database file and the attachments folder
      // into an (empty) DATA_DIR, start the app.
      fs.copyFileSync(path.join(result.dir, BACKUP_DB_FILE), path.join(restoreDir, BACKUP_DB_FILE));
      fs.cpSync(path.join(result.dir, 'attachments'), path.join(restoreDir, 'attachments'), { recursive: true });

      expect(await checkIntegrity(db, path.join(restoreDir, BACKUP_DB_FILE))).toBe('ok');
      const restored = openDatabase({ dataDir: restoreDir });
      try {
        await migrate(restored); // what the app does at start: nothing left to apply
        const [{ integrity_check }] = await restored.raw('pragma integrity_check');
        expect(integrity_check).toBe('ok');
        const ids = (await restored('audit_log').where({ action: 'test.stream' }).select('id').orderBy('id')).map((r) => Number(r.id));
        // Every row committed before the backup started is there …
        const present = new Set(ids);
        expect(committed.filter((id) => id <= lastBefore).every((id) => present.has(id))).toBe(true);
        // … and the copy is one moment in time: no gaps, no torn transactions.
        expect(ids[ids.length - 1] - ids[0] + 1).toBe(ids.length);
        expect(ids.length).toBeGreaterThanOrEqual(before);
      } finally {
        await restored.destroy();
      }
      expect(fs.readFileSync(path.join(restoreDir, 'attachments', 'a1b2c3.jpg'), 'utf8')).toBe('bild');
      expect(fs.readFileSync(path.join(restoreDir, 'attachments', 'thumbs', 'a1b2c3.webp'), 'utf8')).toBe('tumnagel');
    } finally {
      writer.kill();
    }
  });

  test('when two backups are taken in the same second, then neither overwrites the other', async () => {
    const now = new Date('2026-11-28T19:00:00Z');
    const a = await backupSqlite(db, dataDir, now);
    const b = await backupSqlite(db, dataDir, now);
    expect(path.basename(a.dir)).toBe('2026-11-28T19-00-00Z');
    expect(path.basename(b.dir)).toBe('2026-11-28T19-00-00Z-2');
  });
});
