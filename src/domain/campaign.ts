/**
 * What a campaign is: its schemas and types. A campaign lives in the database
 * (src/domain/campaigns.ts); content/campaign.yaml and content/goals/ are the first campaign's
 * import, checked against the same schemas, so a malformed file is refused with one message.
 */
import { z } from 'zod';
import type { campaignState } from '../db/schema.ts';

export const LOCALES = ['nl', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'nl';

/**
 * Parties write their statements in Dutch (a Dutch election); pages in English mark them so a
 * screen reader reads them with a Dutch voice.
 */
export const STATEMENT_LANG = 'nl';

/** A text the public reads, in every language the site speaks. */
const localizedText = z.strictObject({
  nl: z.string().trim().min(1, 'Dutch text is missing'),
  en: z.string().trim().min(1, 'English text is missing'),
});

/** YAML gives dates as Date or string depending on quoting; accept both, keep a Date. */
const dateValue = z.union([z.date(), z.iso.date(), z.iso.datetime({ offset: true })]).transform((v) => new Date(v));

/**
 * A phone number as people write it: an optional +, then digits with spaces, dots, hyphens or
 * brackets between them; 6 to 15 digits in all (E.164 has at most 15).
 */
const PHONE = /^\+?[0-9](?:[0-9 .()-]*[0-9])?$/;
const phoneNumber = z
  .string()
  .trim()
  .regex(PHONE, 'must be a phone number such as +31 20 123 4567')
  .refine((v) => {
    const digits = v.replace(/\D/g, '').length;
    return digits >= 6 && digits <= 15;
  }, 'must have 6 to 15 digits');

const pressContactSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'name is missing').max(100),
    email: z.email('must be an email address').optional(),
    phone: phoneNumber.optional(),
  })
  .refine((p) => p.email !== undefined || p.phone !== undefined, 'needs an email address or a phone number');

/** A phone number as a `tel:` link: only the + and the digits ("+31 (0)20" dials +3120). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/\(0\)/g, '').replace(/[^+0-9]/g, '')}`;
}

export const CAMPAIGN_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CAMPAIGN_SLUG_MAX_LENGTH = 64;

/** Whether text from an address can be a campaign's slug (checked before any query). */
export function isCampaignSlug(value: string): boolean {
  return value.length <= CAMPAIGN_SLUG_MAX_LENGTH && CAMPAIGN_SLUG.test(value);
}

export const campaignSchema = z.strictObject({
  /** The campaign's address: /campagnes/<slug>. Never changes once published. */
  slug: z.string().max(CAMPAIGN_SLUG_MAX_LENGTH).regex(CAMPAIGN_SLUG, 'use lower-case letters, digits and single hyphens, e.g. "tweede-kamer-2025"'),
  name: localizedText,
  tagline: localizedText,
  organiser: z.strictObject({
    name: z.string().trim().min(1),
    website: z.url({ protocol: /^https$/, error: 'must be an https:// address' }),
  }),
  /** Where readers report a mistake on the site: a page (https://) or an address (mailto:). */
  corrections: z.url({ protocol: /^(https|mailto)$/, error: 'must be an https:// or mailto: address' }),
  election: z.strictObject({
    name: localizedText,
    /** null while the date is not officially set: the site says "not yet announced". */
    date: dateValue.nullable(),
  }),
  /** null means pledging stays open until an admin closes it. */
  pledgeDeadline: dateValue.nullable(),
  /** The campaign's call to use the right words (CSAM), shown with the goals. */
  terminology: localizedText,
  /** Who journalists call (the "Press & data" page); left out, the page says there is no one. */
  press: pressContactSchema.optional(),
});
/** A campaign as content/campaign.yaml defines it. */
export type CampaignDefinition = z.output<typeof campaignSchema>;

/**
 * The campaign's public texts, stored as one JSON document (campaigns.profile): everything of
 * the definition but its slug and the two dates, which are columns.
 */
export const campaignProfileSchema = campaignSchema.omit({ slug: true, pledgeDeadline: true }).extend({
  election: z.strictObject({ name: localizedText }),
});
export type CampaignProfile = z.output<typeof campaignProfileSchema>;

/** Where a campaign is: the database's enum is the one list (src/db/schema.ts). */
export type CampaignState = (typeof campaignState.enumValues)[number];

/** A campaign as the rest of the app uses it. */
export interface Campaign extends Omit<CampaignDefinition, 'election'> {
  id: number;
  state: CampaignState;
  /** The campaign the addresses without a campaign show. */
  current: boolean;
  /** An admin's choice that wins over the deadline (pledging-window.ts); null: the deadline decides. */
  pledgingOverride: 'open' | 'closed' | null;
  election: { name: Record<Locale, string>; date: Date | null };
}

/** Whether anyone may still write to the campaign (an archived one is read-only for everyone). */
export function isWritable(campaign: Pick<Campaign, 'state'>): boolean {
  return campaign.state !== 'archived';
}

/** Whether the public may see the campaign (a draft is for admins only). */
export function isPublished(campaign: Pick<Campaign, 'state'>): boolean {
  return campaign.state !== 'draft';
}

export const GOAL_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Front matter of content/goals/<locale>/<slug>.md; the body is the goal's summary. */
export const goalSchema = z.strictObject({
  number: z.int().min(1).max(20),
  title: z.string().trim().min(1),
  shortTitle: z.string().trim().min(1).max(60),
  measures: z.array(z.string().trim().min(1)).min(1),
  /** The text the organisation offers parties for their manifesto, quoted as given. */
  manifestoText: z.string().trim().min(1),
});
type GoalContent = z.output<typeof goalSchema>;

/** A goal as the rest of the app uses it: its content in one language plus its stable slug. */
export interface Goal extends GoalContent {
  slug: string;
  locale: Locale;
  /** The goal's summary in a few sentences (plain text; the body of its content file). */
  summary: string;
}

/** A goal's texts in one language, as stored (campaign_goals.texts[locale]). */
const goalTextsSchema = goalSchema.omit({ number: true }).extend({ summary: z.string().trim().max(2000) });
export type GoalTexts = z.output<typeof goalTextsSchema>;

/** Every language's texts of a goal. */
export const goalTextsByLocaleSchema = z.strictObject({ nl: goalTextsSchema, en: goalTextsSchema });

/** Front matter of a text page (content/pages/<locale>/<slug>.md). */
export const textPageSchema = z.strictObject({
  title: z.string().trim().min(1),
  description: z.string().trim().min(1).max(300),
});
