// Seeds a realistic organisation for `npm run bench` (SPEC §6) into a fresh, migrated database:
// employees, one current edition with published entries, people's votes and a jury that has scored
// every entry on every criterion. Batch inserts straight on the schema in db/migrations: the app's
// own services would take minutes for this much data, and the bench measures reading, not seeding.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import * as editions from '../src/editions/service';
import { buildSearchText } from '../src/nominations/search-text';
import { stockholmYear } from '../src/time';

const DAY = 24 * 60 * 60 * 1000;

export type SeedSize = { employees: number; entries: number; votes: number; jurors: number; voteBudget: number };

export const FULL_SIZE: SeedSize = { employees: 11_000, entries: 300, votes: 20_000, jurors: 7, voteBudget: 3 };

export type Seeded = {
  editionId: number;
  year: number;
  entryIds: number[];
  /** Users who have cast no vote yet and submitted nothing: the vote burst signs them in. */
  freshVoterIds: number[];
  /** Plain employees for page views (have voted, submitted nothing). */
  readerIds: number[];
  /** Everyone who has voted (submitted nothing): phones in the ceremony's live vote. */
  voterIds: number[];
  jurorIds: number[];
  chairId: number;
  adminId: number;
  criterionIds: number[];
  voteBudget: number;
};

/** A deterministic pseudo-random generator, so every run seeds the same organisation. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Anna', 'Erik', 'Maria', 'Lars', 'Karin', 'Johan', 'Sara', 'Anders', 'Emma', 'Mikael', 'Elin', 'Per', 'Linnea', 'Fredrik', 'Ida', 'Mohammed', 'Fatima', 'Ali', 'Sofia', 'Oskar', 'Maja', 'Nils', 'Hanna', 'Göran', 'Åsa', 'Jörgen', 'Leila', 'Amir', 'Ingrid', 'Björn'];
const LAST = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Pettersson', 'Jonsson', 'Jansson', 'Hansson', 'Bengtsson', 'Lindberg', 'Åberg', 'Öberg', 'Ström', 'Sjöberg', 'Haddad', 'Hussein', 'Petrović', 'Nowak', 'Korhonen'];

const SITUATIONS = [
  'Vi införde ett nytt digitalt formulär för ansökan om bygglov utan att testa det med invånare först.',
  'Vi planerade om hemtjänstens scheman i ett kalkylark som bara en person kunde ändra i.',
  'Vi skickade ut ett brev till alla vårdnadshavare på ett språk som många inte förstod.',
  'Vi köpte in surfplattor till äldreboendet men glömde att personalen behövde tid att lära sig dem.',
  'Vi flyttade receptionen till ett nytt hus utan att skylta vägen från hållplatsen.',
  'Vi byggde en ny rutin för felanmälan som ingen utanför förvaltningen kände till.',
  'Vi bokade stadens största lokal till ett möte där bara tolv personer dök upp.',
  'Vi översatte webbplatsen automatiskt och publicerade utan att någon läste texterna.',
];
const TURNS = [
  'Efter några veckor märkte vi att ärendena blev fler i stället för färre, och telefonerna ringde hela dagarna.',
  'Det dröjde innan någon vågade säga att det inte fungerade, eftersom alla hade lagt så mycket tid på det.',
  'Invånarna hörde av sig och var både förvirrade och arga, och vi förstod att vi hade tänkt från vårt eget håll.',
  'Till slut var det en praktikant som ställde den enkla frågan som ingen av oss hade ställt.',
];
const LESSONS = [
  'Vi har lärt oss att alltid testa med dem som ska använda tjänsten innan vi bestämmer oss, även när tiden är knapp.',
  'Lärdomen är att det är bättre att visa något halvfärdigt tidigt än något färdigt för sent.',
  'Vi förstod att en rutin bara fungerar om alla som berörs vet om den och får vara med och forma den.',
  'Vi lärde oss att fråga varför innan vi frågar hur, och att ett misstag som delas blir en lärdom för fler.',
  'Vi insåg att klarspråk inte är en fråga om stil utan om rättssäkerhet och bemötande.',
];
const CHANGES = [
  'Nu bjuder vi alltid in tre invånare till ett test innan något nytt lanseras, och vi har delat metoden med två andra förvaltningar.',
  'Vi har en stående punkt på arbetsplatsträffen där vi berättar om något som inte gick som tänkt.',
  'Rutinen finns nu på intranätet med en kort film, och vi följer upp den varje kvartal.',
  'Vi har gjort en checklista som används i hela förvaltningen när nya tjänster planeras.',
];

function pick<T>(list: T[], r: () => number): T {
  return list[Math.floor(r() * list.length)];
}

async function insertBatches(db: Knex, table: string, rows: Array<Record<string, unknown>>, size = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    await db(table).insert(rows.slice(i, i + size));
  }
}

async function idsOf(db: Knex, table: string, where: Record<string, unknown>): Promise<number[]> {
  const rows = await db(table).where(where).orderBy('id').select('id');
  return rows.map((r: { id: unknown }) => Number(r.id));
}

export async function seedOrganisation(db: Knex, size: SeedSize = FULL_SIZE, now: Date = new Date()): Promise<Seeded> {
  const r = rng(20261128);
  const year = stockholmYear(now);
  const t = (days: number) => new Date(now.getTime() + days * DAY);

  // The edition with nomination and voting open, as on a typical day in the voting weeks.
  const editionId = await editions.create(
    db,
    {
      year,
      title: `Årets misstag ${year}`,
      introSv: 'Har du eller dina kollegor gjort ett misstag som ni lärt er något av? Nominera det till Årets misstag!',
      introEn: 'Have you or your colleagues made a mistake that you learned something from? Nominate it for Mistake of the Year!',
      voteBudget: size.voteBudget,
      nominationOpensAt: t(-30),
      nominationClosesAt: t(14),
      votingOpensAt: t(-7),
      votingClosesAt: t(21),
      judgingOpensAt: t(22),
      judgingClosesAt: t(35),
      ceremonyAt: t(40),
    },
    now,
  );
  const departments = await editions.departments(db, editionId);
  const criteria = await editions.criteria(db, editionId);

  // Employees. The first `jurors` are the jury (the first of them chairs), then one admin.
  const users = Array.from({ length: size.employees }, (_, i) => {
    const first = pick(FIRST, r);
    const last = pick(LAST, r);
    return {
      tenant_id: 'bench-tenant',
      object_id: crypto.randomUUID(),
      email: `${first}.${last}.${i}@bench.example.org`.toLowerCase(),
      name: `${first} ${last}`,
      department: pick(departments, r).name,
      is_admin: i === size.jurors,
      admin_source: i === size.jurors ? 'app' : null,
      created_at: t(-400),
      last_sign_in_at: t(-(i % 30)),
    };
  });
  await insertBatches(db, 'users', users);
  const userIds = await idsOf(db, 'users', { tenant_id: 'bench-tenant' });
  const jurorIds = userIds.slice(0, size.jurors);
  const adminId = userIds[size.jurors];

  // Who does what: voters from the front, submitters from the back, fresh voters in between.
  const voterCount = Math.ceil(size.votes / size.voteBudget);
  const submitterIds = userIds.slice(-Math.min(700, Math.floor(size.employees / 10)));
  const voterIds = userIds.slice(size.jurors + 1, size.jurors + 1 + voterCount);
  const freshVoterIds = userIds.slice(size.jurors + 1 + voterCount, userIds.length - submitterIds.length);

  await insertBatches(
    db,
    'jury_members',
    jurorIds.map((id, i) => ({ edition_id: editionId, user_id: id, is_chair: i === 0, created_at: t(-20) })),
  );

  // Published entries with texts of realistic length.
  const entries = Array.from({ length: size.entries }, (_, i) => {
    const text = {
      title: `${pick(['Lärdomen om', 'När', 'Misstaget med', 'Det som hände med'], r)} ${pick(['formuläret', 'schemat', 'brevet', 'surfplattorna', 'receptionen', 'felanmälan', 'mötet', 'översättningen'], r)} nr ${i + 1}`,
      whatHappened: `${pick(SITUATIONS, r)} ${pick(TURNS, r)} ${pick(SITUATIONS, r)}`,
      lesson: `${pick(LESSONS, r)} ${pick(LESSONS, r)}`,
      changes: pick(CHANGES, r),
      teamName: r() < 0.5 ? `Team ${pick(LAST, r)}` : null,
    };
    const submitted = t(-25 + (i % 20));
    return {
      edition_id: editionId,
      submitter_id: submitterIds[i % submitterIds.length],
      status: 'published',
      title: text.title,
      what_happened: text.whatHappened,
      lesson: text.lesson,
      changes: text.changes,
      department_id: departments[i % departments.length].id,
      team_name: text.teamName,
      includes_self: true,
      show_submitter: r() < 0.7,
      eligibility_confirmed: true,
      search_text: buildSearchText(text),
      submitted_at: submitted,
      published_at: new Date(submitted.getTime() + DAY),
      created_at: submitted,
      updated_at: submitted,
    };
  });
  await insertBatches(db, 'nominations', entries, 100);
  const entryIds = await idsOf(db, 'nominations', { edition_id: editionId });

  // One named colleague (consent given) on every third entry: the next submitter along, never the
  // entry's own submitter.
  const nominees = entryIds
    .map((nominationId, i) => ({ nominationId, i }))
    .filter(({ i }) => i % 3 === 0)
    .map(({ nominationId, i }) => {
      const userId = submitterIds[(i + 1) % submitterIds.length];
      const user = users[userIds.indexOf(userId)];
      return {
        nomination_id: nominationId,
        user_id: userId,
        name: user.name,
        email: user.email,
        consent: 'given',
        consent_token: crypto.randomBytes(24).toString('base64url'),
        requested_at: t(-20),
        responded_at: t(-19),
        created_at: t(-20),
      };
    });
  await insertBatches(db, 'nominees', nominees);

  // People's votes: popularity falls off like a real vote (a few favourites, a long tail).
  const weights = entryIds.map((_, i) => 1 / Math.pow(i + 1, 0.7));
  const shuffled = [...entryIds].sort(() => r() - 0.5);
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative[cumulative.length - 1];
  const drawEntry = () => {
    const x = r() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return shuffled[lo];
  };
  const votes: Array<Record<string, unknown>> = [];
  for (const voterId of voterIds) {
    const chosen = new Set<number>();
    while (chosen.size < size.voteBudget && votes.length + chosen.size < size.votes) chosen.add(drawEntry());
    [...chosen].forEach((nominationId, slot) =>
      votes.push({ edition_id: editionId, nomination_id: nominationId, voter_id: voterId, slot: slot + 1, created_at: t(-(slot + 1)) }),
    );
    if (votes.length >= size.votes) break;
  }
  await insertBatches(db, 'votes', votes);

  // The jury has scored everything: each juror has a personal leaning (strict or lenient).
  const scores: Array<Record<string, unknown>> = [];
  const reviews: Array<Record<string, unknown>> = [];
  jurorIds.forEach((jurorId, j) => {
    const leaning = (j % 3) - 1;
    entryIds.forEach((nominationId, e) => {
      const quality = (e * 37) % 5;
      for (const criterion of criteria) {
        const value = Math.max(1, Math.min(5, Math.round(1 + quality * 0.8 + leaning + (r() - 0.5) * 2)));
        scores.push({ nomination_id: nominationId, juror_id: jurorId, criterion_id: criterion.id, value, updated_at: t(-2) });
      }
      reviews.push({ nomination_id: nominationId, juror_id: jurorId, note: r() < 0.3 ? 'Stark lärdom, tydlig spridning.' : '', submitted_at: t(-2), updated_at: t(-2) });
    });
  });
  await insertBatches(db, 'scores', scores);
  await insertBatches(db, 'jury_reviews', reviews);

  return {
    editionId,
    year,
    entryIds,
    freshVoterIds,
    readerIds: voterIds.slice(0, 200),
    voterIds,
    jurorIds,
    chairId: jurorIds[0],
    adminId,
    criterionIds: criteria.map((c) => c.id),
    voteBudget: size.voteBudget,
  };
}
