// Migrations are TypeScript modules listed here in order, so the same list runs from src (tests) and
// from dist (production) on SQLite and PostgreSQL alike. Add a new file and append it; never edit one
// that has shipped.
import type { Knex } from 'knex';
import * as m001 from './001-users-and-sessions';
import * as m002 from './002-editions';
import * as m003 from './003-nominations';
import * as m004 from './004-votes';
import * as m005 from './005-jury';
import * as m006 from './006-results-and-live-vote';
import * as m007 from './007-audit-and-notifications';
import * as m010 from './010-nomination-form-key';
import * as m060 from './060-phase-announcements';
import * as m070 from './070-read-path-indexes';
import * as m071 from './071-ranking-indexes';
import * as m072 from './072-result-unlocks';
import * as m080 from './080-ceremony-calendar';
import * as m090 from './090-vote-tallies';
import * as m091 from './091-tally-erased-votes';
import * as m092 from './092-mail-sends';
import * as m093 from './093-ceremony-shows';
import * as m094 from './094-live-room-votes';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

const migrations: Array<[string, Migration]> = [
  ['001-users-and-sessions', m001],
  ['002-editions', m002],
  ['003-nominations', m003],
  ['004-votes', m004],
  ['005-jury', m005],
  ['006-results-and-live-vote', m006],
  ['007-audit-and-notifications', m007],
  ['010-nomination-form-key', m010],
  ['060-phase-announcements', m060],
  ['070-read-path-indexes', m070],
  ['071-ranking-indexes', m071],
  ['072-result-unlocks', m072],
  ['080-ceremony-calendar', m080],
  ['090-vote-tallies', m090],
  ['091-tally-erased-votes', m091],
  ['092-mail-sends', m092],
  ['093-ceremony-shows', m093],
  ['094-live-room-votes', m094],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => migrations,
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
