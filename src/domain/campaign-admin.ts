/**
 * Campaigns made and kept in Beheer (issue 14): a new campaign as a draft (goals and parties
 * copied from an earlier one), its texts and goals in both languages, and its steps through
 * draft → open → closed → follow-up → archived. Every change is audited; a refused form
 * writes nothing. An archived campaign changes no more (its row only leaves the archive).
 */
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { campaignGoals, campaignParties, campaigns, pledges } from '../db/schema.ts';
import type { Actor } from './actors.ts';
import { recordAudit, type AuditAction } from './audit.ts';
import {
  CAMPAIGN_SLUG,
  GOAL_SLUG,
  LOCALES,
  campaignProfileSchema,
  goalTextsByLocaleSchema,
  type CampaignProfile,
  type CampaignState,
  type GoalTexts,
  type Locale,
} from './campaign.ts';
import { campaignOf } from './campaigns.ts';
import type { FieldIssues } from './field-issues.ts';
import { parseDeadlineInput } from './pledging-window.ts';
import { freeText, oneLine } from './text.ts';

interface WriteOptions {
  actor: Actor;
  ip?: string | null;
  now?: Date;
}

/** A form as the actions hand it over: each field's text, undefined when left empty. */
export type FormInput = Record<string, string | undefined>;

/** Words of the site's own addresses (`/beheer/campagnes/nieuw`, `/en/campaigns/…`): never a campaign's slug. */
const RESERVED_CAMPAIGN_SLUGS: ReadonlySet<string> = new Set([
  'nieuw',
  'new',
  'beheer',
  'admin',
  'campagne',
  'campagnes',
  'campaign',
  'campaigns',
  'en',
  'api',
]);

// --- the steps of a campaign ---

const CAMPAIGN_STEPS = ['publish', 'close', 'follow-up', 'archive', 'unarchive'] as const;
export type CampaignStep = (typeof CAMPAIGN_STEPS)[number];

const STEPS: Record<CampaignStep, { from: readonly CampaignState[]; to: CampaignState; audit: AuditAction }> = {
  publish: { from: ['draft'], to: 'open', audit: 'campaign.published' },
  close: { from: ['open'], to: 'closed', audit: 'campaign.closed' },
  'follow-up': { from: ['closed'], to: 'follow-up', audit: 'campaign.follow-up' },
  // Not a draft: archiving would publish it (only a draft is hidden); a draft is simply left.
  archive: { from: ['open', 'closed', 'follow-up'], to: 'archived', audit: 'campaign.archived' },
  // Out of the archive it is closed: pledging does not open again by itself.
  unarchive: { from: ['archived'], to: 'closed', audit: 'campaign.unarchived' },
};

export function isCampaignStep(value: string): value is CampaignStep {
  return (CAMPAIGN_STEPS as readonly string[]).includes(value);
}

/** The steps a campaign in this state can take now, in the order Beheer offers them. */
export function stepsFrom(state: CampaignState): CampaignStep[] {
  return CAMPAIGN_STEPS.filter((step) => STEPS[step].from.includes(state));
}

export type StepResult = 'done' | 'unknown-campaign' | 'wrong-state' | 'no-goals';

/** Moves a campaign one step on (or out of the archive). The row is locked so two admins cannot race. */
export async function setCampaignState(db: Db, slug: string, step: CampaignStep, { actor, ip, now = new Date() }: WriteOptions): Promise<StepResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ id: campaigns.id, state: campaigns.state }).from(campaigns).where(eq(campaigns.slug, slug)).for('update');
    if (!row) return 'unknown-campaign' as const;
    const rule = STEPS[step];
    if (!rule.from.includes(row.state)) return 'wrong-state' as const;
    if (step === 'publish') {
      // A board without goals asks parties nothing: add (or copy) goals first.
      const [goals] = await tx.select({ n: count() }).from(campaignGoals).where(eq(campaignGoals.campaignId, row.id));
      if ((goals?.n ?? 0) === 0) return 'no-goals' as const;
    }
    await tx.update(campaigns).set({ state: rule.to, updatedAt: now }).where(eq(campaigns.id, row.id));
    await recordAudit(tx, { action: rule.audit, actor, subject: slug, ip, now, details: { from: row.state, to: rule.to } });
    return 'done' as const;
  });
}

// --- the list in Beheer ---

export interface CampaignSummary {
  slug: string;
  state: CampaignState;
  current: boolean;
  name: Record<Locale, string>;
  election: { name: Record<Locale, string>; date: Date | null };
  goals: number;
  parties: number;
}

/** Every campaign for Beheer, newest first, with how many goals and parties it has. */
export async function listCampaignSummaries(db: Db): Promise<CampaignSummary[]> {
  const [rows, goalCounts, partyCounts] = await Promise.all([
    db.select().from(campaigns).orderBy(asc(campaigns.id)),
    db.select({ campaignId: campaignGoals.campaignId, n: count() }).from(campaignGoals).groupBy(campaignGoals.campaignId),
    db
      .select({ campaignId: campaignParties.campaignId, n: count() })
      .from(campaignParties)
      .where(isNull(campaignParties.retiredAt))
      .groupBy(campaignParties.campaignId),
  ]);
  return rows.reverse().map((row) => {
    const campaign = campaignOf(row);
    return {
      slug: campaign.slug,
      state: campaign.state,
      current: campaign.current,
      name: campaign.name,
      election: campaign.election,
      goals: goalCounts.find((c) => c.campaignId === row.id)?.n ?? 0,
      parties: partyCounts.find((c) => c.campaignId === row.id)?.n ?? 0,
    };
  });
}

// --- the profile form (new campaign and edit) ---

const required = (max: number) =>
  freeText('form.required').trim().min(1, 'form.required').max(max, 'form.tooLong').refine(oneLine, { message: 'campaign.oneLine' });
const requiredText = (max: number) => freeText('form.required').trim().min(1, 'form.required').max(max, 'form.tooLong');
const optional = (max: number) => freeText('form.unknown').trim().max(max, 'form.tooLong').optional();

const profileFields = {
  nameNl: required(120),
  nameEn: required(120),
  taglineNl: required(300),
  taglineEn: required(300),
  organiserName: required(200),
  organiserWebsite: required(2100),
  corrections: required(2100),
  electionNameNl: required(200),
  electionNameEn: required(200),
  electionDate: optional(20),
  terminologyNl: optional(2000),
  terminologyEn: optional(2000),
};
const newCampaignFields = {
  slug: freeText('form.required').trim().min(1, 'form.required').max(64, 'campaign.slugInvalid'),
  ...profileFields,
  deadlineDate: optional(20),
  deadlineTime: optional(10),
  copyGoalsFrom: optional(100),
  partiesFrom: optional(100),
};
type ProfileForm = { [K in keyof typeof profileFields]: z.output<(typeof profileFields)[K]> };

/** The fields of the profile form, in the page's order. */
export const PROFILE_FIELDS = Object.keys(profileFields) as (keyof typeof profileFields)[];
export const NEW_CAMPAIGN_FIELDS = Object.keys(newCampaignFields) as (keyof typeof newCampaignFields)[];

/**
 * Each field parsed on its own, so that every field's problem is found at once; a field the
 * form does not have is a form that is not ours.
 */
function parseFields<S extends Record<string, z.ZodType>>(shape: S, input: FormInput): { values: { [K in keyof S]: z.output<S[K]> }; issues: FieldIssues } {
  const issues: FieldIssues = {};
  const values = {} as Record<string, unknown>;
  for (const name of Object.keys(input)) if (!(name in shape)) issues.form = 'form.unknown';
  for (const [name, schema] of Object.entries(shape)) {
    const parsed = schema.safeParse(input[name]);
    if (parsed.success) values[name] = parsed.data;
    else issues[name] = parsed.error.issues[0]?.message ?? 'form.unknown';
  }
  return { values: values as { [K in keyof S]: z.output<S[K]> }, issues };
}

/** A calendar day as `YYYY-MM-DD` → midnight UTC (as the election date is stored), or null when not a real day. */
function parseDay(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && year >= 2000 && year <= 2100 ? date : null;
}

const HTTPS = z.url({ protocol: /^https$/ });
const CORRECTIONS = z.url({ protocol: /^(https|mailto)$/ });

/**
 * The profile (and election date) from the form's fields, or every field's problem. An empty
 * terminology text takes `fallback`'s (the campaign it copies from).
 */
function profileOf(
  form: ProfileForm,
  fallback: CampaignProfile['terminology'] | null,
  known: FieldIssues,
): { status: 'valid'; profile: CampaignProfile; electionDate: Date | null } | { status: 'invalid'; issues: FieldIssues } {
  const issues: FieldIssues = { ...known };
  if (form.organiserWebsite !== undefined && !HTTPS.safeParse(form.organiserWebsite).success) issues.organiserWebsite ??= 'campaign.httpsOnly';
  if (form.corrections !== undefined && !CORRECTIONS.safeParse(form.corrections).success) issues.corrections ??= 'campaign.correctionsInvalid';
  const electionDate = form.electionDate ? parseDay(form.electionDate) : null;
  if (form.electionDate && !electionDate) issues.electionDate ??= 'campaign.dateInvalid';
  const terminology = { nl: form.terminologyNl || fallback?.nl || '', en: form.terminologyEn || fallback?.en || '' };
  if (!terminology.nl) issues.terminologyNl ??= 'form.required';
  if (!terminology.en) issues.terminologyEn ??= 'form.required';
  if (Object.keys(issues).length > 0) return { status: 'invalid', issues };
  const profile = campaignProfileSchema.safeParse({
    name: { nl: form.nameNl, en: form.nameEn },
    tagline: { nl: form.taglineNl, en: form.taglineEn },
    organiser: { name: form.organiserName, website: form.organiserWebsite },
    corrections: form.corrections,
    election: { name: { nl: form.electionNameNl, en: form.electionNameEn } },
    terminology,
  });
  if (!profile.success) return { status: 'invalid', issues: { form: 'form.unknown' } };
  return { status: 'valid', profile: profile.data, electionDate };
}

export type CreateCampaignResult = { status: 'done'; slug: string } | { status: 'invalid'; issues: FieldIssues };

/**
 * A new campaign, as a draft: its texts, its goals copied from `copyGoalsFrom` (none when
 * empty), and the parties of `partiesFrom` taking part (seats 0 until set). All or nothing.
 */
export async function createCampaign(db: Db, input: FormInput, { actor, ip, now = new Date() }: WriteOptions): Promise<CreateCampaignResult> {
  const { values: form, issues } = parseFields(newCampaignFields, input);
  const slug = issues.slug ? '' : form.slug;
  if (!issues.slug && slug) {
    if (!CAMPAIGN_SLUG.test(slug)) issues.slug = 'campaign.slugInvalid';
    else if (RESERVED_CAMPAIGN_SLUGS.has(slug)) issues.slug = 'campaign.slugReserved';
  }
  const all = await db.select().from(campaigns);
  const find = (value: string | undefined) => (value ? all.find((row) => row.slug === value) : undefined);
  if (!issues.slug && slug && find(slug)) issues.slug = 'campaign.slugTaken';
  const goalSource = find(form.copyGoalsFrom);
  if (form.copyGoalsFrom && !goalSource) issues.copyGoalsFrom = 'campaign.unknownSource';
  const partySource = find(form.partiesFrom);
  if (form.partiesFrom && !partySource) issues.partiesFrom = 'campaign.unknownSource';
  const fallback = goalSource ?? all.find((row) => row.isCurrent) ?? null;
  const made = profileOf(form, fallback ? campaignOf(fallback).terminology : null, issues);
  Object.assign(issues, made.status === 'invalid' ? made.issues : {});
  let deadline: Date | null = null;
  // No date, no deadline (the time field comes filled in with 23:59); a date without a time ends that day.
  if (form.deadlineDate) {
    const electionDate = made.status === 'valid' ? made.electionDate : null;
    const result = parseDeadlineInput({ date: form.deadlineDate, time: form.deadlineTime || '23:59' }, { now, electionDate });
    if (result.status === 'invalid') {
      for (const [field, message] of Object.entries(result.issues)) issues[field === 'time' ? 'deadlineTime' : 'deadlineDate'] ??= message;
    } else deadline = result.deadline;
  }
  if (Object.keys(issues).length > 0 || made.status === 'invalid') return { status: 'invalid', issues };
  const profile = made;

  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(campaigns)
      .values({ slug, state: 'draft', profile: profile.profile, electionDate: profile.electionDate, pledgeDeadline: deadline, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: campaigns.slug })
      .returning({ id: campaigns.id });
    // Taken between the check and now (another admin): the form says so, nothing written.
    if (!row) return { status: 'invalid' as const, issues: { slug: 'campaign.slugTaken' } };
    const goals = goalSource ? await copyGoals(tx, goalSource.id, row.id) : 0;
    const partyCount = partySource ? await copyParties(tx, partySource.id, row.id, now) : 0;
    await recordAudit(tx, {
      action: 'campaign.created',
      actor,
      subject: slug,
      ip,
      now,
      details: { goalsFrom: goalSource?.slug ?? null, goals, partiesFrom: partySource?.slug ?? null, parties: partyCount },
    });
    return { status: 'done' as const, slug };
  });
}

/** Copies one campaign's goals (numbers, slugs, texts) into another; the number copied. */
async function copyGoals(db: Db, fromCampaignId: number, toCampaignId: number): Promise<number> {
  const rows = await db.select().from(campaignGoals).where(eq(campaignGoals.campaignId, fromCampaignId)).orderBy(asc(campaignGoals.number));
  if (rows.length === 0) return 0;
  await db.insert(campaignGoals).values(rows.map((g) => ({ campaignId: toCampaignId, slug: g.slug, number: g.number, texts: g.texts })));
  return rows.length;
}

/** The parties taking part in one campaign (not retired ones) take part in another too, with 0 seats until set. */
async function copyParties(db: Db, fromCampaignId: number, toCampaignId: number, now = new Date()): Promise<number> {
  // Under the name the source campaign knows it by, which the new campaign may change.
  const rows = await db
    .select({ partyId: campaignParties.partyId, name: campaignParties.name, abbreviation: campaignParties.abbreviation, website: campaignParties.website })
    .from(campaignParties)
    .where(and(eq(campaignParties.campaignId, fromCampaignId), isNull(campaignParties.retiredAt)));
  if (rows.length === 0) return 0;
  await db
    .insert(campaignParties)
    .values(rows.map((p) => ({ ...p, campaignId: toCampaignId, seats: 0, createdAt: now, updatedAt: now })))
    .onConflictDoNothing();
  return rows.length;
}

export type CampaignWriteResult = { status: 'done' } | { status: 'invalid'; issues: FieldIssues } | { status: 'archived' } | { status: 'unknown-campaign' };

/** Locks the campaign row; refuses an archived one. */
async function lockWritable(db: Db, campaignId: number) {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
  if (!row) return { status: 'unknown-campaign' as const };
  if (row.state === 'archived') return { status: 'archived' as const };
  return { status: 'ok' as const, row };
}

/** A campaign's texts and election date (its slug never changes). */
export async function updateCampaignProfile(
  db: Db,
  campaignId: number,
  input: FormInput,
  { actor, ip, now = new Date() }: WriteOptions,
): Promise<CampaignWriteResult> {
  const { values, issues } = parseFields(profileFields, input);
  const made = profileOf(values, null, issues);
  if (made.status === 'invalid') return made;
  return db.transaction(async (tx) => {
    const locked = await lockWritable(tx, campaignId);
    if (locked.status !== 'ok') return locked;
    // What the form does not show (the press contact) stays as it was.
    const old = campaignOf(locked.row);
    const profile: CampaignProfile = { ...made.profile, ...(old.press ? { press: old.press } : {}) };
    await tx.update(campaigns).set({ profile, electionDate: made.electionDate, updatedAt: now }).where(eq(campaigns.id, campaignId));
    await recordAudit(tx, { action: 'campaign.updated', actor, subject: locked.row.slug, ip, now });
    return { status: 'done' as const };
  });
}

// --- goals ---

const GOAL_TEXT_FIELDS = ['title', 'shortTitle', 'summary', 'measures', 'manifestoText'] as const;
type GoalTextField = (typeof GOAL_TEXT_FIELDS)[number];

/** A goal's form field for one text in one language: `titleNl`, `measuresEn`, … */
export function goalFieldName(field: GoalTextField, locale: Locale): string {
  return `${field}${locale === 'nl' ? 'Nl' : 'En'}`;
}

export const GOAL_FIELDS: readonly string[] = LOCALES.flatMap((locale) => GOAL_TEXT_FIELDS.map((field) => goalFieldName(field, locale)));

const goalTextLimits: Record<GoalTextField, number> = { title: 200, shortTitle: 60, summary: 2000, measures: 5000, manifestoText: 5000 };

/** The goal's texts in both languages from the form's fields, or each field's problem. */
function goalTextsOf(input: FormInput): { status: 'valid'; texts: Record<Locale, GoalTexts> } | { status: 'invalid'; issues: FieldIssues } {
  const issues: FieldIssues = {};
  const texts = {} as Record<Locale, GoalTexts>;
  for (const locale of LOCALES) {
    const values = {} as Record<GoalTextField, string>;
    for (const field of GOAL_TEXT_FIELDS) {
      const name = goalFieldName(field, locale);
      const parsed = (field === 'summary' ? optional(goalTextLimits[field]) : requiredText(goalTextLimits[field])).safeParse(input[name]);
      if (!parsed.success) issues[name] = parsed.error.issues[0]!.message;
      else if (field !== 'measures' && field !== 'summary' && field !== 'manifestoText' && !oneLine(parsed.data ?? '')) issues[name] = 'campaign.oneLine';
      else values[field] = parsed.data ?? '';
    }
    if (Object.keys(issues).length > 0) continue;
    const measures = values.measures
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    texts[locale] = { title: values.title, shortTitle: values.shortTitle, summary: values.summary, manifestoText: values.manifestoText, measures };
  }
  if (Object.keys(issues).length > 0) return { status: 'invalid', issues };
  const checked = goalTextsByLocaleSchema.safeParse(texts);
  if (!checked.success) return { status: 'invalid', issues: { form: 'form.unknown' } };
  return { status: 'valid', texts: checked.data };
}

export type GoalWriteResult = CampaignWriteResult | { status: 'unknown-goal' } | { status: 'published' };

/**
 * A goal's texts in both languages. A draft's goal may take a new slug (`newSlug`); once the
 * campaign is published the slug is fixed, since pledges name their goal by it.
 */
export async function updateGoal(
  db: Db,
  campaignId: number,
  goalSlug: string,
  input: FormInput,
  { actor, ip, now = new Date() }: WriteOptions,
): Promise<GoalWriteResult> {
  const { newSlug, ...rest } = input;
  const texts = goalTextsOf(rest);
  const slugIssue = newSlug !== undefined && (!GOAL_SLUG.test(newSlug) || newSlug.length > 60) ? 'campaign.goalSlugInvalid' : null;
  if (texts.status === 'invalid' || slugIssue)
    return { status: 'invalid', issues: { ...(texts.status === 'invalid' ? texts.issues : {}), ...(slugIssue ? { newSlug: slugIssue } : {}) } };
  return db.transaction(async (tx) => {
    const locked = await lockWritable(tx, campaignId);
    if (locked.status !== 'ok') return locked;
    const [goal] = await tx
      .select()
      .from(campaignGoals)
      .where(and(eq(campaignGoals.campaignId, campaignId), eq(campaignGoals.slug, goalSlug)));
    if (!goal) return { status: 'unknown-goal' as const };
    const slug = newSlug ?? goal.slug;
    if (slug !== goal.slug) {
      if (locked.row.state !== 'draft') return { status: 'published' as const };
      const [taken] = await tx
        .select({ id: campaignGoals.id })
        .from(campaignGoals)
        .where(and(eq(campaignGoals.campaignId, campaignId), eq(campaignGoals.slug, slug)));
      if (taken) return { status: 'invalid' as const, issues: { newSlug: 'campaign.goalSlugTaken' } };
    }
    await tx.update(campaignGoals).set({ slug, texts: texts.texts }).where(eq(campaignGoals.id, goal.id));
    // The campaign's row moves too: its change moves the board's version (drizzle/0018).
    await tx.update(campaigns).set({ updatedAt: now }).where(eq(campaigns.id, campaignId));
    await recordAudit(tx, {
      action: 'campaign.goal-updated',
      actor,
      subject: `${locked.row.slug}/${slug}`,
      ip,
      now,
      details: slug === goal.slug ? {} : { from: goal.slug },
    });
    return { status: 'done' as const };
  });
}

/** A new goal (slug, number and its texts in both languages); numbers and slugs are unique in the campaign. */
export async function addGoal(db: Db, campaignId: number, input: FormInput, { actor, ip, now = new Date() }: WriteOptions): Promise<GoalWriteResult> {
  const { slug = '', number: numberText = '', ...rest } = input;
  const issues: FieldIssues = {};
  if (!slug) issues.slug = 'form.required';
  else if (!GOAL_SLUG.test(slug) || slug.length > 60) issues.slug = 'campaign.goalSlugInvalid';
  const number = /^\d{1,2}$/.test(numberText.trim()) ? Number(numberText.trim()) : NaN;
  if (!numberText) issues.number = 'form.required';
  else if (!(number >= 1 && number <= 20)) issues.number = 'campaign.goalNumberInvalid';
  const texts = goalTextsOf(rest);
  if (texts.status === 'invalid') Object.assign(issues, texts.issues);
  if (Object.keys(issues).length > 0 || texts.status === 'invalid') return { status: 'invalid', issues };
  return db.transaction(async (tx) => {
    const locked = await lockWritable(tx, campaignId);
    if (locked.status !== 'ok') return locked;
    const existing = await tx
      .select({ slug: campaignGoals.slug, number: campaignGoals.number })
      .from(campaignGoals)
      .where(eq(campaignGoals.campaignId, campaignId));
    const taken: FieldIssues = {};
    if (existing.some((g) => g.slug === slug)) taken.slug = 'campaign.goalSlugTaken';
    if (existing.some((g) => g.number === number)) taken.number = 'campaign.goalNumberTaken';
    if (Object.keys(taken).length > 0) return { status: 'invalid' as const, issues: taken };
    await tx.insert(campaignGoals).values({ campaignId, slug, number, texts: texts.texts });
    await tx.update(campaigns).set({ updatedAt: now }).where(eq(campaigns.id, campaignId));
    await recordAudit(tx, { action: 'campaign.goal-added', actor, subject: `${locked.row.slug}/${slug}`, ip, now, details: { number } });
    return { status: 'done' as const };
  });
}

/** A draft's goal removed; a published campaign keeps its goals (pledges and embeds name them). */
export async function deleteGoal(db: Db, campaignId: number, goalSlug: string, { actor, ip, now = new Date() }: WriteOptions): Promise<GoalWriteResult> {
  return db.transaction(async (tx) => {
    const locked = await lockWritable(tx, campaignId);
    if (locked.status !== 'ok') return locked;
    if (locked.row.state !== 'draft') return { status: 'published' as const };
    const [pledged] = await tx
      .select({ n: count() })
      .from(pledges)
      .where(and(eq(pledges.campaignId, campaignId), eq(pledges.goalSlug, goalSlug)));
    if ((pledged?.n ?? 0) > 0) return { status: 'published' as const };
    const deleted = await tx
      .delete(campaignGoals)
      .where(and(eq(campaignGoals.campaignId, campaignId), eq(campaignGoals.slug, goalSlug)))
      .returning({ id: campaignGoals.id });
    if (deleted.length === 0) return { status: 'unknown-goal' as const };
    await tx.update(campaigns).set({ updatedAt: now }).where(eq(campaigns.id, campaignId));
    await recordAudit(tx, { action: 'campaign.goal-deleted', actor, subject: `${locked.row.slug}/${goalSlug}`, ip, now });
    return { status: 'done' as const };
  });
}

// --- a party across campaigns ---

export interface PartyInCampaign {
  slug: string;
  name: Record<Locale, string>;
  state: CampaignState;
  committed: number;
  goals: number;
}

/**
 * The other campaigns a party took part in that are past pledging (closed, follow-up,
 * archived; not retired there), newest first, with how many of their goals it committed to:
 * its record. An open campaign's pledges still move, and its pages are cached on their own
 * (drizzle/0021): a change there must not leave another campaign's party page behind.
 */
export async function listPartyCampaigns(db: Db, partyId: number, exceptCampaignId: number): Promise<PartyInCampaign[]> {
  const rows = await db
    .select({ campaign: campaigns })
    .from(campaignParties)
    .innerJoin(campaigns, eq(campaigns.id, campaignParties.campaignId))
    .where(and(eq(campaignParties.partyId, partyId), isNull(campaignParties.retiredAt)))
    .orderBy(asc(campaigns.id));
  const others = rows.map((r) => r.campaign).filter((c) => c.id !== exceptCampaignId && c.state !== 'draft' && c.state !== 'open');
  if (others.length === 0) return [];
  const [goalRows, committedRows] = await Promise.all([
    db.select({ campaignId: campaignGoals.campaignId, slug: campaignGoals.slug }).from(campaignGoals),
    db
      .select({ campaignId: pledges.campaignId, goalSlug: pledges.goalSlug })
      .from(pledges)
      .where(and(eq(pledges.partyId, partyId), eq(pledges.stance, 'committed'))),
  ]);
  return others.reverse().map((row) => {
    const campaign = campaignOf(row);
    const goalSlugs = new Set(goalRows.filter((g) => g.campaignId === row.id).map((g) => g.slug));
    return {
      slug: row.slug,
      name: campaign.name,
      state: row.state,
      goals: goalSlugs.size,
      committed: committedRows.filter((p) => p.campaignId === row.id && goalSlugs.has(p.goalSlug)).length,
    };
  });
}
