/**
 * Notices to representatives who asked for them, on every engine: queued in the transaction
 * of a save, a correction or a moderation step, to the party's opted-in representatives but
 * never the one who made the change, and not at all when the save is refused.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { moderateStatement } from '../../src/domain/moderation.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import type { PledgeNoticeContext } from '../../src/domain/pledge-notices.ts';
import { savePledges } from '../../src/domain/pledges.ts';
import { setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { actorFor, setMailPreferences, type User } from '../../src/domain/users.ts';
import { TEST_CAMPAIGN_ID, TEST_GOAL_SLUGS, TEST_PARTIES, testMailContext } from '../fixtures/board.ts';
import { createAccount } from '../helpers/accounts.ts';
import { ENGINES, createTestDatabase, type TestDatabase } from '../helpers/engines.ts';

const MAIL = testMailContext({ sending: true });
const NOTIFY: PledgeNoticeContext = {
  mail: MAIL,
  goalTitles: Object.fromEntries(TEST_GOAL_SLUGS.map((slug, i) => [slug, { nl: `Doel ${i + 1}`, en: `Goal ${i + 1}` }])),
};
const [GOAL] = TEST_GOAL_SLUGS as [string, ...string[]];

describe.each(ENGINES)('pledge notices on %s', (engine) => {
  let test: TestDatabase;
  let anna: User; // wants colleagues' changes
  let bram: User; // wants the campaign's changes, in English
  let cees: User; // wants nothing
  let admin: User;
  const db = () => test.database.db;
  const notices = () => db().select().from(outbox).where(eq(outbox.kind, 'pledge-changed')).orderBy(outbox.id);
  let version = 0;
  const save = (user: User, stance: string, extra: { correctionReason?: string } = {}) =>
    savePledges(db(), {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlugs: TEST_GOAL_SLUGS,
      drafts: [{ goalSlug: GOAL, baseVersion: version, input: { stance, statement: `Versie ${version + 1}` } }],
      actor: actorFor(user),
      notify: NOTIFY,
      ...extra,
    });

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    await importInitialParties(db(), TEST_CAMPAIGN_ID, TEST_PARTIES);
    anna = (await createAccount(db(), { email: 'anna@partij-a.example', party: 'testpartij-a', name: 'Anna Test' })).user;
    bram = (await createAccount(db(), { email: 'bram@partij-a.example', party: 'testpartij-a', name: 'Bram Test' })).user;
    cees = (await createAccount(db(), { email: 'cees@partij-a.example', party: 'testpartij-a', name: 'Cees Test' })).user;
    admin = (await createAccount(db(), { email: 'admin@campagne.example', name: 'Eva Test' })).user;
    await createAccount(db(), { email: 'dirk@partij-b.example', party: 'testpartij-b', name: 'Dirk Test' });
    expect(await setMailPreferences(db(), anna, { colleagueChanges: true, campaignChanges: false, locale: 'nl' })).toBe('done');
    expect(await setMailPreferences(db(), bram, { colleagueChanges: false, campaignChanges: true, locale: 'en' })).toBe('done');
    expect(await setMailPreferences(db(), admin, { colleagueChanges: true, campaignChanges: true, locale: 'nl' })).toBe('not-a-representative');
  });
  afterAll(() => test.drop());
  beforeEach(async () => {
    await db().delete(outbox);
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, null, SYSTEM_ACTOR);
  });

  it('mails a colleague’s save, with the save, to those who asked, never to the one who saved', async () => {
    const result = await save(cees, 'partial');
    expect(result.status).toBe('done');
    version = 1;
    const rows = await notices();
    expect(rows.map((r) => r.toAddress)).toEqual(['anna@partij-a.example']);
    expect(rows[0]!.textBody).toContain('Cees Test heeft de toezegging van Testpartij A gewijzigd');
    expect(rows[0]!.textBody).toContain('Doel 1: Geen reactie → Gedeeltelijk');
    // Under the pledge's campaign's own address: the mail stays right when another is current.
    expect(rows[0]!.textBody).toContain('https://board.example/campagnes/campagne-1/nl/myParty');
    expect(rows[0]!.textBody).not.toContain('Versie 1');
    // Anna's own save mails nobody: Cees did not ask, Bram only wants the campaign's changes.
    expect((await save(anna, 'committed')).status).toBe('done');
    version = 2;
    expect(await notices()).toHaveLength(1);
  });

  it('queues nothing when the save is refused', async () => {
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, 'closed', SYSTEM_ACTOR);
    expect((await save(cees, 'declined')).status).toBe('closed');
    await setPledgingOverride(db(), TEST_CAMPAIGN_ID, null, SYSTEM_ACTOR);
    // A form from before the last save: a conflict, nothing written.
    const stale = await savePledges(db(), {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlugs: TEST_GOAL_SLUGS,
      drafts: [{ goalSlug: GOAL, baseVersion: 1, input: { stance: 'declined', statement: 'Oud formulier' } }],
      actor: actorFor(cees),
      notify: NOTIFY,
    });
    expect(stale.status).toBe('conflict');
    expect(await notices()).toEqual([]);
  });

  it('mails the campaign’s correction and moderation to those who asked for those', async () => {
    expect((await save(admin, 'declined', { correctionReason: 'Het programma zegt iets anders.' })).status).toBe('done');
    version = 3;
    let rows = await notices();
    expect(rows.map((r) => [r.toAddress, r.locale])).toEqual([['bram@partij-a.example', 'en']]);
    expect(rows[0]!.textBody).toContain('The campaign (Eva Test) corrected Testpartij A’s pledge');
    expect(rows[0]!.textBody).toContain('Goal 1: Committed → Declined');
    expect(rows[0]!.textBody).toContain('Het programma zegt iets anders.');
    await db().delete(outbox);
    expect(
      await moderateStatement(db(), {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-a',
        goalSlug: GOAL,
        hide: true,
        reason: 'Persoonsgegevens',
        actor: actorFor(admin),
        notify: NOTIFY,
      }),
    ).toBe('done');
    rows = await notices();
    expect(rows.map((r) => r.toAddress)).toEqual(['bram@partij-a.example']);
    expect(rows[0]!.subject).toContain('The campaign hid a statement of Testpartij A');
    // Refused moderation (nothing to change): no mail.
    await db().delete(outbox);
    expect(
      await moderateStatement(db(), {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: 'testpartij-a',
        goalSlug: GOAL,
        hide: true,
        reason: 'Nog eens',
        actor: actorFor(admin),
        notify: NOTIFY,
      }),
    ).toBe('unchanged');
    expect(await notices()).toEqual([]);
  });
});
