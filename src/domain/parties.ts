/**
 * Parties: the schema of content/parties.yaml, the one-time import of that list at first
 * start, and the queries the public pages need. After the import parties live in the database.
 */
import { and, asc, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { appSettings, parties } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import { toFieldIssues, type FieldIssues } from './field-issues.ts';
import { optionalHttpsUrl } from './https-url.ts';
import { freeText, oneLine } from './text.ts';

const PARTY_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PARTY_SLUG_MAX_LENGTH = 64;

/**
 * Whether text from an address can be a party's slug: checked before any query, so that a
 * NUL or other junk is simply "no such party" (Postgres would refuse a NUL with an error).
 */
export function isPartySlug(value: string): boolean {
  return value.length <= PARTY_SLUG_MAX_LENGTH && PARTY_SLUG.test(value);
}

const partyEntrySchema = z.strictObject({
  slug: z.string().regex(PARTY_SLUG, 'use lower-case letters, digits and single hyphens, e.g. "gl-pvda"'),
  name: freeText().trim().min(1).max(120).refine(oneLine, 'must be one line'),
  abbreviation: freeText().trim().min(1).max(20).refine(oneLine, 'must be one line'),
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
  return db.select().from(parties).where(isNull(parties.retiredAt)).orderBy(desc(parties.seats), asc(parties.name));
}

export async function findActivePartyBySlug(db: Db, slug: string): Promise<Party | undefined> {
  if (!isPartySlug(slug)) return undefined;
  const [party] = await db
    .select()
    .from(parties)
    .where(and(eq(parties.slug, slug), isNull(parties.retiredAt)))
    .limit(1);
  return party;
}

/** An admin's edit of a party: the same fields as the initial list, minus the slug's history. */
export const partyFormSchema = z.strictObject({
  slug: z.string().trim().toLowerCase().regex(PARTY_SLUG, 'party.slug'),
  // One line: a party's name goes into mail subjects, where a line break is refused.
  name: freeText('party.name').trim().min(1, 'party.name').max(120, 'party.name').refine(oneLine, 'party.name'),
  abbreviation: freeText('party.abbreviation').trim().min(1, 'party.abbreviation').max(20, 'party.abbreviation').refine(oneLine, 'party.abbreviation'),
  seats: z.coerce.number({ error: 'party.seats' }).int('party.seats').min(0, 'party.seats').max(150, 'party.seats'),
  website: optionalHttpsUrl('party.websiteInvalid'),
});
export type PartyForm = z.input<typeof partyFormSchema>;

export type PartyWriteResult =
  { status: 'done'; party: Party } | { status: 'invalid'; issues: FieldIssues } | { status: 'slug-taken' } | { status: 'unknown-party' };

interface WriteOptions {
  actor: Actor;
  ip?: string | null;
  now?: Date;
}

export async function createParty(db: Db, form: PartyForm, { actor, ip, now = new Date() }: WriteOptions): Promise<PartyWriteResult> {
  const parsed = partyFormSchema.safeParse(form);
  if (!parsed.success) return { status: 'invalid', issues: toFieldIssues(parsed.error) };
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(parties)
      .values({ ...parsed.data, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: parties.slug })
      .returning();
    if (!created) return { status: 'slug-taken' } as const;
    await recordAudit(tx, { action: 'party.created', actor, subject: created.slug, ip, now, details: { name: created.name } });
    return { status: 'done', party: created } as const;
  });
}

/** The slug stays: it is in permalinks, embeds and open data. */
export async function updateParty(
  db: Db,
  slug: string,
  form: Omit<PartyForm, 'slug'>,
  { actor, ip, now = new Date() }: WriteOptions,
): Promise<PartyWriteResult> {
  const parsed = partyFormSchema.omit({ slug: true }).safeParse(form);
  if (!parsed.success) return { status: 'invalid', issues: toFieldIssues(parsed.error) };
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(parties).where(eq(parties.slug, slug)).limit(1);
    if (!before) return { status: 'unknown-party' } as const;
    const [updated] = await tx
      .update(parties)
      .set({ ...parsed.data, updatedAt: now })
      .where(eq(parties.id, before.id))
      .returning();
    const changed = Object.fromEntries(
      (Object.keys(parsed.data) as (keyof typeof parsed.data)[])
        .filter((key) => before[key] !== parsed.data[key])
        .map((key) => [key, { from: before[key], to: parsed.data[key] }]),
    );
    await recordAudit(tx, { action: 'party.updated', actor, subject: slug, ip, now, details: changed });
    return { status: 'done', party: updated! } as const;
  });
}

/** Retiring takes a party off the board; its pledges and history stay. Reinstating undoes it. */
export async function setPartyRetired(db: Db, slug: string, retired: boolean, { actor, ip, now = new Date() }: WriteOptions): Promise<PartyWriteResult> {
  return db.transaction(async (tx) => {
    const [party] = await tx
      .update(parties)
      .set({ retiredAt: retired ? now : null, updatedAt: now })
      .where(and(eq(parties.slug, slug), retired ? isNull(parties.retiredAt) : isNotNull(parties.retiredAt)))
      .returning();
    if (!party) return { status: 'unknown-party' } as const;
    await recordAudit(tx, { action: retired ? 'party.retired' : 'party.reinstated', actor, subject: slug, ip, now });
    return { status: 'done', party } as const;
  });
}

/** Every party, retired ones last, for the admin pages. */
export function listAllParties(db: Db): Promise<Party[]> {
  return db
    .select()
    .from(parties)
    .orderBy(sql`${parties.retiredAt} is not null`, desc(parties.seats), asc(parties.name));
}

export async function findPartyBySlug(db: Db, slug: string): Promise<Party | undefined> {
  if (!isPartySlug(slug)) return undefined;
  const [party] = await db.select().from(parties).where(eq(parties.slug, slug)).limit(1);
  return party;
}

export async function findPartyById(db: Db, id: number): Promise<Party | undefined> {
  const [party] = await db.select().from(parties).where(eq(parties.id, id)).limit(1);
  return party;
}
