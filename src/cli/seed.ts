import { loadConfig } from '../config';
import { migrate, openDatabase } from '../db';
import { isSeeded, seedDemo } from '../../db/seeds/demo';
import { systemClock } from '../clock';

async function main() {
  const config = loadConfig();
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(db);
  if (await isSeeded(db)) {
    console.log('Demo data is already there; nothing to do.');
  } else {
    await seedDemo(db, systemClock());
    console.log('Demo data seeded.');
  }
  await db.destroy();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
