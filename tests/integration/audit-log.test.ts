/**
 * The audit log as the admins read it (Beheer → Auditlog): structured entries with who and what
 * they were about, filters by action and by person, keyset pages that meet without gaps or
 * overlaps, and the CSV export of a filter, guarded against formula injection.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actors.ts';
import { listAuditActors, listAuditForExport, listAuditPage, recordAudit } from '../../src/domain/audit.ts';
import { AUDIT_CSV_COLUMNS, toAuditCsv } from '../../src/domain/audit-csv.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { auditSentence } from '../../src/i18n/audit.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';

describe.each(ENGINES)('the audit log on %s', (engine) => {
  let test: TestDatabase;
  let anna: Actor;
  let bert: Actor;
  const db = () => test.database.db;
  const goalNumber = (slug: string) => (slug === 'tweede-doel' ? 2 : undefined);

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES);
    // Accounts made from links leave their own lines (account.created): start counting after.
    const a = await createAccount(db(), { email: 'anna@campagne.example', name: 'Anna de Vries' });
    const b = await createAccount(db(), { email: 'bert@campagne.example', name: '@Bert Bakker' });
    anna = { userId: a.user.id, name: 'Anna de Vries', role: 'admin', partyId: null, label: a.email };
    bert = { userId: b.user.id, name: '@Bert Bakker', role: 'admin', partyId: null, label: b.email };
  });
  afterAll(() => test.drop());

  it('words an entry as a sentence from its parts, with the party’s name and the goal’s number', async () => {
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, 'closed', anna);
    await recordAudit(db(), { action: 'pledge.corrected', actor: anna, subject: 'testpartij-a/tweede-doel' });
    const { entries } = await listAuditPage(db(), { actorUserId: anna.userId! }, { limit: 2 });
    const [corrected, closed] = entries;
    expect(corrected!.party).toEqual({ slug: 'testpartij-a', name: 'Testpartij A' });
    expect(corrected!.goalSlug).toBe('tweede-doel');
    expect(corrected!.actor).toMatchObject({ name: 'Anna de Vries', role: 'admin' });
    expect(auditSentence('nl', corrected!, goalNumber)).toBe('Anna de Vries (beheerder) corrigeerde het standpunt van Testpartij A voor doel 2');
    expect(auditSentence('en', corrected!, goalNumber)).toBe('Anna de Vries (admin) corrected the stance of Testpartij A on goal 2');
    expect(auditSentence('nl', closed!, goalNumber)).toBe('Anna de Vries (beheerder) sloot het toezeggen');
    expect(auditSentence('en', closed!, goalNumber)).toBe('Anna de Vries (admin) closed pledging');
  });

  it('filters by action and by person, and lists the people who acted', async () => {
    for (let i = 0; i < 3; i++) await recordAudit(db(), { action: 'party.updated', actor: bert, subject: 'testpartij-b' });
    const byBert = await listAuditPage(db(), { actorUserId: bert.userId! }, { limit: 50 });
    expect(byBert.entries.every((e) => e.actor.userId === bert.userId)).toBe(true);
    const updates = await listAuditPage(db(), { action: 'party.updated' }, { limit: 50 });
    expect(updates.entries).toHaveLength(3);
    const closedByBert = await listAuditPage(db(), { action: 'pledging.closed', actorUserId: bert.userId! });
    expect(closedByBert.entries).toEqual([]);
    expect(closedByBert.olderThan).toBeNull();
    expect(closedByBert.newerThan).toBeNull();
    const actors = await listAuditActors(db());
    expect(actors.map((a) => a.name)).toEqual(expect.arrayContaining(['Anna de Vries', '@Bert Bakker']));
  });

  it('pages meet exactly: older and newer links walk the filtered log without gaps or overlaps', async () => {
    for (let i = 0; i < 7; i++) await recordAudit(db(), { action: 'invite.revoked', actor: anna, subject: `p${i}@partij.example` });
    const filter = { action: 'invite.revoked' as const };
    const all = (await listAuditForExport(db(), filter)).map((e) => e.id);
    expect(all).toHaveLength(7);
    const first = await listAuditPage(db(), filter, { limit: 3 });
    expect(first.entries.map((e) => e.id)).toEqual(all.slice(0, 3));
    expect(first.newerThan).toBeNull();
    const second = await listAuditPage(db(), filter, { limit: 3, before: first.olderThan! });
    expect(second.entries.map((e) => e.id)).toEqual(all.slice(3, 6));
    const third = await listAuditPage(db(), filter, { limit: 3, before: second.olderThan! });
    expect(third.entries.map((e) => e.id)).toEqual(all.slice(6));
    expect(third.olderThan).toBeNull(); // the last page says so, even though it is not full
    // Back from the last page: the page just newer than it, which is the second.
    const back = await listAuditPage(db(), filter, { limit: 3, after: third.newerThan! });
    expect(back.entries.map((e) => e.id)).toEqual(all.slice(3, 6));
    const backAgain = await listAuditPage(db(), filter, { limit: 3, after: back.newerThan! });
    expect(backAgain.entries.map((e) => e.id)).toEqual(all.slice(0, 3));
    expect(backAgain.newerThan).toBeNull();
    // Exactly a page's worth: no "older" link to an empty page.
    const exact = await listAuditPage(db(), filter, { limit: 7 });
    expect(exact.entries).toHaveLength(7);
    expect(exact.olderThan).toBeNull();
    // Past the end (an old bookmark): empty, with the way back.
    const past = await listAuditPage(db(), filter, { limit: 3, before: Math.min(...all) });
    expect(past.entries).toEqual([]);
    expect(past.newerThan).not.toBeNull();
    expect((await listAuditPage(db(), filter, { limit: 3, after: past.newerThan! })).entries.map((e) => e.id)).toEqual(all.slice(4));
  });

  it('exports a filter as CSV with the agreed columns, formulas defused', async () => {
    await recordAudit(db(), { action: 'user.disabled', actor: bert, subject: '+31@partij.example', ip: '192.0.2.7', details: { note: '-1' } });
    const csv = toAuditCsv(await listAuditForExport(db(), { action: 'user.disabled' }));
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse<Record<string, string>>(csv.slice(1), { columns: true });
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: "'@Bert Bakker <bert@campagne.example>", role: 'admin', action: 'user.disabled', subject: "'+31@partij.example" });
    expect(rows[0]!.details).toBe('{"note":"-1"}');
    expect(new Date(rows[0]!.time!).toISOString()).toBe(rows[0]!.time);
    for (const row of parse<Record<string, string>>(toAuditCsv(await listAuditForExport(db())).slice(1), { columns: true })) {
      for (const cell of Object.values(row)) expect(cell, cell).not.toMatch(/^[=+\-@]/);
    }
  });
});
