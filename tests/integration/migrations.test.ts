import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { isArchivedCampaignWrite } from '../../src/db/errors.ts';
import { migrateDatabase, MIGRATIONS_FOLDER } from '../../src/db/migrate.ts';
import { FIRST_CAMPAIGN_ID } from '../../src/domain/content-import.ts';
import { listPartyHistory } from '../../src/domain/history.ts';
import { loadOutreach } from '../../src/domain/outreach.ts';
import { loadItems } from '../../src/domain/parliament/items.ts';
import { parseZaakResponse } from '../../src/domain/parliament/zaak.ts';
import { loadDeadline, loadPledgingState } from '../../src/domain/pledging-window.ts';
import { loadScoreboard } from '../../src/domain/scoreboard.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { addTestParties } from '../fixtures/board.ts';
import { addTestCampaign } from '../fixtures/campaigns.ts';
import { createTestDatabase, ENGINES, rowsOf, type TestDatabase } from '../helpers/engines.ts';

describe.each(ENGINES)('migrations on %s', (engine) => {
  let test: TestDatabase | undefined;
  afterEach(() => test?.drop());

  it('create every table on an empty database, and a second run changes nothing', async () => {
    test = await createTestDatabase(engine, { migrate: false });
    await migrateDatabase(test.database, test.target);
    await migrateDatabase(test.database, test.target);
    const tables = rowsOf<{ table_name: string }>(
      await test.database.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`),
    );
    expect(tables.map((r) => r.table_name)).toEqual([
      'account_links',
      'app_settings',
      'audit_log',
      'board_state',
      'campaign_board_versions',
      'campaign_goals',
      'campaign_parties',
      'campaigns',
      'candidate_signatures',
      'candidate_standings',
      'candidates',
      'evidence_snapshots',
      'follow_up_ratings',
      'fraction_mappings',
      'login_attempt_counts',
      'login_known_clients',
      'login_known_devices',
      'outbox',
      'parliament_item_imports',
      'parliament_item_unlinks',
      'parliament_items',
      'parties',
      'party_replies',
      'pledge_checks',
      'pledge_events',
      'pledges',
      'recovery_codes',
      'reminder_runs',
      'reminder_schedule',
      'reply_moderations',
      'sessions',
      'statement_moderations',
      'users',
    ]);
    const applied = rowsOf<{ n: number }>(await test.database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
    const files = (await readdir(MIGRATIONS_FOLDER)).filter((f) => f.endsWith('.sql'));
    expect(applied[0]!.n).toBe(files.length);
  });
});

describe.each(ENGINES)('migration 0016 (outbox went_out_at) on %s', (engine) => {
  let test: TestDatabase | undefined;
  afterEach(() => test?.drop());

  it('gives existing held and sent mails the moment the public record gave them, and no other mail one', async () => {
    test = await createTestDatabase(engine, { migrate: false });
    const { target, database } = test;
    await migrateUpTo(test, 15);
    const mail = (status: string, createdAt: string, sentAt: string | null) => sql`
      insert into outbox (message_key, kind, to_address, locale, from_name, subject, text_body, html_body, status, created_at, sent_at)
      values (${status}, 'invite', 'a@b.example', 'nl', 'C', 'S', 'T', 'H', ${status}::mail_status, ${createdAt}::timestamptz, ${sentAt}::timestamptz)`;
    await database.db.execute(mail('held', '2026-09-01T10:00:00Z', null));
    await database.db.execute(mail('sent', '2026-09-02T10:00:00Z', '2026-09-02T10:05:00Z'));
    await database.db.execute(mail('pending', '2026-09-03T10:00:00Z', null));
    await database.db.execute(mail('failed', '2026-09-04T10:00:00Z', null));
    await migrateDatabase(database, target);
    const rows = rowsOf<{ status: string; went_out_at: string | Date | null }>(
      await database.db.execute(sql`select status, went_out_at from outbox order by created_at`),
    );
    expect(rows.map((r) => [r.status, r.went_out_at === null ? null : new Date(r.went_out_at).toISOString()])).toEqual([
      ['held', '2026-09-01T10:00:00.000Z'],
      ['sent', '2026-09-02T10:05:00.000Z'],
      ['pending', null],
      ['failed', null],
    ]);
  });
});

/** The migrations up to `last` (an idx), from a copy of the folder whose journal stops there. */
async function migrateUpTo({ target, database }: TestDatabase, last: number): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-migrations-'));
  try {
    await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
    const journalFile = path.join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { idx: number }[] };
    await writeFile(journalFile, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx <= last) }));
    if (target.engine === 'pglite') {
      await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: dir });
    } else {
      const client = postgres(target.url, { max: 1, onnotice: () => {} });
      try {
        await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: dir });
      } finally {
        await client.end({ timeout: 5 });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.each(ENGINES)('migration 0017 (reminder record) on %s', (engine) => {
  let test: TestDatabase | undefined;
  afterEach(() => test?.drop());

  it('takes went_out_at from reminders that were never sent, and gives a held-then-sent one its sent_at', async () => {
    test = await createTestDatabase(engine, { migrate: false });
    const { target, database } = test;
    await migrateUpTo(test, 16);
    const mail = (key: string, kind: string, status: string, createdAt: string) => sql`
      insert into outbox (message_key, kind, to_address, locale, from_name, subject, text_body, html_body, status, created_at)
      values (${key}, ${kind}, 'a@b.example', 'nl', 'C', 'S', 'T', 'H', ${status}::mail_status, ${createdAt}::timestamptz)`;
    await database.db.execute(mail('held-reminder', 'reminder', 'held', '2026-09-01T10:00:00Z'));
    await database.db.execute(mail('sent-later', 'reminder', 'held', '2026-09-02T10:00:00Z'));
    // Held, then taken and sent by a sender: 0016 kept the held moment.
    await database.db.execute(sql`update outbox set status = 'sent', sent_at = '2026-09-05T10:00:00Z' where message_key = 'sent-later'`);
    await database.db.execute(mail('cancelled', 'reminder', 'held', '2026-09-03T10:00:00Z'));
    await database.db.execute(sql`update outbox set status = 'cancelled' where message_key = 'cancelled'`);
    await database.db.execute(mail('held-invite', 'invite', 'held', '2026-09-04T10:00:00Z'));
    await migrateDatabase(database, target);
    const wentOut = async () =>
      rowsOf<{ message_key: string; went_out_at: string | Date | null }>(
        await database.db.execute(sql`select message_key, went_out_at from outbox order by created_at`),
      ).map((r) => [r.message_key, r.went_out_at === null ? null : new Date(r.went_out_at).toISOString()]);
    expect(await wentOut()).toEqual([
      ['held-reminder', null],
      ['sent-later', '2026-09-05T10:00:00.000Z'],
      ['cancelled', null],
      ['held-invite', '2026-09-04T10:00:00.000Z'],
    ]);
    // From now on: a held reminder has none, and a went_out_at the writer supplies is not taken.
    await database.db.execute(sql`
      insert into outbox (message_key, kind, to_address, locale, from_name, subject, text_body, html_body, status, created_at, went_out_at)
      values ('new', 'reminder', 'a@b.example', 'nl', 'C', 'S', 'T', 'H', 'held', '2026-09-06T10:00:00Z', '2026-09-06T10:00:00Z')`);
    await database.db.execute(sql`update outbox set went_out_at = '2026-09-07T10:00:00Z' where message_key in ('new', 'held-reminder')`);
    expect((await wentOut()).filter(([key]) => key === 'new' || key === 'held-reminder')).toEqual([
      ['held-reminder', null],
      ['new', null],
    ]);
  });
});

describe.each(ENGINES)('migration 0018 (campaigns) on %s', (engine) => {
  let test: TestDatabase | undefined;
  afterEach(() => test?.drop());

  const GOALS = [
    { slug: 'eerste-doel', number: 1 },
    { slug: 'tweede-doel', number: 2 },
    { slug: 'derde-doel', number: 3 },
  ] as const;
  const DEADLINE = '2026-12-15T16:00:00.000Z';
  const TABLES = [
    'parties',
    'pledges',
    'pledge_events',
    'statement_moderations',
    'outbox',
    'account_links',
    'reminder_schedule',
    'reminder_runs',
    'audit_log',
    'users',
  ] as const;
  const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string | Date).toISOString());

  it('moves an installation into campaign 1 without losing a row, and the public record reads the same', async () => {
    test = await createTestDatabase(engine, { migrate: false });
    const { target, database } = test;
    const db = database.db;
    const run = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db.execute(query));
    await migrateUpTo(test, 17);

    // An installation as 0017 left it (fictional parties): seats and retirement on the party.
    await db.execute(sql`
      insert into parties (slug, name, abbreviation, seats, website, retired_at, created_at, updated_at) values
        ('zeewind', 'Partij Zeewind', 'PZW', 12, 'https://example.org/zeewind', null, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
        ('kompas', 'Het Kompas', 'HK', 7, null, null, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
        ('lantaarn', 'De Lantaarn', 'DL', 3, null, '2026-05-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-05-01T00:00:00Z')`);
    const ids = new Map((await run<{ id: number; slug: string }>(sql`select id, slug from parties`)).map((p) => [p.slug, Number(p.id)]));
    const id = (slug: string) => ids.get(slug)!;
    /** A pledge with its versions: each [stance, role, at, reason]; the row shows the last. */
    const pledge = async (party: string, goal: string, versions: [string, 'rep' | 'admin' | 'system', string, string | null][]) => {
      const [last] = versions.slice(-1);
      const [row] = await run<{ id: number }>(sql`
        insert into pledges (party_id, goal_slug, stance, statement, version, updated_by_name, updated_by_role, correction_reason, created_at, updated_at)
        values (${id(party)}, ${goal}, ${last![0]}::stance, ${`Versie ${versions.length}`}, ${versions.length}, 'Iemand', ${last![1]}::actor_role,
                ${last![3]}, ${versions[0]![2]}::timestamptz, ${last![2]}::timestamptz)
        returning id`);
      for (const [i, [stance, role, at, reason]] of versions.entries())
        await db.execute(sql`
          insert into pledge_events (pledge_id, party_id, goal_slug, version, stance_before, stance_after, statement_before, statement_after,
                                     actor_name, actor_role, correction_reason, occurred_at)
          values (${row!.id}, ${id(party)}, ${goal}, ${i + 1}, ${i === 0 ? null : versions[i - 1]![0]}::stance, ${stance}::stance,
                  ${i === 0 ? null : `Versie ${i}`}, ${`Versie ${i + 1}`}, 'Iemand', ${role}::actor_role, ${reason}, ${at}::timestamptz)`);
      return Number(row!.id);
    };
    await pledge('zeewind', 'eerste-doel', [
      ['committed', 'rep', '2026-02-01T10:00:00Z', null],
      ['partial', 'admin', '2026-02-10T10:00:00Z', 'Verkeerd overgenomen.'],
      ['committed', 'rep', '2026-02-20T10:00:00Z', null],
    ]);
    const hiddenOne = await pledge('zeewind', 'tweede-doel', [['declined', 'rep', '2026-02-02T10:00:00Z', null]]);
    await db.execute(sql`
      insert into statement_moderations (pledge_id, version, hidden, reason, by_name, at)
      values (${hiddenOne}, 1, true, 'Persoonsgegevens', 'Beheerder', '2026-02-03T10:00:00Z')`);
    await pledge('kompas', 'eerste-doel', [['partial', 'system', '2026-02-04T10:00:00Z', null]]);
    await pledge('kompas', 'derde-doel', [
      ['declined', 'admin', '2026-02-05T10:00:00Z', 'Uit het programma.'],
      ['committed', 'rep', '2026-02-06T10:00:00Z', null],
    ]);
    await pledge('lantaarn', 'derde-doel', [['committed', 'rep', '2026-02-07T10:00:00Z', null]]);

    // Invitations (one mailed, one made before the outbox), a reset link, and the outbox.
    const link = async (purpose: string, party: string | null, at: string, userId: number | null = null) =>
      Number(
        (
          await run<{ id: number }>(sql`
            insert into account_links (token_hash, purpose, email, party_id, user_id, created_at, expires_at)
            values (${`hash-${purpose}-${party}-${at}`}, ${purpose}::link_purpose, 'iemand@partij.example', ${party ? id(party) : null}, ${userId},
                    ${at}::timestamptz, ${at}::timestamptz + interval '7 days')
            returning id`)
        )[0]!.id,
      );
    const mailed = await link('invite', 'zeewind', '2026-01-10T10:00:00Z');
    await link('invite', 'kompas', '2026-01-11T10:00:00Z');
    const [admin] = await run<{ id: number }>(sql`
      insert into users (email, display_name, role, password_hash) values ('beheer@campagne.example', 'Bea Beheer', 'admin', 'x') returning id`);
    const reset = await link('password-reset', null, '2026-01-12T10:00:00Z', Number(admin!.id));
    const mail = (key: string, kind: string, party: string | null, status: string, createdAt: string, sentAt: string | null, linkId: number | null) =>
      db.execute(sql`
        insert into outbox (message_key, kind, to_address, locale, from_name, subject, text_body, html_body, status, created_at, sent_at, party_id, account_link_id)
        values (${key}, ${kind}, 'iemand@partij.example', 'nl', 'Campagne', 'S', 'T', 'H', ${status}::mail_status, ${createdAt}::timestamptz,
                ${sentAt}::timestamptz, ${party ? id(party) : null}, ${linkId})`);
    await mail('invite-zeewind', 'invite', 'zeewind', 'sent', '2026-01-10T10:00:00Z', '2026-01-10T10:01:00Z', mailed);
    await mail('reminder-1-zeewind', 'reminder', 'zeewind', 'sent', '2026-01-20T10:00:00Z', '2026-01-20T10:02:00Z', null);
    await mail('reminder-1-kompas', 'reminder', 'kompas', 'sent', '2026-01-20T10:00:00Z', '2026-01-20T10:03:00Z', null);
    await mail('reminder-2-kompas', 'reminder', 'kompas', 'held', '2026-01-25T10:00:00Z', null, null);
    await mail('reset', 'password-reset', null, 'sent', '2026-01-12T10:00:00Z', '2026-01-12T10:00:30Z', reset);

    // Reminder schedule and a run; the pledging settings an admin set; one other setting.
    await db.execute(sql`insert into reminder_schedule (days_before, created_at) values (7, '2026-01-05T10:00:00Z'), (2, '2026-01-05T10:00:00Z')`);
    await db.execute(sql`
      insert into reminder_runs (days_before, deadline, due_at, ran_at, rounds)
      values (7, ${DEADLINE}::timestamptz, '2026-12-08T16:00:00Z', '2026-12-08T16:00:05Z', 1)`);
    await db.execute(sql`
      insert into app_settings (key, value) values
        ('pledging.override', '{"state":"closed"}'::jsonb),
        ('pledging.deadline', ${JSON.stringify({ at: DEADLINE })}::jsonb),
        ('parties.initial-import', '{"count":3}'::jsonb)`);

    // What the public record says, read with the old schema's own SQL.
    const counts = async (): Promise<Record<string, number>> =>
      Object.fromEntries(
        await Promise.all(
          TABLES.map(async (table): Promise<[string, number]> => [
            table,
            Number((await run<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n),
          ]),
        ),
      );
    const countsBefore = await counts();
    const oldParties = await run<{ id: number; slug: string; seats: number }>(
      sql`select id, slug, seats from parties where retired_at is null order by seats desc, name asc`,
    );
    const oldPledges = await run<{ party_id: number; goal_slug: string; stance: string }>(sql`select party_id, goal_slug, stance from pledges`);
    const oldBoard = oldParties.map((p) => ({
      slug: p.slug,
      seats: Number(p.seats),
      stances: GOALS.map((g) => oldPledges.find((x) => Number(x.party_id) === Number(p.id) && x.goal_slug === g.slug)?.stance ?? 'none'),
    }));
    type HistoryLine = { kind: string; goal: string; version: number; stance: string | null; hidden: boolean | null; at: string | null };
    const oldHistory = async (partyId: number): Promise<HistoryLine[]> =>
      (
        await run<{ kind: string; goal: string; version: number; stance: string | null; hidden: boolean | null; at: unknown }>(sql`
          select 'change' as kind, goal_slug as goal, version, stance_after::text as stance, null::boolean as hidden, occurred_at as at
            from pledge_events where party_id = ${partyId}
          union all
          select 'moderation', p.goal_slug, m.version, null, m.hidden, m.at
            from statement_moderations m join pledges p on p.id = m.pledge_id where p.party_id = ${partyId}`)
      )
        .map((r) => ({ kind: r.kind, goal: r.goal, version: Number(r.version), stance: r.stance, hidden: r.hidden, at: iso(r.at) }))
        .sort((a, b) => `${a.at}${a.kind}${a.goal}`.localeCompare(`${b.at}${b.kind}${b.goal}`));
    const historyBefore: Record<string, HistoryLine[]> = Object.fromEntries(
      await Promise.all([...ids].map(async ([slug, partyId]) => [slug, await oldHistory(partyId)])),
    );
    const outreachRows = await run<{ party_id: number; first_asked: unknown; reminders: number; last_reminded: unknown; first_answered: unknown }>(sql`
      with facts as (
        select party_id, kind, went_out_at as at, created_at as round from outbox
          where kind in ('invite', 'reminder') and went_out_at is not null and party_id is not null
        union all
        select party_id, 'invite', created_at, created_at from account_links l
          where purpose = 'invite' and (not exists (select 1 from outbox o where o.account_link_id = l.id)
            or (used_at is not null and not exists (select 1 from outbox o where o.account_link_id = l.id and o.went_out_at is not null)))
        union all
        select party_id, 'answer', occurred_at, occurred_at from pledge_events where actor_role = 'rep'
      )
      select party_id,
             min(at) filter (where kind = 'invite') as first_asked,
             count(distinct round) filter (where kind = 'reminder')::int as reminders,
             max(at) filter (where kind = 'reminder') as last_reminded,
             min(at) filter (where kind = 'answer') as first_answered
        from facts group by party_id`);
    const outreachBefore = Object.fromEntries(
      outreachRows.map((r) => [
        Number(r.party_id),
        { firstAskedAt: iso(r.first_asked), reminders: Number(r.reminders), lastRemindedAt: iso(r.last_reminded), firstAnsweredAt: iso(r.first_answered) },
      ]),
    );
    // The fixture means something: a board, a history with a moderation, reminders on the record.
    expect(oldBoard.map((r) => r.slug)).toEqual(['zeewind', 'kompas']);
    expect(historyBefore['zeewind']!.filter((h) => h.kind === 'moderation')).toHaveLength(1);
    expect(outreachBefore[id('kompas')]).toMatchObject({ reminders: 1, firstAskedAt: '2026-01-11T10:00:00.000Z' });

    await migrateDatabase(database, target);

    // Every row is still there, and each campaign fact names campaign 1.
    expect(await counts()).toEqual(countsBefore);
    for (const table of ['pledges', 'pledge_events', 'reminder_schedule', 'reminder_runs'] as const)
      expect(
        await run<{ campaign_id: number; n: number }>(sql`select campaign_id, count(*)::int as n from ${sql.identifier(table)} group by campaign_id`),
        table,
      ).toEqual([{ campaign_id: 1, n: countsBefore[table] }]);
    const byKey = await run<{ key: string; campaign_id: number | null }>(sql`select message_key as key, campaign_id from outbox order by message_key`);
    expect(byKey).toEqual([
      { key: 'invite-zeewind', campaign_id: 1 },
      { key: 'reminder-1-kompas', campaign_id: 1 },
      { key: 'reminder-1-zeewind', campaign_id: 1 },
      { key: 'reminder-2-kompas', campaign_id: 1 },
      { key: 'reset', campaign_id: null },
    ]);
    expect(await run<{ purpose: string; campaign_id: number | null }>(sql`select purpose::text, campaign_id from account_links order by id`)).toEqual([
      { purpose: 'invite', campaign_id: 1 },
      { purpose: 'invite', campaign_id: 1 },
      { purpose: 'password-reset', campaign_id: null },
    ]);

    // Seats and retirement moved to campaign_parties; the registry no longer has them.
    const members = await run<{ slug: string; campaign_id: number; seats: number; retired_at: unknown }>(sql`
      select p.slug, cp.campaign_id, cp.seats, cp.retired_at from campaign_parties cp join parties p on p.id = cp.party_id order by p.slug`);
    expect(members.map((m) => ({ ...m, retired_at: iso(m.retired_at) }))).toEqual([
      { slug: 'kompas', campaign_id: 1, seats: 7, retired_at: null },
      { slug: 'lantaarn', campaign_id: 1, seats: 3, retired_at: '2026-05-01T00:00:00.000Z' },
      { slug: 'zeewind', campaign_id: 1, seats: 12, retired_at: null },
    ]);
    const partyColumns = await run<{ column_name: string }>(
      sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = 'parties'`,
    );
    expect(partyColumns.map((c) => c.column_name)).not.toContain('seats');
    expect(partyColumns.map((c) => c.column_name)).not.toContain('retired_at');

    // The override and the deadline are campaign 1's now, and left app_settings (the rest stays).
    const [campaign] = await run<{ id: number; state: string; is_current: boolean; pledging_override: string | null; pledge_deadline: unknown }>(
      sql`select id, state::text, is_current, pledging_override, pledge_deadline from campaigns`,
    );
    expect({ ...campaign!, pledge_deadline: iso(campaign!.pledge_deadline) }).toEqual({
      id: 1,
      state: 'open',
      is_current: true,
      pledging_override: 'closed',
      pledge_deadline: DEADLINE,
    });
    expect((await run<{ key: string }>(sql`select key from app_settings order by key`)).map((r) => r.key)).toEqual(['parties.initial-import']);
    expect(await loadDeadline(db, FIRST_CAMPAIGN_ID)).toEqual(new Date(DEADLINE));
    expect(await loadPledgingState(db, FIRST_CAMPAIGN_ID, new Date('2026-11-01T00:00:00Z'))).toMatchObject({ open: false });

    // The board read through the domain, for campaign 1, says what the old schema said.
    const board = await loadScoreboard(db, FIRST_CAMPAIGN_ID, GOALS);
    expect(board.rows.map((r) => ({ slug: r.party.slug, seats: r.party.seats, stances: r.cells.map((c) => c.stance) }))).toEqual(oldBoard);
    for (const [slug, partyId] of ids) {
      const history = (await listPartyHistory(db, FIRST_CAMPAIGN_ID, partyId))
        .map((h) =>
          h.kind === 'change'
            ? { kind: h.kind, goal: h.goalSlug, version: h.version, stance: h.stanceAfter, hidden: null, at: iso(h.at) }
            : {
                kind: h.kind,
                goal: h.goalSlug,
                version: 'version' in h ? h.version : null,
                stance: null,
                hidden: h.kind === 'moderation' ? h.hidden : null,
                at: iso(h.at),
              },
        )
        .sort((a, b) => `${a.at}${a.kind}${a.goal}`.localeCompare(`${b.at}${b.kind}${b.goal}`));
      expect(history, slug).toEqual(historyBefore[slug]);
    }
    const outreach = await loadOutreach(db, FIRST_CAMPAIGN_ID);
    expect(
      Object.fromEntries(
        [...outreach].map(([partyId, o]) => [
          partyId,
          { firstAskedAt: iso(o.firstAskedAt), reminders: o.reminders, lastRemindedAt: iso(o.lastRemindedAt), firstAnsweredAt: iso(o.firstAnsweredAt) },
        ]),
      ),
    ).toEqual(outreachBefore);
  });
});

describe.each(ENGINES)('migration 0024 (parliamentary items as published) on %s', (engine) => {
  let test: TestDatabase | undefined;
  afterEach(() => test?.drop());

  const motion = readFileSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'tk', 'motion.json'), 'utf8');
  const PARTIES = [
    { slug: 'kustpartij', name: 'Kustpartij', abbreviation: 'KP', seats: 31, website: null, createdAt: new Date('2030-01-01T00:00:00Z') },
    { slug: 'vrije-burgers', name: 'Vrije Burgers', abbreviation: 'VB', seats: 17, website: null, createdAt: new Date('2030-01-01T00:00:00Z') },
    { slug: 'polder', name: 'De Polderpartij', abbreviation: 'DPP', seats: 6, website: null, createdAt: new Date('2030-01-01T00:00:00Z') },
  ];
  const iso = (value: unknown) => new Date(value as string | Date).toISOString();

  it('makes each item as last imported its first import, and each mapping one set since the first link, archived campaigns too', async () => {
    test = await createTestDatabase(engine, { migrate: false });
    const { target, database } = test;
    const db = database.db;
    const run = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db.execute(query));
    await migrateUpTo(test, 23);

    // Two campaigns as 0023 left them (fictional parties): one in follow-up, one archived since.
    const open = await addTestCampaign(db, { slug: 'opvolging', state: 'follow-up' });
    const closed = await addTestCampaign(db, { slug: 'vorige', state: 'follow-up' });
    const ids = await addTestParties(db, PARTIES, open);
    await addTestParties(db, PARTIES, closed);
    const item = JSON.parse(JSON.stringify(parseZaakResponse(JSON.parse(motion))));
    for (const [campaign, goal, effect, at] of [
      [open, 'veilige-apps', 'undermines', '2031-03-12T10:00:00Z'],
      [open, 'hulp-op-school', 'advances', '2031-03-14T10:00:00Z'],
      [closed, 'veilige-apps', 'advances', '2031-03-13T10:00:00Z'],
    ] as const) {
      await db.execute(sql`
        insert into parliament_items (campaign_id, goal_slug, zaak_number, zaak_id, kind, title, subject, effect, item, imported_at)
        values (${campaign}, ${goal}, '2031Z01234', ${item.id}, ${item.kind}, ${item.title}, ${item.subject}, ${effect}, ${JSON.stringify(item)}::jsonb, ${at})`);
    }
    await db.execute(sql`insert into fraction_mappings (campaign_id, fraction, party_id) values
      (${open}, 'Polderunie', ${ids.get('polder')!}), (${closed}, 'Polderunie', null)`);
    await db.execute(sql`update campaigns set state = 'archived' where id = ${closed}`);
    const oldItems = await run<Record<string, unknown>>(sql`
      select id, campaign_id, goal_slug, zaak_number, zaak_id, kind, title, subject, effect::text, item, imported_at, by_user_id from parliament_items order by id`);
    expect(oldItems).toHaveLength(3);

    await migrateDatabase(database, target);

    // Each old row is one link and its one import, with every value it had.
    const links = await run<{ id: number; campaign_id: number; goal_slug: string; zaak_number: string; created_at: unknown }>(
      sql`select id, campaign_id, goal_slug, zaak_number, created_at from parliament_items order by id`,
    );
    expect(links.map((l) => ({ ...l, created_at: iso(l.created_at) }))).toEqual(
      oldItems.map((o) => ({ id: o.id, campaign_id: o.campaign_id, goal_slug: o.goal_slug, zaak_number: o.zaak_number, created_at: iso(o.imported_at) })),
    );
    const imports = await run<Record<string, unknown>>(sql`
      select item_id as id, campaign_id, zaak_id, kind, title, subject, effect::text, item, imported_at, by_user_id from parliament_item_imports order by item_id`);
    expect(imports.map((i) => ({ ...i, imported_at: iso(i.imported_at) }))).toEqual(
      oldItems.map(({ goal_slug: _goal, zaak_number: _number, ...o }) => ({ ...o, imported_at: iso(o.imported_at) })),
    );
    expect(await run(sql`select * from parliament_item_unlinks`)).toEqual([]);

    // Mappings hold from the campaign's first linked item on; views before it showed no item anyway.
    const mappings = await run<{ campaign_id: number; fraction: string; party_id: number | null; set_at: unknown }>(
      sql`select campaign_id, fraction, party_id, set_at from fraction_mappings order by campaign_id`,
    );
    expect(mappings.map((m) => ({ ...m, set_at: iso(m.set_at) }))).toEqual([
      { campaign_id: open, fraction: 'Polderunie', party_id: ids.get('polder')!, set_at: '2031-03-12T10:00:00.000Z' },
      { campaign_id: closed, fraction: 'Polderunie', party_id: null, set_at: '2031-03-13T10:00:00.000Z' },
    ]);

    // Read through the domain: now, and frozen at moments in between, as the old rows said.
    const view = async (campaign: number, at: string | null) =>
      (await loadItems(db, campaign, at ? new Date(at) : null)).items.map((i) => ({
        goal: i.goalSlug,
        effect: i.effect,
        polder: i.partyVotes.find((v) => v.fraction === 'Polderunie')?.partySlug ?? null,
        ignored: i.ignored,
      }));
    expect(await view(open, null)).toEqual([
      { goal: 'hulp-op-school', effect: 'advances', polder: 'polder', ignored: [] },
      { goal: 'veilige-apps', effect: 'undermines', polder: 'polder', ignored: [] },
    ]);
    expect(await view(open, '2031-03-13T00:00:00Z')).toEqual([{ goal: 'veilige-apps', effect: 'undermines', polder: 'polder', ignored: [] }]);
    expect(await view(open, '2031-03-11T00:00:00Z')).toEqual([]);
    expect(await view(closed, null)).toEqual([{ goal: 'veilige-apps', effect: 'advances', polder: null, ignored: ['Polderunie'] }]);

    // The new shape is the public record too: append-only, and an archived campaign stays read-only.
    await expect(db.execute(sql`update parliament_item_imports set effect = 'advances'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from fraction_mappings`)).rejects.toThrow();
    const refused = await db.execute(sql`insert into parliament_item_unlinks (campaign_id, item_id, reason) values (${closed}, ${links[2]!.id}, 'Fout.')`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isArchivedCampaignWrite(refused)).toBe(true);
  });
});

describe('the migrations in drizzle/', () => {
  it('match src/db/schema.ts: drizzle-kit has nothing left to generate', async () => {
    // A copy of the folder, so that a forgotten migration shows up there and not in the repo.
    const dir = await mkdtemp(path.join(PROJECT_ROOT, 'node_modules', '.drizzle-check-'));
    try {
      await cp(MIGRATIONS_FOLDER, path.join(dir, 'drizzle'), { recursive: true });
      const out = path.relative(PROJECT_ROOT, path.join(dir, 'drizzle'));
      const bin = path.join(PROJECT_ROOT, 'node_modules', 'drizzle-kit', 'bin.cjs');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [bin, 'generate', '--dialect', 'postgresql', '--schema', 'src/db/schema.ts', '--out', out],
        { cwd: PROJECT_ROOT },
      );
      expect(stdout).toContain('No schema changes');
      expect(await readdir(path.join(dir, 'drizzle'))).toEqual(await readdir(MIGRATIONS_FOLDER));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
