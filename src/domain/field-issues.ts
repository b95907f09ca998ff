/**
 * Problems with a form's input, per field: field name → message key (see src/i18n), so the
 * form can show each message next to its field in the reader's language.
 */
import type { z } from 'zod';

export type FieldIssues = Record<string, string>;

/** The first problem of each field of a failed zod parse. */
export function toFieldIssues(error: z.ZodError): FieldIssues {
  const issues: FieldIssues = {};
  for (const issue of error.issues) issues[String(issue.path[0] ?? 'form')] ??= issue.message;
  return issues;
}

/** Between the keys of one message made of several (a rule, then hints on how to meet it). */
const KEY_JOINER = ' + ';

/** Several message keys as one field issue; the page translates each and shows them in order. */
export function joinMessageKeys(...keys: string[]): string {
  return keys.join(KEY_JOINER);
}

export function splitMessageKeys(issue: string): string[] {
  return issue.split(KEY_JOINER);
}
