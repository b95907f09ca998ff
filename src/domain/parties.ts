/**
 * Parties: the schema of content/parties.yaml, the one-time import of that list at first
 * start, and the queries the public pages need. After the import parties live in the database.
 */
import { and, asc, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { appSettings, campaignParties, parties } from '../db/schema.ts';
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

/** A party of the registry: the same in every campaign. */
type RegistryParty = typeof parties.$inferSelect;

/** A party as one campaign shows it: its name, abbreviation and website there (what that campaign published), seats and retirement. */
export interface Party extends RegistryParty {
  seats: number;
  /** A retired party leaves the campaign's board; its pledges and history stay. */
  retiredAt: Date | null;
}

const INITIAL_IMPORT_KEY = 'parties.initial_import';

/**
 * The columns of a Party: select from parties joined to campaign_parties. The name and
 * abbreviation are the campaign's: what it published stays when the party is renamed later.
 */
export const partyColumns = {
  id: parties.id,
  slug: parties.slug,
  name: campaignParties.name,
  abbreviation: campaignParties.abbreviation,
  website: campaignParties.website,
  createdAt: parties.createdAt,
  updatedAt: campaignParties.updatedAt,
  seats: campaignParties.seats,
  retiredAt: campaignParties.retiredAt,
};

function inCampaign(db: Db, campaignId: number) {
  return db
    .select(partyColumns)
    .from(parties)
    .innerJoin(campaignParties, and(eq(campaignParties.partyId, parties.id), eq(campaignParties.campaignId, campaignId)));
}

/**
 * Imports the initial party list once per database, ever, into the registry and the given
 * campaign (the first). Returns how many parties it added (0 when an earlier start already
 * imported). Safe when several instances start at once: the marker row is claimed in the same
 * transaction.
 */
export async function importInitialParties(db: Db, campaignId: number, list: readonly PartyEntry[], now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(appSettings)
      .values({ key: INITIAL_IMPORT_KEY, value: { at: now.toISOString(), count: list.length }, updatedAt: now })
      .onConflictDoNothing()
      .returning({ key: appSettings.key });
    if (claimed.length === 0 || list.length === 0) return 0;
    const inserted = await tx
      .insert(parties)
      .values(list.map(({ seats: _seats, ...p }) => ({ ...p, createdAt: now, updatedAt: now })))
      .onConflictDoNothing({ target: parties.slug })
      .returning({ id: parties.id, slug: parties.slug, name: parties.name, abbreviation: parties.abbreviation, website: parties.website });
    if (inserted.length > 0) {
      const seatsOf = new Map(list.map((p) => [p.slug, p.seats]));
      await tx
        .insert(campaignParties)
        .values(
          inserted.map((p) => ({
            campaignId,
            partyId: p.id,
            name: p.name,
            abbreviation: p.abbreviation,
            website: p.website,
            seats: seatsOf.get(p.slug) ?? 0,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .onConflictDoNothing();
    }
    return inserted.length;
  });
}

/** Parties on a campaign's board (not retired): most seats first, then by name. */
export function listActiveParties(db: Db, campaignId: number): Promise<Party[]> {
  return inCampaign(db, campaignId).where(isNull(campaignParties.retiredAt)).orderBy(desc(campaignParties.seats), asc(campaignParties.name));
}

export async function findActivePartyBySlug(db: Db, campaignId: number, slug: string): Promise<Party | undefined> {
  if (!isPartySlug(slug)) return undefined;
  const [party] = await inCampaign(db, campaignId)
    .where(and(eq(parties.slug, slug), isNull(campaignParties.retiredAt)))
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

/** The registry's name, abbreviation and website: those of the party's latest campaign. */
async function followLatestCampaign(tx: Db, partyId: number, now: Date): Promise<void> {
  const [latest] = await tx
    .select({ name: campaignParties.name, abbreviation: campaignParties.abbreviation, website: campaignParties.website })
    .from(campaignParties)
    .where(eq(campaignParties.partyId, partyId))
    .orderBy(desc(campaignParties.campaignId))
    .limit(1);
  if (latest)
    await tx
      .update(parties)
      .set({ ...latest, updatedAt: now })
      .where(eq(parties.id, partyId));
}

/** Adds a party to the registry and to a campaign, with its seats there. */
export async function createParty(db: Db, campaignId: number, form: PartyForm, { actor, ip, now = new Date() }: WriteOptions): Promise<PartyWriteResult> {
  const parsed = partyFormSchema.safeParse(form);
  if (!parsed.success) return { status: 'invalid', issues: toFieldIssues(parsed.error) };
  const { seats, ...registry } = parsed.data;
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(parties)
      .values({ ...registry, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: parties.slug })
      .returning();
    if (!created) return { status: 'slug-taken' } as const;
    await tx.insert(campaignParties).values({
      campaignId,
      partyId: created.id,
      name: created.name,
      abbreviation: created.abbreviation,
      website: created.website,
      seats,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, { action: 'party.created', actor, subject: created.slug, ip, now, details: { name: created.name, campaignId } });
    return { status: 'done', party: { ...created, seats, retiredAt: null } } as const;
  });
}

/**
 * The slug stays: it is in permalinks, embeds and open data. A new name (abbreviation,
 * website) is this campaign's; other campaigns keep what they published the party under. The
 * registry follows the party's latest campaign: what a new campaign starts from.
 */
export async function updateParty(
  db: Db,
  campaignId: number,
  slug: string,
  form: Omit<PartyForm, 'slug'>,
  { actor, ip, now = new Date() }: WriteOptions,
): Promise<PartyWriteResult> {
  const parsed = partyFormSchema.omit({ slug: true }).safeParse(form);
  if (!parsed.success) return { status: 'invalid', issues: toFieldIssues(parsed.error) };
  const { seats, ...registry } = parsed.data;
  return db.transaction(async (tx) => {
    const [before] = await inCampaign(tx, campaignId).where(eq(parties.slug, slug)).limit(1);
    if (!before) return { status: 'unknown-party' } as const;
    await tx
      .update(campaignParties)
      .set({ ...registry, seats, updatedAt: now })
      .where(and(eq(campaignParties.campaignId, campaignId), eq(campaignParties.partyId, before.id)));
    await followLatestCampaign(tx, before.id, now);
    const updated: Party = { ...before, ...registry, seats, updatedAt: now };
    const changed = Object.fromEntries(
      (Object.keys(parsed.data) as (keyof typeof parsed.data)[])
        .filter((key) => before[key] !== parsed.data[key])
        .map((key) => [key, { from: before[key], to: parsed.data[key] }]),
    );
    await recordAudit(tx, { action: 'party.updated', actor, subject: slug, ip, now, details: changed });
    return { status: 'done', party: updated } as const;
  });
}

/**
 * Retiring takes a party off a campaign's board; its pledges and history stay. Reinstating
 * undoes it. The party's updated_at in this campaign moves too: the board's "last changed"
 * counts it.
 */
export async function setPartyRetired(
  db: Db,
  campaignId: number,
  slug: string,
  retired: boolean,
  { actor, ip, now = new Date() }: WriteOptions,
): Promise<PartyWriteResult> {
  return db.transaction(async (tx) => {
    const [before] = await inCampaign(tx, campaignId)
      .where(and(eq(parties.slug, slug), retired ? isNull(campaignParties.retiredAt) : isNotNull(campaignParties.retiredAt)))
      .limit(1);
    if (!before) return { status: 'unknown-party' } as const;
    const retiredAt = retired ? now : null;
    await tx
      .update(campaignParties)
      .set({ retiredAt, updatedAt: now })
      .where(and(eq(campaignParties.campaignId, campaignId), eq(campaignParties.partyId, before.id)));
    await recordAudit(tx, { action: retired ? 'party.retired' : 'party.reinstated', actor, subject: slug, ip, now, details: { campaignId } });
    return { status: 'done', party: { ...before, retiredAt, updatedAt: now } } as const;
  });
}

/** Every party of a campaign, retired ones last, for the admin pages. */
export function listAllParties(db: Db, campaignId: number): Promise<Party[]> {
  return inCampaign(db, campaignId).orderBy(sql`${campaignParties.retiredAt} is not null`, desc(campaignParties.seats), asc(campaignParties.name));
}

/** A party of a campaign, retired or not. */
export async function findPartyBySlug(db: Db, campaignId: number, slug: string): Promise<Party | undefined> {
  if (!isPartySlug(slug)) return undefined;
  const [party] = await inCampaign(db, campaignId).where(eq(parties.slug, slug)).limit(1);
  return party;
}

export async function findPartyById(db: Db, campaignId: number, id: number): Promise<Party | undefined> {
  const [party] = await inCampaign(db, campaignId).where(eq(parties.id, id)).limit(1);
  return party;
}
