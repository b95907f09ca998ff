/**
 * The schema of content/terminology.yaml: the reviewed list of terms to avoid or take care with.
 * Every entry has both languages, what to write instead, why, and at least one https source.
 */
import { z } from 'zod';
import { TERM_LEVELS, type TermRules } from './terminology.ts';

const localizedText = z.strictObject({
  nl: z.string().trim().min(1, 'Dutch text is missing'),
  en: z.string().trim().min(1, 'English text is missing'),
});

/** A form as terminology.ts matches it: letters, spaces or hyphens between words, `*`. */
const form = z
  .string()
  .trim()
  .regex(/^[\p{L}*' -]+$/u, 'use letters, spaces, hyphens and * only')
  .refine((f) => f.replace(/[^\p{L}]/gu, '').length >= 3, 'needs at least three letters');

const source = z.strictObject({
  title: z.string().trim().min(1, 'title is missing'),
  url: z.url({ protocol: /^https$/, error: 'must be an https:// address' }),
});

const entry = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lower-case letters, digits and single hyphens'),
  level: z.enum(TERM_LEVELS),
  term: localizedText,
  match: z.array(form).min(1, 'needs at least one form to match'),
  useInstead: localizedText,
  why: localizedText,
  sources: z.array(source).min(1, 'needs at least one source'),
});

export const terminologyListSchema = z
  .strictObject({
    officialNames: z.array(z.string().trim().min(3)).default([]),
    entries: z.array(entry).min(1),
  })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.entries.forEach((e, i) => {
      if (seen.has(e.id)) ctx.addIssue({ code: 'custom', path: ['entries', i, 'id'], message: `duplicate id "${e.id}"` });
      seen.add(e.id);
    });
  });

export type TerminologyList = z.output<typeof terminologyListSchema>;

/** The matcher's part of the list: everything but the reasons, which only the page shows. */
export function termRulesOf(list: TerminologyList): TermRules {
  return {
    officialNames: list.officialNames,
    entries: list.entries.map(({ id, level, term, match, useInstead, sources }) => ({ id, level, term, match, useInstead, sources })),
  };
}
