// Scale-out (SPEC §6): several app instances start at the same moment on one empty database. Each runs
// the migrations on start; they must all come up, with every migration applied exactly once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgDatabase } from '../helpers/context';
import { migrate, openDatabase } from '../../src/db';
import { migrationSource } from '../../db/migrations';

test('when three instances migrate one empty database at once, then all succeed and each migration is applied once', async () => {
  // Arrange
  const pg = process.env.TEST_PG_URL ? await createPgDatabase(process.env.TEST_PG_URL) : null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-scale-'));
  const instances = [0, 1, 2].map(() => openDatabase({ databaseUrl: pg?.url, dataDir }));
  try {
    // Act
    await Promise.all(instances.map((db) => migrate(db)));

    // Assert
    const applied = (await instances[0]('knex_migrations').orderBy('id').select('name')).map((r: { name: string }) => r.name);
    const expected = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
    expect(applied).toEqual(expected);
  } finally {
    for (const db of instances) await db.destroy();
    if (pg) await pg.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
