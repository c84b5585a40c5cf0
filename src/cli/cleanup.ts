// node dist/src/cli/cleanup.js: deletes drafts older than DRAFT_MAX_AGE_DAYS once (R6), and attachment
// files older than an hour that no row refers to (N7), e.g. from cron when the app's own 12-hour
// clean-up is not enough.
import { loadConfig } from '../config';
import { openDatabase } from '../db';
import { deleteStaleDrafts } from '../privacy/service';
import { deleteOrphanFiles } from '../attachments/orphans';
import { systemClock } from '../clock';

async function main() {
  const config = loadConfig();
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const deleted = await deleteStaleDrafts(db, systemClock(), config.draftMaxAgeDays, config.dataDir);
    console.log(`Deleted ${deleted} drafts older than ${config.draftMaxAgeDays} days.`);
    const orphans = await deleteOrphanFiles(db, config.dataDir, { now: systemClock().getTime() });
    console.log(`Deleted ${orphans} attachment files that no entry refers to.`);
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
