/**
 * The campaign checks each pledge against its source: `verified` (the manifesto says it: a
 * quote, a page and the address checked) or `disputed` (a public reason). A check belongs to
 * one version of a pledge: a newer version is "not yet checked" again. Checks are append-only
 * (drizzle/0022); the latest check of the pledge's version is the one shown, every check is an
 * event in the pledge's public history.
 *
 * The evidence page is kept. Which address: the one the admin checked (`checkedUrl`, always
 * there for `verified`), else the pledge's own evidence address; neither, no fetch. It is
 * fetched once, before the transaction (a fetch may take seconds and must not hold a row
 * lock), and stored as an evidence snapshot: hash, size, type, status and the body up to a
 * limit, or the fetcher's refusal code. "Check the address again" (refetchEvidence) stores a
 * new snapshot of the same address in the same campaign, and nothing else: snapshots are per
 * address, so the newest fetch of an address tells every check that kept a copy of it whether
 * the page has changed or is gone since.
 */
import { and, desc, eq, inArray, lt, lte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { isArchivedCampaignWrite } from '../db/errors.ts';
import { campaignParties, campaigns, evidenceSnapshots, parties, pledgeChecks, pledges } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { pledgesAsOf } from './as-of.ts';
import { recordAudit } from './audit.ts';
import { EvidenceFetchRefused, fetchEvidence, type EvidenceFetchOptions, type EvidenceFetchReason, type EvidencePage } from './evidence-fetch.ts';
import { toFieldIssues, type FieldIssues } from './field-issues.ts';
import { optionalHttpsUrl } from './https-url.ts';
import { loadReplies, replyData, type PartyReply, type ReplyData } from './replies.ts';
import { freeText } from './text.ts';

type CheckVerdict = (typeof pledgeChecks.verdict.enumValues)[number];
/** What the public sees of a pledge's check. */
type CheckStatus = CheckVerdict | 'unchecked';

export const CHECK_QUOTE_MAX = 1000;
export const CHECK_REASON_MAX = 500;

/** '' from an empty form field is "not given". */
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const checkSchema = z.object({
  verdict: z.enum(pledgeChecks.verdict.enumValues, { error: 'check.verdict' }),
  quote: z.preprocess(blank, freeText('check.quote').trim().min(1, 'check.quote').max(CHECK_QUOTE_MAX, 'check.quoteTooLong').optional()),
  page: z.preprocess(blank, z.coerce.number({ error: 'check.page' }).int('check.page').min(1, 'check.page').max(100_000, 'check.page').optional()),
  checkedUrl: optionalHttpsUrl('check.checkedUrl'),
  reason: z.preprocess(blank, freeText('check.reason').trim().min(3, 'check.reason').max(CHECK_REASON_MAX, 'check.reasonTooLong').optional()),
  /** The version the admin looked at (the form sends it): a newer one is refused as stale. */
  pledgeVersion: z.preprocess(blank, z.coerce.number({ error: 'check.stale' }).int('check.stale').min(1, 'check.stale').optional()),
});

/** What a verdict needs, from the raw form (so every missing field is named in one go, also next to other problems). */
function missingFields(input: CheckInput): FieldIssues {
  const missing = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  if (input.verdict === 'verified') {
    return Object.fromEntries((['quote', 'page', 'checkedUrl'] as const).filter((field) => missing(input[field])).map((field) => [field, `check.${field}`]));
  }
  return input.verdict === 'disputed' && missing(input.reason) ? { reason: 'check.reason' } : {};
}

export interface CheckInput {
  partySlug: string;
  goalSlug: string;
  verdict: string;
  quote?: string | null;
  page?: string | number | null;
  checkedUrl?: string | null;
  reason?: string | null;
  pledgeVersion?: string | number | null;
}

export interface CheckOptions {
  actor: Actor;
  ip?: string | null;
  now?: Date;
  /** The fetcher's options: tests reach their local https server; production passes none. */
  fetch?: EvidenceFetchOptions;
}

export type CheckResult =
  | { status: 'done'; checkId: number; snapshot: SnapshotSummary | null }
  | { status: 'invalid'; issues: FieldIssues }
  | { status: 'forbidden' }
  /** No pledge of that party on that goal in this campaign (a party that said nothing has none). */
  | { status: 'unknown-pledge' }
  /** The pledge changed after the admin opened the form: they checked a version no longer shown. */
  | { status: 'stale' }
  | { status: 'archived' };

/** What the pages show of a kept evidence page. */
export interface SnapshotSummary {
  id: number;
  url: string;
  finalUrl: string | null;
  fetchedAt: Date;
  httpStatus: number | null;
  contentType: string | null;
  size: number | null;
  sha256: string | null;
  truncated: boolean;
  /** The fetcher's reason code when it could not fetch the page; null when it did. */
  refusal: EvidenceFetchReason | null;
}

/**
 * What became of the page since the check kept it, by the newest fetch of the same address:
 * `unchanged` (same hash), `changed`, `gone` (HTTP 404 or 410), `unreachable` (the newest
 * fetch was refused). null: not fetched again since.
 */
type EvidenceSince = 'unchanged' | 'changed' | 'gone' | 'unreachable';

/** One check as recorded: what the pages (PledgeCheck) and the history (CheckEvent) both show. */
interface CheckRecord {
  id: number;
  pledgeId: number;
  pledgeVersion: number;
  verdict: CheckVerdict;
  quote: string | null;
  page: number | null;
  checkedUrl: string | null;
  reason: string | null;
  byName: string;
  checkedAt: Date;
}

export interface PledgeCheck extends CheckRecord {
  snapshot: SnapshotSummary | null;
  /** The newest fetch of the same address after the check's own; null when none. */
  latestSnapshot: SnapshotSummary | null;
  since: EvidenceSince | null;
  /** The party's latest reply to this check. */
  reply: PartyReply | null;
}

const snapshotColumns = {
  id: evidenceSnapshots.id,
  url: evidenceSnapshots.url,
  finalUrl: evidenceSnapshots.finalUrl,
  fetchedAt: evidenceSnapshots.fetchedAt,
  httpStatus: evidenceSnapshots.httpStatus,
  contentType: evidenceSnapshots.contentType,
  size: evidenceSnapshots.size,
  sha256: evidenceSnapshots.sha256,
  truncated: evidenceSnapshots.truncated,
  refusal: evidenceSnapshots.refusal,
};

type SnapshotRow = { [K in keyof typeof snapshotColumns]: (typeof evidenceSnapshots.$inferSelect)[K] };

const toSummary = (row: SnapshotRow): SnapshotSummary => ({ ...row, refusal: row.refusal as EvidenceFetchReason | null });

/** What one fetch brought: the page, or the refusal's code. Never throws for the fetcher's reasons. */
type Fetched = { url: string; page: EvidencePage } | { url: string; refusal: EvidenceFetchReason; at: Date };

async function fetchOnce(url: string, options: EvidenceFetchOptions | undefined, now: Date): Promise<Fetched> {
  try {
    return { url, page: await fetchEvidence(url, options) };
  } catch (error) {
    if (error instanceof EvidenceFetchRefused) return { url, refusal: error.reason, at: now };
    throw error;
  }
}

async function storeSnapshot(db: Db, campaignId: number, fetched: Fetched): Promise<SnapshotSummary> {
  const values =
    'page' in fetched
      ? {
          campaignId,
          url: fetched.url,
          finalUrl: fetched.page.finalUrl,
          httpStatus: fetched.page.status,
          contentType: fetched.page.contentType,
          size: fetched.page.size,
          sha256: fetched.page.sha256,
          body: fetched.page.body,
          truncated: fetched.page.truncated,
          fetchedAt: fetched.page.fetchedAt,
        }
      : { campaignId, url: fetched.url, refusal: fetched.refusal, fetchedAt: fetched.at };
  const [row] = await db.insert(evidenceSnapshots).values(values).returning(snapshotColumns);
  return toSummary(row!);
}

/** The pledge of a party on a goal in a campaign, with the campaign's state. */
async function findPledge(db: Db, campaignId: number, partySlug: string, goalSlug: string, lock = false) {
  const query = db
    .select({ id: pledges.id, version: pledges.version, evidenceUrl: pledges.evidenceUrl, state: campaigns.state })
    .from(pledges)
    .innerJoin(parties, eq(parties.id, pledges.partyId))
    .innerJoin(campaigns, eq(campaigns.id, pledges.campaignId))
    .where(and(eq(pledges.campaignId, campaignId), eq(parties.slug, partySlug), eq(pledges.goalSlug, goalSlug)))
    .limit(1);
  const [row] = lock ? await query.for('update', { of: pledges }) : await query;
  return row;
}

async function campaignState(db: Db, campaignId: number) {
  const [row] = await db.select({ state: campaigns.state }).from(campaigns).where(eq(campaigns.id, campaignId));
  return row?.state ?? null;
}

/** Everything recordCheck refuses before it writes, without writing: the input as it would be recorded, or why not. */
async function vetCheck(db: Db, campaignId: number, input: CheckInput, actor: Actor) {
  if (actor.role !== 'admin') return { status: 'forbidden' } as const;
  const parsed = checkSchema.safeParse(input);
  const issues = { ...missingFields(input), ...(parsed.success ? {} : toFieldIssues(parsed.error)) };
  if (!parsed.success || Object.keys(issues).length > 0) return { status: 'invalid', issues } as const;
  const { pledgeVersion, ...checked } = parsed.data;
  const before = await findPledge(db, campaignId, input.partySlug, input.goalSlug);
  if (!before) return (await campaignState(db, campaignId)) === 'archived' ? ({ status: 'archived' } as const) : ({ status: 'unknown-pledge' } as const);
  if (before.state === 'archived') return { status: 'archived' } as const;
  if (pledgeVersion !== undefined && pledgeVersion !== before.version) return { status: 'stale' } as const;
  return { status: 'ready', checked, before } as const;
}

export type CheckPreview = { status: 'ready'; verdict: CheckVerdict; reason: string | null } | Exclude<CheckResult, { status: 'done' }>;

/**
 * What recordCheck would record, without recording it: for the confirm step before a dispute
 * (its reason is public at once), so the admin sees the reason as it will be shown, or the
 * form's errors before being asked to confirm.
 */
export async function previewCheck(db: Db, campaignId: number, input: CheckInput, actor: Actor): Promise<CheckPreview> {
  const vetted = await vetCheck(db, campaignId, input, actor);
  if (vetted.status !== 'ready') return vetted;
  const { verdict, reason } = vetted.checked;
  return { status: 'ready', verdict, reason: verdict === 'disputed' ? (reason ?? null) : null };
}

/** Records an admin's check of a pledge's current version, with a copy of its evidence page. */
export async function recordCheck(db: Db, campaignId: number, input: CheckInput, { actor, ip, now = new Date(), fetch }: CheckOptions): Promise<CheckResult> {
  const vetted = await vetCheck(db, campaignId, input, actor);
  if (vetted.status !== 'ready') return vetted;
  const { before, checked } = vetted;
  const { verdict, quote, page, checkedUrl, reason } = checked;
  // Outside the transaction: the fetch may take seconds.
  const address = checkedUrl ?? before.evidenceUrl;
  const fetched = address ? await fetchOnce(address, fetch, now) : null;
  try {
    return await db.transaction(async (tx) => {
      const pledge = await findPledge(tx, campaignId, input.partySlug, input.goalSlug, true);
      if (!pledge) return { status: 'unknown-pledge' } as const;
      if (pledge.state === 'archived') return { status: 'archived' } as const;
      // A save during the fetch made a version the admin has not seen.
      if (pledge.version !== before.version) return { status: 'stale' } as const;
      const snapshot = fetched ? await storeSnapshot(tx, campaignId, fetched) : null;
      const verified = verdict === 'verified';
      const [row] = await tx
        .insert(pledgeChecks)
        .values({
          campaignId,
          pledgeId: pledge.id,
          pledgeVersion: pledge.version,
          verdict,
          quote: verified ? quote : null,
          page: verified ? page : null,
          checkedUrl: checkedUrl ?? null,
          reason: verified ? null : reason,
          snapshotId: snapshot?.id ?? null,
          byName: actor.name,
          byUserId: actor.userId,
          checkedAt: now,
        })
        .returning({ id: pledgeChecks.id });
      await recordAudit(tx, {
        action: 'pledge.checked',
        actor,
        subject: `${input.partySlug}/${input.goalSlug}`,
        ip,
        now,
        details: { verdict, version: pledge.version, ...(reason && !verified ? { reason } : {}), fetch: snapshot ? (snapshot.refusal ?? 'fetched') : 'none' },
      });
      return { status: 'done', checkId: row!.id, snapshot } as const;
    });
  } catch (error) {
    if (isArchivedCampaignWrite(error)) return { status: 'archived' };
    throw error;
  }
}

export type RefetchResult = { status: 'done'; snapshot: SnapshotSummary } | { status: 'forbidden' } | { status: 'not-checked' } | { status: 'archived' };

/**
 * "Check the address again": fetches the address the pledge's current check kept a copy of
 * and stores a new snapshot of it. The check itself stays as it was.
 */
export async function refetchEvidence(
  db: Db,
  campaignId: number,
  { partySlug, goalSlug }: { partySlug: string; goalSlug: string },
  { actor, ip, now = new Date(), fetch }: CheckOptions,
): Promise<RefetchResult> {
  if (actor.role !== 'admin') return { status: 'forbidden' };
  const pledge = await findPledge(db, campaignId, partySlug, goalSlug);
  if (!pledge) return (await campaignState(db, campaignId)) === 'archived' ? { status: 'archived' } : { status: 'not-checked' };
  if (pledge.state === 'archived') return { status: 'archived' };
  const current = (await checksOf(db, campaignId, [pledge])).get(pledge.id);
  const address = current?.snapshot?.url;
  if (!address) return { status: 'not-checked' };
  const fetched = await fetchOnce(address, fetch, now);
  try {
    return await db.transaction(async (tx) => {
      const snapshot = await storeSnapshot(tx, campaignId, fetched);
      await recordAudit(tx, {
        action: 'evidence.refetched',
        actor,
        subject: `${partySlug}/${goalSlug}`,
        ip,
        now,
        details: { fetch: snapshot.refusal ?? 'fetched' },
      });
      return { status: 'done', snapshot } as const;
    });
  } catch (error) {
    if (isArchivedCampaignWrite(error)) return { status: 'archived' };
    throw error;
  }
}

/**
 * What became of the checked page since, as a public claim about a party's source, so only
 * what the two copies prove: nothing unless the check kept a page that was there (2xx, hashed);
 * "gone" when it now answers 404 or 410; "changed" only for a document (a PDF, not a web page,
 * whose bytes differ on every fetch: tokens, dates); "unreachable" when the new fetch failed.
 */
export function sinceOf(kept: SnapshotSummary | null, latest: SnapshotSummary | null): EvidenceSince | null {
  if (!kept || !latest || kept.sha256 === null || kept.httpStatus === null || kept.httpStatus < 200 || kept.httpStatus > 299) return null;
  if (latest.refusal) return 'unreachable';
  if (latest.httpStatus === 404 || latest.httpStatus === 410) return 'gone';
  if (latest.sha256 === kept.sha256 && latest.httpStatus === kept.httpStatus) return 'unchanged';
  return /html/i.test(kept.contentType ?? '') ? null : 'changed';
}

/**
 * The check shown for each of these pledges (id and the version shown), by pledge id: the
 * latest check of that very version; a pledge with none is "not yet checked" (absent). With
 * `at`, as it stood then: checks, refetches and replies made later are left out.
 */
export async function checksOf(
  db: Db,
  campaignId: number,
  shown: readonly { id: number; version: number }[],
  at: Date | null = null,
): Promise<Map<number, PledgeCheck>> {
  const result = new Map<number, PledgeCheck>();
  if (shown.length === 0) return result;
  const versions = new Map(shown.map((p) => [p.id, p.version]));
  const rows = await db
    .select({ check: pledgeChecks, snapshot: snapshotColumns })
    .from(pledgeChecks)
    .leftJoin(evidenceSnapshots, eq(evidenceSnapshots.id, pledgeChecks.snapshotId))
    .where(and(eq(pledgeChecks.campaignId, campaignId), inArray(pledgeChecks.pledgeId, [...versions.keys()]), at ? lte(pledgeChecks.checkedAt, at) : undefined))
    .orderBy(desc(pledgeChecks.id));
  // Newest first: the first check of the version shown is the one that stands.
  const seen = new Set<number>();
  const current = rows.filter((row) => {
    if (versions.get(row.check.pledgeId) !== row.check.pledgeVersion || seen.has(row.check.pledgeId)) return false;
    seen.add(row.check.pledgeId);
    return true;
  });
  if (current.length === 0) return result;
  const urls = [...new Set(current.flatMap((row) => (row.snapshot ? [row.snapshot.url] : [])))];
  const newest = new Map<string, SnapshotSummary>();
  if (urls.length > 0) {
    const latestRows = await db
      .selectDistinctOn([evidenceSnapshots.url], snapshotColumns)
      .from(evidenceSnapshots)
      .where(and(eq(evidenceSnapshots.campaignId, campaignId), inArray(evidenceSnapshots.url, urls), at ? lte(evidenceSnapshots.fetchedAt, at) : undefined))
      .orderBy(evidenceSnapshots.url, desc(evidenceSnapshots.id));
    for (const row of latestRows) newest.set(row.url, toSummary(row));
  }
  const replies = await loadReplies(db, campaignId, 'check', at ?? undefined);
  for (const { check, snapshot } of current) {
    const kept = snapshot ? toSummary(snapshot) : null;
    const later = kept ? newest.get(kept.url) : undefined;
    const latestSnapshot = kept && later && later.id > kept.id ? later : null;
    result.set(check.pledgeId, {
      id: check.id,
      pledgeId: check.pledgeId,
      pledgeVersion: check.pledgeVersion,
      verdict: check.verdict,
      quote: check.quote,
      page: check.page,
      checkedUrl: check.checkedUrl,
      reason: check.reason,
      byName: check.byName,
      checkedAt: check.checkedAt,
      snapshot: kept,
      latestSnapshot,
      since: sinceOf(kept, latestSnapshot),
      reply: replies.get(check.id) ?? null,
    });
  }
  return result;
}

/** The check shown for every pledge of a campaign (now, or at `at`), by pledge id. */
export async function loadChecks(db: Db, campaignId: number, at?: Date | null): Promise<Map<number, PledgeCheck>> {
  const shown = at
    ? await (async () => {
        const all = await db.selectDistinct({ partyId: pledges.partyId, goalSlug: pledges.goalSlug }).from(pledges).where(eq(pledges.campaignId, campaignId));
        return pledgesAsOf(db, campaignId, [...new Set(all.map((p) => p.partyId))], [...new Set(all.map((p) => p.goalSlug))], at);
      })()
    : await db.select({ id: pledges.id, version: pledges.version }).from(pledges).where(eq(pledges.campaignId, campaignId));
  return checksOf(db, campaignId, shown, at ?? null);
}

/** One check in a pledge's public history. */
export interface CheckEvent extends CheckRecord {
  partyId: number;
  partySlug: string;
  partyName: string;
  goalSlug: string;
}

/** Every check in a campaign (of one party, one goal), newest first; with `at`, those made by then; `before` (a check id) pages on. */
export async function listCheckEvents(
  db: Db,
  campaignId: number,
  { partyId, goalSlug, at = null, limit, before }: { partyId?: number; goalSlug?: string; at?: Date | null; limit?: number; before?: number } = {},
): Promise<CheckEvent[]> {
  const query = db
    .select({ check: pledgeChecks, partyId: pledges.partyId, goalSlug: pledges.goalSlug, partySlug: parties.slug, partyName: campaignParties.name })
    .from(pledgeChecks)
    .innerJoin(pledges, eq(pledges.id, pledgeChecks.pledgeId))
    .innerJoin(parties, eq(parties.id, pledges.partyId))
    .innerJoin(campaignParties, and(eq(campaignParties.campaignId, pledges.campaignId), eq(campaignParties.partyId, pledges.partyId)))
    .where(
      and(
        eq(pledgeChecks.campaignId, campaignId),
        partyId !== undefined ? eq(pledges.partyId, partyId) : undefined,
        goalSlug !== undefined ? eq(pledges.goalSlug, goalSlug) : undefined,
        at ? lte(pledgeChecks.checkedAt, at) : undefined,
        before !== undefined ? lt(pledgeChecks.id, before) : undefined,
      ),
    )
    .orderBy(desc(pledgeChecks.id))
    .$dynamic();
  const rows = await (limit === undefined ? query : query.limit(limit));
  return rows.map(({ check, partyId: party, goalSlug: goal, partySlug, partyName }) => ({
    id: check.id,
    pledgeId: check.pledgeId,
    partyId: party,
    partySlug,
    partyName,
    goalSlug: goal,
    pledgeVersion: check.pledgeVersion,
    verdict: check.verdict,
    quote: check.quote,
    page: check.page,
    checkedUrl: check.checkedUrl,
    reason: check.reason,
    byName: check.byName,
    checkedAt: check.checkedAt,
  }));
}

/** What the open data says of a kept evidence page: the copy's facts, never its body. */
interface EvidenceData {
  url: string;
  finalUrl: string | null;
  fetchedAt: string;
  httpStatus: number | null;
  refusal: EvidenceFetchReason | null;
  contentType: string | null;
  size: number | null;
  sha256: string | null;
  truncated: boolean;
}

/** What the open data says of a pledge's check (scoreboard.json, follow-up.json, the CSV files). */
export interface CheckData {
  status: CheckStatus;
  checkedAt: string | null;
  reason: string | null;
  quote: string | null;
  page: number | null;
  url: string | null;
  /** The party's latest reply to the check (text null and hiddenReason set when the campaign hid it). */
  reply: ReplyData | null;
  /** The copy of the evidence page the check kept; null: none (no address, or not yet checked). */
  evidence: EvidenceData | null;
  /** What became of the page since (sinceOf: only what the copies prove), and when that fetch was; null: nothing proven. */
  since: EvidenceSince | null;
  sinceFetchedAt: string | null;
}

const evidenceData = (snapshot: SnapshotSummary): EvidenceData => ({
  url: snapshot.url,
  finalUrl: snapshot.finalUrl,
  fetchedAt: snapshot.fetchedAt.toISOString(),
  httpStatus: snapshot.httpStatus,
  refusal: snapshot.refusal,
  contentType: snapshot.contentType,
  size: snapshot.size,
  sha256: snapshot.sha256,
  truncated: snapshot.truncated,
});

export function checkData(check: PledgeCheck | null | undefined): CheckData {
  if (!check)
    return {
      status: 'unchecked',
      checkedAt: null,
      reason: null,
      quote: null,
      page: null,
      url: null,
      reply: null,
      evidence: null,
      since: null,
      sinceFetchedAt: null,
    };
  return {
    status: check.verdict,
    checkedAt: check.checkedAt.toISOString(),
    reason: check.reason,
    quote: check.quote,
    page: check.page,
    url: check.checkedUrl,
    reply: replyData(check.reply),
    evidence: check.snapshot ? evidenceData(check.snapshot) : null,
    since: check.since,
    sinceFetchedAt: check.since && check.latestSnapshot ? check.latestSnapshot.fetchedAt.toISOString() : null,
  };
}
