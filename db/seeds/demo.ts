// Demo data (SPEC §5): the demo users, the current edition with nomination and voting open and a
// dozen published entries, and last year's archived edition with its winner. Safe to run twice.
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import * as editions from '../../src/editions/service';
import { stockholmYear } from '../../src/time';
import { buildSearchText } from '../../src/nominations/search-text';
import { CURRENT_ENTRIES, DEMO_USERS, PREVIOUS_ENTRIES, type DemoEntry } from './demo-content';

const DAY = 24 * 60 * 60 * 1000;

async function insertId(q: Knex.QueryBuilder): Promise<number> {
  const [row] = await q.returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

export async function isSeeded(db: Knex): Promise<boolean> {
  const row = await db('users').where({ tenant_id: 'demo' }).first();
  return Boolean(row);
}

export async function seedDemo(db: Knex, now: Date): Promise<void> {
  if (await isSeeded(db)) return;
  await db.transaction(async (trx) => {
    const userIds: Record<string, number> = {};
    for (const u of DEMO_USERS) {
      userIds[u.key] = await insertId(
        trx('users').insert({
          tenant_id: 'demo',
          object_id: `demo-${u.key}`,
          email: u.email,
          name: u.name,
          department: u.department,
          is_admin: Boolean(u.admin),
          admin_source: u.admin ? 'bootstrap' : null,
          created_at: now,
        }),
      );
    }

    const year = stockholmYear(now);
    const t = (days: number) => new Date(now.getTime() + days * DAY);

    const currentId = await editions.create(
      trx,
      {
        year,
        title: `Årets misstag ${year}`,
        introSv: 'Läs vad kollegorna har lärt sig av sina misstag och rösta på de lärdomar som betyder mest för dig. Har du eller dina kollegor gjort ett misstag som ni har lärt er något av? Nominera det! Vi belönar lärdomen, inte misstaget.',
        introEn: 'Read what colleagues have learned from their mistakes and vote for the lessons that matter most to you. Have you or your colleagues made a mistake you learned from? Nominate it! We reward the lesson, not the mistake.',
        voteBudget: 3,
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

    const previousYear = year - 1;
    const last = (days: number) => new Date(now.getTime() - 365 * DAY + days * DAY);
    const previousId = await editions.create(
      trx,
      {
        year: previousYear,
        title: `Årets misstag ${previousYear}`,
        introSv: 'Förra årets pris gick till en lärdom om klarspråk.',
        introEn: "Last year's award went to a lesson about plain language.",
        voteBudget: 1,
        nominationOpensAt: last(-30),
        nominationClosesAt: last(14),
        votingOpensAt: last(-7),
        votingClosesAt: last(21),
        judgingOpensAt: last(22),
        judgingClosesAt: last(35),
        ceremonyAt: last(40),
        revealedAt: last(40),
        archivedAt: last(60),
      },
      now,
    );

    for (const [editionId, members] of [
      [currentId, ['cecilia', 'david', 'eva']],
      [previousId, ['cecilia', 'david', 'eva']],
    ] as const) {
      for (const key of members) {
        await trx('jury_members').insert({ edition_id: editionId, user_id: userIds[key], is_chair: key === 'cecilia', created_at: now });
      }
    }

    const departmentIds = async (editionId: number) =>
      Object.fromEntries((await editions.departments(trx, editionId)).map((d) => [d.name, d.id]));

    const insertEntries = async (editionId: number, entries: DemoEntry[], publishedAt: Date) => {
      const depts = await departmentIds(editionId);
      const ids: number[] = [];
      for (const e of entries) {
        const id = await insertId(
          trx('nominations').insert({
            edition_id: editionId,
            submitter_id: userIds[e.submitter],
            status: e.status,
            title: e.title,
            what_happened: e.whatHappened,
            lesson: e.lesson,
            changes: e.changes,
            department_id: depts[e.department] ?? null,
            team_name: e.teamName ?? null,
            includes_self: e.includesSelf,
            show_submitter: e.showSubmitter,
            eligibility_confirmed: true,
            search_text: buildSearchText(e),
            submitted_at: publishedAt,
            published_at: e.status === 'published' ? publishedAt : null,
            created_at: publishedAt,
            updated_at: publishedAt,
          }),
        );
        for (const n of e.nominees ?? []) {
          const person = DEMO_USERS.find((u) => u.key === n.user)!;
          await trx('nominees').insert({
            nomination_id: id,
            user_id: userIds[n.user],
            name: person.name,
            email: person.email,
            consent: n.consent,
            consent_token: crypto.randomBytes(24).toString('base64url'),
            requested_at: publishedAt,
            responded_at: n.consent === 'given' ? publishedAt : null,
            created_at: publishedAt,
          });
        }
        ids.push(id);
      }
      return ids;
    };

    await insertEntries(currentId, CURRENT_ENTRIES, t(-10));
    const previousIds = await insertEntries(previousId, PREVIOUS_ENTRIES, last(0));

    // Last year's result: people's votes (archived: only the counts remain, V4), finalists, winner.
    const voteCounts = [42, 17, 28, 11];
    for (const [i, nominationId] of previousIds.entries()) {
      const votes = voteCounts[i] ?? 0;
      if (votes > 0) await trx('vote_tallies').insert({ edition_id: previousId, nomination_id: nominationId, votes });
    }
    for (const [position, nominationId] of previousIds.slice(0, 3).entries()) {
      await trx('finalists').insert({ edition_id: previousId, nomination_id: nominationId, position });
    }
    await trx('results').insert({
      edition_id: previousId,
      winner_nomination_id: previousIds[0],
      motivation:
        'Med mod och envishet har försörjningsstöd visat att ett beslut inte är färdigt förrän det är förstått. Lärdomen har spridits till hela förvaltningen och gör skillnad för tusentals invånare varje månad.',
      locked_by: userIds.cecilia,
      locked_at: last(36),
      updated_at: last(36),
    });
  });
}
