// Crash safety (SPEC §6, issue 9 point 5): the compiled app is killed with SIGKILL in the middle of a
// burst of votes and nominations by many signed-in users, started again on the same data, and every
// request that had been answered with success must be in the database, which must pass its integrity
// check. Runs on SQLite, and on PostgreSQL under `npm run test:pg`. Needs dist/ (npm test builds it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/db';
import { createSessions, type BenchSession } from '../../bench/sessions';
import { startApp, type RunningApp } from '../helpers/server';
import { createPgDatabase } from '../helpers/context';

jest.setTimeout(120_000);

const SECRET = 'crash-test-session-secret-0123456789abcdef';
const USERS = 240;

type Ack = { kind: 'vote'; userId: number; entryId: number } | { kind: 'nomination'; userId: number; title: string };

describe('crash safety', () => {
  let dataDir: string;
  let pg: { url: string; drop(): Promise<void> } | null = null;
  let db: Db;
  let app: RunningApp | null = null;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'am-crash-'));
    if (process.env.TEST_PG_URL) pg = await createPgDatabase(process.env.TEST_PG_URL);
  });

  afterAll(async () => {
    if (app) await app.stop();
    if (db) await db.destroy();
    if (pg) await pg.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const appEnv = () => ({ DATA_DIR: dataDir, SESSION_SECRET: SECRET, SEED_DEMO: 'true', ...(pg ? { DATABASE_URL: pg.url } : {}) });

  test('when the server is killed with SIGKILL during a burst of votes and nominations, then every acknowledged one is stored after the restart and the database is intact', async () => {
    // Arrange: the demo organisation (voting and nomination open) and many signed-in colleagues.
    app = await startApp(appEnv());
    db = openDatabase({ databaseUrl: pg?.url, dataDir, poolMax: 2 });
    const edition = await db('editions').whereNull('archived_at').orderBy('year', 'desc').first();
    const entryIds: number[] = (await db('nominations').where({ edition_id: edition.id, status: 'published' }).orderBy('id').select('id')).map((r: { id: number }) => Number(r.id));
    const department = await db('departments').where({ edition_id: edition.id }).first();
    const now = new Date();
    await db.batchInsert(
      'users',
      Array.from({ length: USERS }, (_, i) => ({
        tenant_id: 'crash-test',
        object_id: `crash-${i}`,
        email: `krock${i}@example.org`,
        name: `Krock Testsson ${i}`,
        department: department.name,
        is_admin: false,
        created_at: now,
      })),
      100,
    );
    const userIds: number[] = (await db('users').where({ tenant_id: 'crash-test' }).orderBy('id').select('id')).map((r: { id: number }) => Number(r.id));
    const sessions = await createSessions(db, userIds, { secret: SECRET, cookieName: 'am.sid', secure: false });
    expect(entryIds.length).toBeGreaterThanOrEqual(3);

    const acks: Ack[] = [];
    const answers: Record<string, number> = {};
    const post = (s: BenchSession, pathname: string, fields: Record<string, string>) =>
      fetch(app!.url + pathname, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString(),
      });

    // Each worker owns its users: user k votes for entries k, k+1 (mod n) and nominates once.
    let stop = false;
    const worker = async (w: number, workers: number) => {
      for (let i = w; i < sessions.length && !stop; i += workers) {
        const s = sessions[i];
        const steps: Array<() => Promise<Ack | null>> = [
          async () => {
            const entryId = entryIds[i % entryIds.length];
            const res = await post(s, '/votes', { entry: String(entryId) });
            answers[res.status] = (answers[res.status] ?? 0) + 1;
            return res.status === 303 ? { kind: 'vote', userId: s.userId, entryId } : null;
          },
          async () => {
            const title = `Krocktestet nummer ${i}`;
            const res = await post(s, '/nominate', {
              form_key: i.toString(16).padStart(32, '0'),
              action: 'submit',
              title,
              what_happened: 'Servern stängdes av mitt i en omröstning, och vi ville veta vad som fanns kvar efteråt.',
              lesson: 'Ett svar som säger att något är sparat ska alltid stämma, även när strömmen går.',
              changes: 'Vi testar avstängningar som en del av varje version.',
              department_id: String(department.id),
              includes_self: 'yes',
              show_submitter: 'yes',
              decline_policy: 'remove',
              eligibility: 'yes',
            });
            answers[`nominate ${res.status}`] = (answers[`nominate ${res.status}`] ?? 0) + 1;
            return res.status === 303 ? { kind: 'nomination', userId: s.userId, title } : null;
          },
          async () => {
            const entryId = entryIds[(i + 1) % entryIds.length];
            const res = await post(s, '/votes', { entry: String(entryId) });
            answers[res.status] = (answers[res.status] ?? 0) + 1;
            return res.status === 303 ? { kind: 'vote', userId: s.userId, entryId } : null;
          },
        ];
        for (const step of steps) {
          try {
            const ack = await step();
            if (ack) acks.push(ack);
          } catch {
            return; // the server is gone: what was answered before counts, nothing after
          }
        }
      }
    };

    // Act: start the burst, kill the server once it is well under way.
    const running = Array.from({ length: 24 }, (_, w) => worker(w, 24));
    const deadline = Date.now() + 60_000;
    while (acks.length < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const exited = new Promise((r) => app!.process.once('exit', r));
    app.process.kill('SIGKILL');
    await exited;
    stop = true;
    await Promise.all(running);

    // Restart on the same data.
    app = await startApp(appEnv());
    const ready = await fetch(`${app.url}/readyz`);

    // Assert
    expect(ready.status).toBe(200);
    expect(acks.filter((a) => a.kind === 'vote').length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const ack of acks) {
      if (ack.kind === 'vote') {
        const row = await db('votes').where({ voter_id: ack.userId, nomination_id: ack.entryId }).first();
        if (!row) missing.push(`vote by user ${ack.userId} for entry ${ack.entryId}`);
      } else {
        const row = await db('nominations').where({ submitter_id: ack.userId, title: ack.title }).first();
        if (!row) missing.push(`nomination "${ack.title}"`);
        else if (row.status === 'draft') missing.push(`nomination "${ack.title}" was acknowledged as submitted but is a draft`);
      }
    }
    expect({ missing, acknowledged: acks.length, answers }).toEqual({ missing: [], acknowledged: acks.length, answers });
    expect(acks.some((a) => a.kind === 'nomination')).toBe(true);
    // No vote beyond the budget and no double vote slipped in while the server died.
    const overBudget = await db('votes').where({ edition_id: edition.id }).groupBy('voter_id').select('voter_id').count({ n: '*' }).havingRaw('count(*) > ?', [edition.vote_budget]);
    expect(overBudget).toEqual([]);
    if (!pg) {
      const check = await db.raw('PRAGMA integrity_check');
      expect(check).toEqual([{ integrity_check: 'ok' }]);
      const fk = await db.raw('PRAGMA foreign_key_check');
      expect(fk).toEqual([]);
    }
    // The restarted server takes new votes.
    const late = sessions[sessions.length - 1];
    const res = await post(late, '/votes', { entry: String(entryIds[2]) });
    expect([303, 409]).toContain(res.status);
  });
});
