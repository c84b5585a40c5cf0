// Backups (R8): a consistent copy of the SQLite database and the attachments, taken while the app runs.
// `VACUUM INTO` copies the database inside one read transaction, so the copy is a snapshot of one
// moment even while other connections (the running app) keep writing in WAL mode. Attachments are
// copied after the snapshot: files are written once under random names before their row is
// committed, so every attachment the snapshot refers to is already on disk.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db';

export const BACKUP_DB_FILE = 'arets-misstag.sqlite';

export type BackupResult = { dir: string; databaseFile: string; attachments: number; bytes: number; integrity: string };

/** "2026-11-28T19-04-05Z": sortable, and valid as a folder name on every system. */
export function backupName(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

export async function backupSqlite(db: Db, dataDir: string, now: Date): Promise<BackupResult> {
  const root = path.join(dataDir, 'backups');
  fs.mkdirSync(root, { recursive: true });
  let dir = path.join(root, backupName(now));
  for (let n = 2; fs.existsSync(dir); n++) dir = path.join(root, `${backupName(now)}-${n}`);
  fs.mkdirSync(dir);

  const databaseFile = path.join(dir, BACKUP_DB_FILE);
  await db.raw('vacuum into ?', [databaseFile]);

  const attachmentsFrom = path.join(dataDir, 'attachments');
  let attachments = 0;
  if (fs.existsSync(attachmentsFrom)) {
    fs.cpSync(attachmentsFrom, path.join(dir, 'attachments'), { recursive: true, errorOnExist: false });
    attachments = countFiles(path.join(dir, 'attachments'));
  }

  const integrity = await checkIntegrity(db, databaseFile);
  const bytes = fs.statSync(databaseFile).size;
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ takenAt: now.toISOString(), database: BACKUP_DB_FILE, databaseBytes: bytes, attachments, integrity }, null, 2) + '\n',
  );
  if (integrity !== 'ok') throw new Error(`the backup in ${dir} failed its integrity check: ${integrity}`);
  return { dir, databaseFile, attachments, bytes, integrity };
}

/** `PRAGMA integrity_check` on a database file, attached to the connection: "ok" or the problems found. */
export async function checkIntegrity(db: Db, file: string): Promise<string> {
  await db.raw('attach database ? as backup_check', [file]);
  try {
    const rows = (await db.raw('pragma backup_check.integrity_check')) as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    await db.raw('detach database backup_check');
  }
}

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    n += entry.isDirectory() ? countFiles(path.join(dir, entry.name)) : 1;
  }
  return n;
}

export const PG_GUIDANCE = `DATABASE_URL points at PostgreSQL. Back it up with PostgreSQL's own tools, e.g.:

  pg_dump --format=custom --file=arets-misstag-$(date +%Y%m%d-%H%M).dump "$DATABASE_URL"

and copy DATA_DIR/attachments (the shared attachments folder) alongside it. See README, "Backups".`;
