/**
 * Candidates who pledge in person: reading a campaign's lists with who signed what, the
 * "champions" (every goal signed), and a candidate signing the campaign's goals. Only the
 * candidate's own account signs for them; a representative of their party cannot, nor can an
 * admin. Signatures are append-only: the latest per goal is the one shown.
 */
import { and, asc, count, desc, eq, exists, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { MAX_ROW_ID } from '../db/row-id.ts';
import { campaignParties, campaigns, candidates, candidateSignatures, candidateStandings, parties } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit } from './audit.ts';
import { toFieldIssues, type FieldIssues } from './field-issues.ts';
import { loadPledgingState } from './pledging-window.ts';
import { freeText } from './text.ts';

export type CandidateRow = typeof candidates.$inferSelect;

export interface Signature {
  goalSlug: string;
  committed: boolean;
  statement: string;
  signedAt: Date;
}

export interface CandidateWithSignatures {
  candidate: CandidateRow;
  party: { slug: string; name: string; abbreviation: string };
  /** The latest signature per goal; a goal not signed is absent. */
  signatures: Map<string, Signature>;
}

/** A candidate's name as the list writes it: "Anna van der Voorbeeld", or "A.B. van der Voorbeeld" without a first name. */
export function candidateName(candidate: Pick<CandidateRow, 'initials' | 'firstName' | 'prefix' | 'lastName'>): string {
  return [candidate.firstName ?? candidate.initials, candidate.prefix, candidate.lastName].filter(Boolean).join(' ');
}

/** Whether the candidate signed every goal as committed. */
export function signedAll(signatures: ReadonlyMap<string, Signature>, goalSlugs: readonly string[]): boolean {
  return goalSlugs.length > 0 && goalSlugs.every((slug) => signatures.get(slug)?.committed === true);
}

/** The latest signature per candidate and goal. */
async function loadSignatures(db: Db, candidateIds: readonly number[]): Promise<Map<number, Map<string, Signature>>> {
  const result = new Map<number, Map<string, Signature>>();
  if (candidateIds.length === 0) return result;
  const rows = await db
    .selectDistinctOn([candidateSignatures.candidateId, candidateSignatures.goalSlug], {
      candidateId: candidateSignatures.candidateId,
      goalSlug: candidateSignatures.goalSlug,
      committed: candidateSignatures.committed,
      statement: candidateSignatures.statement,
      signedAt: candidateSignatures.signedAt,
    })
    .from(candidateSignatures)
    .where(inArray(candidateSignatures.candidateId, [...candidateIds]))
    .orderBy(candidateSignatures.candidateId, candidateSignatures.goalSlug, desc(candidateSignatures.id));
  for (const { candidateId, ...signature } of rows) {
    let own = result.get(candidateId);
    if (!own) result.set(candidateId, (own = new Map<string, Signature>()));
    own.set(signature.goalSlug, signature);
  }
  return result;
}

/** A candidate's party as their campaign names it (joined through withParty). */
const partyColumns = { slug: parties.slug, name: campaignParties.name, abbreviation: campaignParties.abbreviation };
const ownCampaignParty = and(eq(campaignParties.campaignId, candidates.campaignId), eq(campaignParties.partyId, candidates.partyId));

/**
 * A campaign's candidates with their signatures, in list order per party: all of them, one
 * party's (`partyId`), or those living in one place (`place`, compared case-insensitively).
 * Withdrawn candidates are included (marked) unless `withdrawn: false`.
 */
export async function listCandidates(
  db: Db,
  campaignId: number,
  { partyId, place, withdrawn = true, limit }: { partyId?: number; place?: string; withdrawn?: boolean; limit?: number } = {},
): Promise<CandidateWithSignatures[]> {
  const rows = await db
    .select({ candidate: candidates, party: partyColumns })
    .from(candidates)
    .innerJoin(parties, eq(parties.id, candidates.partyId))
    .innerJoin(campaignParties, ownCampaignParty)
    .where(
      and(
        eq(candidates.campaignId, campaignId),
        partyId === undefined ? undefined : eq(candidates.partyId, partyId),
        place === undefined ? undefined : sql`lower(${candidates.place}) = lower(${place})`,
        withdrawn ? undefined : isNull(candidates.withdrawnAt),
      ),
    )
    // One party's list in the order of its index (campaign, party, position): the first page
    // of a municipal party's 4,000 candidates is read, not sorted.
    .orderBy(...(partyId === undefined ? [asc(campaignParties.name)] : []), asc(candidates.position), asc(candidates.id))
    .limit(limit ?? Number.MAX_SAFE_INTEGER);
  const signatures = await loadSignatures(
    db,
    rows.map((r) => r.candidate.id),
  );
  return rows.map(({ candidate, party }) => ({ candidate, party, signatures: signatures.get(candidate.id) ?? new Map<string, Signature>() }));
}

/** How many candidates a party has on a campaign's lists (withdrawn ones too). */
export async function countCandidates(db: Db, campaignId: number, partyId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(candidates)
    .where(and(eq(candidates.campaignId, campaignId), eq(candidates.partyId, partyId)));
  return Number(row?.n ?? 0);
}

/** One candidate of a campaign, with their signatures; undefined for an id not in it. */
export async function findCandidate(db: Db, campaignId: number, candidateId: number): Promise<CandidateWithSignatures | undefined> {
  if (!Number.isSafeInteger(candidateId) || candidateId < 1 || candidateId > MAX_ROW_ID) return undefined;
  const [row] = await db
    .select({ candidate: candidates, party: partyColumns })
    .from(candidates)
    .innerJoin(parties, eq(parties.id, candidates.partyId))
    .innerJoin(campaignParties, ownCampaignParty)
    .where(and(eq(candidates.campaignId, campaignId), eq(candidates.id, candidateId)));
  if (!row) return undefined;
  const signatures = await loadSignatures(db, [candidateId]);
  return { ...row, signatures: signatures.get(candidateId) ?? new Map<string, Signature>() };
}

/** A candidate by id in whatever campaign (a candidate's own account knows only its candidate). */
export async function findCandidateById(db: Db, candidateId: number): Promise<CandidateWithSignatures | undefined> {
  if (!Number.isSafeInteger(candidateId) || candidateId < 1) return undefined;
  const [row] = await db.select({ campaignId: candidates.campaignId }).from(candidates).where(eq(candidates.id, candidateId));
  return row ? findCandidate(db, row.campaignId, candidateId) : undefined;
}

/** Only the candidate's own account signs for them: not their party's representative, not an admin. */
export function maySignFor(actor: Pick<Actor, 'role' | 'userId' | 'candidateId'>, candidateId: number): boolean {
  return actor.role === 'candidate' && actor.userId !== null && actor.candidateId === candidateId;
}

/** Candidates (not withdrawn) who signed every goal, optionally of one party or place. */
export async function listChampions(
  db: Db,
  campaignId: number,
  goalSlugs: readonly string[],
  filter: { partyId?: number; place?: string } = {},
): Promise<CandidateWithSignatures[]> {
  return (await listCandidates(db, campaignId, { ...filter, withdrawn: false })).filter((c) => signedAll(c.signatures, goalSlugs));
}

/** Where a candidate stands: an electoral district (kieskring), the list's number there and the position on it. */
export interface Standing {
  districtNumber: number;
  districtName: string | null;
  listNumber: number;
  position: number;
}

/** Each candidate's standings, by district number. */
export async function loadStandings(db: Db, candidateIds: readonly number[]): Promise<Map<number, Standing[]>> {
  const result = new Map<number, Standing[]>();
  if (candidateIds.length === 0) return result;
  const rows = await db
    .select()
    .from(candidateStandings)
    .where(inArray(candidateStandings.candidateId, [...candidateIds]))
    .orderBy(asc(candidateStandings.candidateId), asc(candidateStandings.districtNumber), asc(candidateStandings.listNumber));
  for (const { candidateId, ...standing } of rows) {
    let own = result.get(candidateId);
    if (!own) result.set(candidateId, (own = []));
    own.push(standing);
  }
  return result;
}

/** The gender a page or file may show: only where every list the person is on allows it. */
export function publicGender(candidate: Pick<CandidateRow, 'gender' | 'publishGender'>): CandidateRow['gender'] {
  return candidate.publishGender ? candidate.gender : null;
}

/** A candidate's signature on one goal as the public sees it. */
export type SignatureState = 'committed' | 'declined' | 'unsigned';

export function signatureState(signature: Signature | undefined): SignatureState {
  return !signature ? 'unsigned' : signature.committed ? 'committed' : 'declined';
}

export interface ChampionsView {
  /** The champions the filter lets through, in list order per party: one page of them. */
  champions: CandidateWithSignatures[];
  /** There are more after this page (ask for the next with `page`). */
  more: boolean;
  /** The filter's choices: the parties with candidates in the campaign. */
  parties: { slug: string; name: string }[];
  /** Whether the campaign has candidates at all. */
  anyCandidates: boolean;
  /** The party asked for is not one of the campaign's parties with candidates. */
  unknownParty: boolean;
}

/** Champions per page: enough for a town, a party's list or a province; more is a next page. */
export const CHAMPIONS_PAGE = 200;

/**
 * The condition "signed every goal as committed": for no goal is the latest signature not a
 * commitment. Per candidate, through the index on (candidate, goal, id): a filtered page costs
 * as many lookups as it has candidates, not the campaign's whole list (40,000 in a municipal
 * election).
 */
function signedEveryGoal(goalSlugs: readonly string[]) {
  if (goalSlugs.length === 0) return sql`false`;
  const goals = sql.join(
    goalSlugs.map((slug) => sql`${slug}`),
    sql`, `,
  );
  return sql`not exists (select 1 from unnest(array[${goals}]::text[]) as g(slug)
    where coalesce((select s.committed from ${candidateSignatures} s where s.candidate_id = ${candidates.id} and s.goal_slug = g.slug
      order by s.id desc limit 1), false) = false)`;
}

/**
 * The champions page: candidates (not withdrawn) who signed all goals, narrowed to one party
 * (by slug) and/or one place of residence (case-insensitive), a page at a time, with the
 * filter's choices. Everything in the database: the page never reads the whole list.
 */
export async function loadChampionsView(
  db: Db,
  campaignId: number,
  goalSlugs: readonly string[],
  { partySlug, place, page = 1 }: { partySlug?: string | null; place?: string | null; page?: number } = {},
): Promise<ChampionsView> {
  const collator = new Intl.Collator('nl', { sensitivity: 'base' });
  const [partyRows] = await Promise.all([
    // Through the list index (campaign, party, position): one probe per party, not a scan of every candidate.
    db
      .select({ slug: parties.slug, name: campaignParties.name })
      .from(campaignParties)
      .innerJoin(parties, eq(parties.id, campaignParties.partyId))
      .where(
        and(
          eq(campaignParties.campaignId, campaignId),
          exists(
            db
              .select({ one: sql`1` })
              .from(candidates)
              .where(and(eq(candidates.campaignId, campaignId), eq(candidates.partyId, campaignParties.partyId))),
          ),
        ),
      ),
  ]);
  const unknownParty = Boolean(partySlug) && !partyRows.some((p) => p.slug === partySlug);
  const rows =
    partyRows.length === 0 || unknownParty
      ? []
      : await db
          .select({ candidate: candidates, party: partyColumns })
          .from(candidates)
          .innerJoin(parties, eq(parties.id, candidates.partyId))
          .innerJoin(campaignParties, ownCampaignParty)
          .where(
            and(
              eq(candidates.campaignId, campaignId),
              isNull(candidates.withdrawnAt),
              partySlug ? eq(parties.slug, partySlug) : undefined,
              place ? sql`lower(${candidates.place}) = lower(${place})` : undefined,
              signedEveryGoal(goalSlugs),
            ),
          )
          .orderBy(asc(campaignParties.name), asc(candidates.position), asc(candidates.id))
          .limit(CHAMPIONS_PAGE + 1)
          .offset((Math.max(1, page) - 1) * CHAMPIONS_PAGE);
  const shown = rows.slice(0, CHAMPIONS_PAGE);
  const signatures = await loadSignatures(
    db,
    shown.map((r) => r.candidate.id),
  );
  return {
    champions: shown.map(({ candidate, party }) => ({ candidate, party, signatures: signatures.get(candidate.id) ?? new Map<string, Signature>() })),
    more: rows.length > CHAMPIONS_PAGE,
    parties: partyRows.sort((a, b) => collator.compare(a.name, b.name)),
    anyCandidates: partyRows.length > 0,
    unknownParty,
  };
}

export interface SignatureEvent {
  id: number;
  candidateId: number;
  name: string;
  party: { slug: string; name: string };
  goalSlug: string;
  committed: boolean;
  statement: string;
  signedAt: Date;
}

/** Every signature a campaign's candidates made (each change too), newest first: the feed. */
export async function listSignatureEvents(db: Db, campaignId: number, { limit = 50 }: { limit?: number } = {}): Promise<SignatureEvent[]> {
  const rows = await db
    .select({
      id: candidateSignatures.id,
      candidate: {
        id: candidates.id,
        initials: candidates.initials,
        firstName: candidates.firstName,
        prefix: candidates.prefix,
        lastName: candidates.lastName,
      },
      party: { slug: parties.slug, name: campaignParties.name },
      goalSlug: candidateSignatures.goalSlug,
      committed: candidateSignatures.committed,
      statement: candidateSignatures.statement,
      signedAt: candidateSignatures.signedAt,
    })
    .from(candidateSignatures)
    .innerJoin(candidates, eq(candidates.id, candidateSignatures.candidateId))
    .innerJoin(parties, eq(parties.id, candidates.partyId))
    .innerJoin(campaignParties, ownCampaignParty)
    .where(eq(candidates.campaignId, campaignId))
    .orderBy(desc(candidateSignatures.id))
    .limit(limit);
  return rows.map(({ candidate, ...row }) => ({ ...row, candidateId: candidate.id, name: candidateName(candidate) }));
}

export const SIGNATURE_STATEMENT_MAX_LENGTH = 280;

const signatureSchema = z.strictObject({
  goalSlug: z.string(),
  committed: z.boolean(),
  statement: freeText('signature.statement').trim().max(SIGNATURE_STATEMENT_MAX_LENGTH, 'signature.statementTooLong').default(''),
});
export type SignatureInput = z.input<typeof signatureSchema>;

export type SignResult =
  | { status: 'signed'; changed: number }
  | { status: 'invalid'; issues: Record<string, FieldIssues> }
  /** Not this candidate's own account. */
  | { status: 'forbidden' }
  | { status: 'unknown-candidate' }
  | { status: 'unknown-goal' }
  /** Withdrawn from the list, or the campaign takes no pledges now (deadline, closed, archived). */
  | { status: 'closed' };

/**
 * A candidate signs (or changes) the campaign's goals: one row per goal whose signature
 * changed, in one transaction. Only the candidate's own account may.
 */
export async function signGoals(
  db: Db,
  {
    campaignId,
    candidateId,
    goalSlugs,
    signatures,
    actor,
    ip,
    now = new Date(),
  }: {
    campaignId: number;
    candidateId: number;
    goalSlugs: readonly string[];
    signatures: readonly SignatureInput[];
    actor: Actor;
    ip?: string | null;
    now?: Date;
  },
): Promise<SignResult> {
  if (!maySignFor(actor, candidateId)) return { status: 'forbidden' };
  const slugs = signatures.map((s) => s.goalSlug);
  if (slugs.some((slug) => !goalSlugs.includes(slug)) || new Set(slugs).size !== slugs.length) return { status: 'unknown-goal' };
  const issues: Record<string, FieldIssues> = {};
  const parsed: z.output<typeof signatureSchema>[] = [];
  for (const input of signatures) {
    const result = signatureSchema.safeParse(input);
    if (result.success) parsed.push(result.data);
    else issues[input.goalSlug] = toFieldIssues(result.error);
  }
  if (Object.keys(issues).length > 0) return { status: 'invalid', issues };
  return db.transaction(async (tx) => {
    const [candidate] = await tx
      .select({ id: candidates.id, withdrawnAt: candidates.withdrawnAt })
      .from(candidates)
      .where(and(eq(candidates.campaignId, campaignId), eq(candidates.id, candidateId)))
      .for('update');
    if (!candidate) return { status: 'unknown-candidate' } as const;
    if (candidate.withdrawnAt || !(await loadPledgingState(tx, campaignId, now)).open) return { status: 'closed' } as const;
    const current = (await loadSignatures(tx, [candidateId])).get(candidateId) ?? new Map<string, Signature>();
    const changed = parsed.filter((s) => {
      const before = current.get(s.goalSlug);
      return !before || before.committed !== s.committed || before.statement !== s.statement;
    });
    if (changed.length > 0) {
      await tx
        .insert(candidateSignatures)
        .values(
          changed.map((s) => ({ candidateId, goalSlug: s.goalSlug, committed: s.committed, statement: s.statement, byUserId: actor.userId!, signedAt: now })),
        );
      await recordAudit(tx, {
        action: 'candidate.signed',
        actor,
        subject: null,
        ip,
        now,
        details: { candidate: candidateId, goals: Object.fromEntries(changed.map((s) => [s.goalSlug, s.committed])) },
      });
    }
    return { status: 'signed', changed: changed.length } as const;
  });
}

export type SetElectedResult =
  | { status: 'done'; changed: boolean }
  /** Only an admin (or the command line) marks who was elected. */
  | { status: 'forbidden' }
  | { status: 'unknown-candidate' }
  /** An archived campaign is read-only. */
  | { status: 'archived' };

/**
 * After the election: marks a candidate of the campaign elected (or takes the mark away).
 * Audited as candidate.elected / candidate.unelected; marking twice changes nothing.
 */
export async function setElected(
  db: Db,
  campaignId: number,
  candidateId: number,
  elected: boolean,
  { actor, ip, now = new Date() }: { actor: Actor; ip?: string | null; now?: Date },
): Promise<SetElectedResult> {
  if (actor.role !== 'admin' && actor.role !== 'system') return { status: 'forbidden' };
  if (!Number.isSafeInteger(candidateId) || candidateId < 1) return { status: 'unknown-candidate' };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ candidate: candidates, state: campaigns.state, partySlug: parties.slug })
      .from(candidates)
      .innerJoin(campaigns, eq(campaigns.id, candidates.campaignId))
      .innerJoin(parties, eq(parties.id, candidates.partyId))
      .where(and(eq(candidates.campaignId, campaignId), eq(candidates.id, candidateId)))
      .for('update', { of: candidates });
    if (!row) return { status: 'unknown-candidate' } as const;
    if (row.state === 'archived') return { status: 'archived' } as const;
    if ((row.candidate.electedAt !== null) === elected) return { status: 'done', changed: false } as const;
    await tx
      .update(candidates)
      .set({ electedAt: elected ? now : null, updatedAt: now })
      .where(eq(candidates.id, candidateId));
    await recordAudit(tx, {
      action: elected ? 'candidate.elected' : 'candidate.unelected',
      actor,
      subject: candidateName(row.candidate),
      ip,
      now,
      details: { candidate: candidateId, party: row.partySlug },
    });
    return { status: 'done', changed: true } as const;
  });
}

/** Per party of the campaign (its list or not): how many candidates it has, how many withdrew, how many were elected. */
export async function countCandidatesPerParty(db: Db, campaignId: number): Promise<Map<number, { candidates: number; withdrawn: number; elected: number }>> {
  const rows = await db
    .select({
      partyId: candidates.partyId,
      candidates: sql<number>`count(*)::int`,
      withdrawn: sql<number>`count(${candidates.withdrawnAt})::int`,
      elected: sql<number>`count(${candidates.electedAt})::int`,
    })
    .from(candidates)
    .where(eq(candidates.campaignId, campaignId))
    .groupBy(candidates.partyId);
  return new Map(rows.map(({ partyId, ...counts }) => [partyId, counts]));
}
