// Orphaned attachment files (SPEC N7, R6): a save writes the files first and the rows after, so a crash
// in between (or a failed clean-up) can leave files that no row refers to. They are deleted here, but only
// when older than ORPHAN_MIN_AGE_MS, so a save still in progress is never touched. Only names this app
// writes (48 hex digits, optionally .thumb) are considered; anything else in the folder is left alone.
import fs from 'node:fs';
import path from 'node:path';
import type { Queryable } from '../db';
import { attachmentsDir, incomingDir } from './files';

export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;
const STORED_NAME = /^([0-9a-f]{48})(\.thumb)?$/;
const CHUNK = 500;

/**
 * Deletes attachment files (and thumbnails) that no `attachments` row refers to and that were last
 * written more than minAgeMs before `now` (the app's clock, in ms; file times come from the file system's clock).
 * Returns how many files were deleted.
 */
export async function deleteOrphanFiles(db: Queryable, dataDir: string, options: { minAgeMs?: number; now: number }): Promise<number> {
  return (await deleteStaleUploads(dataDir, options)) + (await deleteUnreferenced(db, dataDir, options));
}

/** Uploads left in the incoming folder by a process that died during a request (normally deleted with the response). */
async function deleteStaleUploads(dataDir: string, options: { minAgeMs?: number; now: number }): Promise<number> {
  const dir = incomingDir(dataDir);
  const cutoff = options.now - (options.minAgeMs ?? ORPHAN_MIN_AGE_MS);
  let deleted = 0;
  for (const name of await fs.promises.readdir(dir).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{32}$/.test(name)) continue;
    const stat = await fs.promises.lstat(path.join(dir, name)).catch(() => null);
    if (!stat?.isFile() || stat.mtimeMs > cutoff) continue;
    await fs.promises.rm(path.join(dir, name), { force: true });
    deleted++;
  }
  return deleted;
}

async function deleteUnreferenced(db: Queryable, dataDir: string, options: { minAgeMs?: number; now: number }): Promise<number> {
  const dir = attachmentsDir(dataDir);
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const cutoff = options.now - (options.minAgeMs ?? ORPHAN_MIN_AGE_MS);

  // Listed (and aged) before the database is asked: a file whose row commits after this point is young.
  const old = new Map<string, string[]>();
  for (const name of names) {
    const m = STORED_NAME.exec(name);
    if (!m) continue;
    let stat: fs.Stats;
    try {
      stat = await fs.promises.lstat(path.join(dir, name));
    } catch {
      continue; // deleted meanwhile
    }
    if (!stat.isFile() || stat.mtimeMs > cutoff) continue;
    old.set(m[1], [...(old.get(m[1]) ?? []), name]);
  }

  const candidates = [...old.keys()];
  const referenced = new Set<string>();
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const rows: Array<{ storage_name: string }> = await db('attachments').whereIn('storage_name', candidates.slice(i, i + CHUNK)).select('storage_name');
    for (const r of rows) referenced.add(String(r.storage_name));
  }

  let deleted = 0;
  for (const [storageName, files] of old) {
    if (referenced.has(storageName)) continue;
    for (const name of files) {
      try {
        await fs.promises.rm(path.join(dir, name));
        deleted++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
  return deleted;
}
