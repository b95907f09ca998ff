/**
 * Prepares a database before a server is started on it: migrations plus fictional parties and
 * pledges (claiming the first-start import, so the real party list is not added).
 */
import { openDatabase, type DatabaseTarget } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { importInitialParties, type PartyEntry } from '../../src/domain/parties.ts';
import { savePledge, type PledgeInput } from '../../src/domain/pledges.ts';
import { addTestParties, TEST_CAMPAIGN_ID, testRep } from '../fixtures/board.ts';

export interface SeedPledge extends PledgeInput {
  party: string;
  goal: string;
}

export async function seedDatabase(
  target: DatabaseTarget,
  parties: readonly PartyEntry[],
  pledges: readonly SeedPledge[],
  goalSlugs: readonly string[],
): Promise<void> {
  const database = await openDatabase(target);
  try {
    await migrateDatabase(database, target);
    // Claims the first-start import on a new database; adds the parties on an existing one too.
    await importInitialParties(database.db, TEST_CAMPAIGN_ID, parties);
    const ids = await addTestParties(database.db, parties);
    for (const { party, goal, ...input } of pledges) {
      // As the party's own (fictional) representative: its answer (src/domain/answers.ts).
      const result = await savePledge(database.db, {
        campaignId: TEST_CAMPAIGN_ID,
        partySlug: party,
        goalSlug: goal,
        goalSlugs,
        baseVersion: 0,
        input,
        actor: testRep(ids.get(party) ?? 0),
      });
      if (result.status !== 'saved') throw new Error(`seed ${party}/${goal}: ${result.status}`);
    }
  } finally {
    await database.close();
  }
}
