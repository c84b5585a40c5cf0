// Periodic work of the running app (started by server.ts): delete forgotten drafts (R6) and attachment
// files that no row refers to (N7; older than an hour) at start and every 12 hours, and announce phase
// openings (R7) and send the mails that wait in the outbox at start and every 5 minutes. The timers are unref'd (they never keep the process
// alive) and stopped at shutdown; a failed run is logged and tried again at the next tick. Safe with
// several instances: all jobs are idempotent.
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Db } from '../db';
import type { Events } from '../events';
import type { Mailer } from '../mail';
import { deleteStaleDrafts } from '../privacy/service';
import { deleteOrphanFiles } from '../attachments/orphans';
import { announceOpenPhases } from './announcements';

export const CLEANUP_INTERVAL_MS = 12 * 60 * 60 * 1000;
export const ANNOUNCE_INTERVAL_MS = 5 * 60 * 1000;

export type HousekeepingDeps = { db: Db; events: Events; mailer: Mailer; config: Config; logger: Logger; now: () => Date };

export async function cleanUpOnce(deps: Pick<HousekeepingDeps, 'db' | 'config' | 'logger' | 'now'>): Promise<{ drafts: number; orphanFiles: number }> {
  const deleted = await deleteStaleDrafts(deps.db, deps.now(), deps.config.draftMaxAgeDays, deps.config.dataDir);
  if (deleted > 0) deps.logger.info({ deleted, maxAgeDays: deps.config.draftMaxAgeDays }, 'old drafts deleted');
  // File ages are compared with the app's clock, which is the wall clock in the running app.
  const orphanFiles = await deleteOrphanFiles(deps.db, deps.config.dataDir, { now: deps.now().getTime() });
  if (orphanFiles > 0) deps.logger.info({ files: orphanFiles }, 'orphaned attachment files deleted');
  return { drafts: deleted, orphanFiles };
}

export async function announceOnce(deps: Pick<HousekeepingDeps, 'db' | 'events' | 'logger' | 'now'>): Promise<void> {
  const phases = await announceOpenPhases(deps.db, deps.events, deps.now());
  if (phases.length) deps.logger.info({ phases }, 'phase openings announced');
}

export function startHousekeeping(deps: HousekeepingDeps): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  // One job at a time, so shutdown can wait for the one in progress before the database closes.
  const run = (name: string, job: () => Promise<unknown>) => {
    if (stopped) return;
    running = running.then(() => (stopped ? undefined : job())).catch((err) => deps.logger.error({ err, job: name }, 'housekeeping failed'));
  };
  run('cleanup', () => cleanUpOnce(deps));
  run('announce', () => announceOnce(deps));
  run('mail', () => deps.mailer.retryUnsent());
  const cleanup = setInterval(() => run('cleanup', () => cleanUpOnce(deps)), CLEANUP_INTERVAL_MS);
  const announce = setInterval(() => {
    run('announce', () => announceOnce(deps));
    run('mail', () => deps.mailer.retryUnsent());
  }, ANNOUNCE_INTERVAL_MS);
  cleanup.unref();
  announce.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(cleanup);
      clearInterval(announce);
      await running;
    },
  };
}
