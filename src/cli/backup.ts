// npm run backup (R8): a consistent copy of the database and the attachments into
// DATA_DIR/backups/<time>/, safe to run while the app is running. PostgreSQL: prints pg_dump guidance.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { openDatabase } from '../db';
import { systemClock } from '../clock';
import { BACKUP_DB_FILE, backupSqlite, PG_GUIDANCE } from '../backup/service';

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error(PG_GUIDANCE);
    return 2;
  }
  if (!fs.existsSync(path.join(config.dataDir, BACKUP_DB_FILE))) {
    console.error(`There is no database in ${config.dataDir} (DATA_DIR) to back up.`);
    return 1;
  }
  const db = openDatabase({ dataDir: config.dataDir });
  try {
    const result = await backupSqlite(db, config.dataDir, systemClock());
    console.log(`Backup written to ${result.dir}`);
    console.log(`  database: ${result.bytes} bytes, integrity check: ${result.integrity}`);
    console.log(`  attachments: ${result.attachments} files`);
    return 0;
  } finally {
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('Backup failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
