/**
 * Parties: the schema of content/parties.yaml, the one-time import of that list at first
 * start, and the queries the public pages need. After the import parties live in the database.
 */
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { appSettings, parties } from '../db/schema.ts';

export const PARTY_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const partyEntrySchema = z.strictObject({
  slug: z.string().regex(PARTY_SLUG, 'use lower-case letters, digits and single hyphens, e.g. "gl-pvda"'),
  name: z.string().trim().min(1).max(120),
  abbreviation: z.string().trim().min(1).max(20),
  seats: z.int().min(0).max(150),
  website: z.url({ protocol: /^https$/, error: 'must be an https:// address' }),
});
export type PartyEntry = z.output<typeof partyEntrySchema>;

/** The whole list: slugs and abbreviations must each be unique. */
export const partyListSchema = z.array(partyEntrySchema).superRefine((list, ctx) => {
  for (const key of ['slug', 'abbreviation'] as const) {
    const seen = new Set<string>();
    list.forEach((party, index) => {
      const value = party[key].toLowerCase();
      if (seen.has(value)) {
        ctx.addIssue({ code: 'custom', path: [index, key], message: `duplicate ${key} "${party[key]}"` });
      }
      seen.add(value);
    });
  }
});

export type Party = typeof parties.$inferSelect;

const INITIAL_IMPORT_KEY = 'parties.initial_import';

/**
 * Imports the initial party list once per database, ever. Returns how many parties it added
 * (0 when an earlier start already imported). Safe when several instances start at once: the
 * marker row is claimed in the same transaction.
 */
export async function importInitialParties(db: Db, list: readonly PartyEntry[], now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(appSettings)
      .values({ key: INITIAL_IMPORT_KEY, value: { at: now.toISOString(), count: list.length }, updatedAt: now })
      .onConflictDoNothing()
      .returning({ key: appSettings.key });
    if (claimed.length === 0 || list.length === 0) return 0;
    const inserted = await tx
      .insert(parties)
      .values(list.map((p) => ({ ...p, createdAt: now, updatedAt: now })))
      .onConflictDoNothing({ target: parties.slug })
      .returning({ id: parties.id });
    return inserted.length;
  });
}

/** Parties on the board (not retired): most seats first, then by name. */
export function listActiveParties(db: Db): Promise<Party[]> {
  return db
    .select()
    .from(parties)
    .where(isNull(parties.retiredAt))
    .orderBy(desc(parties.seats), asc(parties.name));
}

export async function findActivePartyBySlug(db: Db, slug: string): Promise<Party | undefined> {
  const [party] = await db
    .select()
    .from(parties)
    .where(and(eq(parties.slug, slug), isNull(parties.retiredAt)))
    .limit(1);
  return party;
}
