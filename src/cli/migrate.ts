import { loadConfig } from '../config';
import { migrate, openDatabase } from '../db';

async function main() {
  const config = loadConfig();
  const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(db);
  await db.destroy();
  console.log('Migrations applied.');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
