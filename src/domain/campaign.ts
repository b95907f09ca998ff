/**
 * The campaign's own definition (content/campaign.yaml and content/goals/): its schemas and
 * types. The same schemas serve Astro's content collections and the server's start-up import,
 * so a malformed file is refused with one message wherever it is read.
 */
import { z } from 'zod';

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

export const campaignSchema = z.strictObject({
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
export type Campaign = z.output<typeof campaignSchema>;

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
}

/** Front matter of a text page (content/pages/<locale>/<slug>.md). */
export const textPageSchema = z.strictObject({
  title: z.string().trim().min(1),
  description: z.string().trim().min(1).max(300),
});
