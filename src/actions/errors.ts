/**
 * How actions report failure. Every error carries an HTTP status (4xx for anything the
 * person can fix) and message keys from src/i18n, so the form shows them in the reader's
 * language next to the right field.
 */
import { randomBytes } from 'node:crypto';
import { ActionError, defineAction as defineAstroAction, isInputError } from 'astro:actions';
import { z } from 'zod';
import type { ActionAPIContext, ActionErrorCode } from 'astro:actions';
import { isArchivedCampaignWrite } from '../db/errors.ts';
import type { FieldIssues } from '../domain/field-issues.ts';

const FIELDS_PREFIX = 'fields:';
const INTERNAL_PREFIX = 'internal:';

/** A 400 (or another 4xx, such as a 409 for a conflict) with a message per field. */
export function invalidFields(issues: FieldIssues, code: ActionErrorCode = 'BAD_REQUEST'): ActionError {
  return new ActionError({ code, message: FIELDS_PREFIX + JSON.stringify(issues) });
}

/** Any other failure: a status code and one message key for the whole form. */
export function failure(code: ActionErrorCode, messageKey: string): ActionError {
  return new ActionError({ code, message: messageKey });
}

/**
 * Steps that are hard on others (closing pledging, taking a party off the board, disabling an
 * account, unlinking a parliamentary item) ask "are you sure?" first (a confirm page, no
 * JavaScript needed). The confirm form sends `confirm=ja`; a request without it is refused
 * with 409 and changes nothing, so a forged or stale single POST cannot skip the question.
 * The undoing direction needs no confirm.
 */
export const confirmed = z.enum(['ja'], { error: 'form.unknown' }).optional();

export function requireConfirm(confirm: string | undefined): void {
  if (confirm !== 'ja') throw failure('CONFLICT', 'admin.confirmFirst');
}

/**
 * A handler that never hands an unexpected error to the client. Astro would answer its message,
 * which for a database error is the failed SQL with its parameters. Instead the error goes to
 * the log under a random reference, and the client gets a 500 with only that reference, so a
 * report can be matched to the log line.
 */
function withErrorReference<I, O>(handler: (input: I, context: ActionAPIContext) => O) {
  return async (input: I, context: ActionAPIContext): Promise<Awaited<O>> => {
    try {
      return await handler(input, context);
    } catch (error) {
      if (error instanceof ActionError) throw error;
      // The database keeps an archived campaign as it was (drizzle/0020): a clear 409, nothing written.
      if (isArchivedCampaignWrite(error)) throw failure('CONFLICT', 'campaign.archived');
      const reference = randomBytes(6).toString('hex');
      console.error(`Action ${context.url.pathname}${context.url.search} failed (reference ${reference}):`, error);
      throw new ActionError({ code: 'INTERNAL_SERVER_ERROR', message: `${INTERNAL_PREFIX}${reference}` });
    }
  };
}

/** Astro's defineAction, with unexpected errors logged under a reference and never sent out. */
export const defineAction = ((definition: Parameters<typeof defineAstroAction>[0]) =>
  defineAstroAction({ ...definition, handler: withErrorReference(definition.handler) })) as typeof defineAstroAction;

export interface FormErrors {
  form: string | null;
  fields: FieldIssues;
  /** The reference of an internal error, as in the server's log. */
  reference?: string;
}

export function formErrorsOf(error: unknown): FormErrors {
  if (!error) return { form: null, fields: {} };
  if (isInputError(error as ActionError)) {
    const fields: FieldIssues = {};
    for (const [field, messages] of Object.entries((error as { fields: Record<string, string[] | undefined> }).fields)) {
      if (messages?.[0]) fields[field] = messages[0];
    }
    return { form: 'form.checkFields', fields };
  }
  const message = (error as Error).message ?? '';
  if (message.startsWith(FIELDS_PREFIX)) {
    return { form: 'form.checkFields', fields: JSON.parse(message.slice(FIELDS_PREFIX.length)) as FieldIssues };
  }
  const code = (error as ActionError).code;
  if (code === 'INTERNAL_SERVER_ERROR') {
    const reference = message.startsWith(INTERNAL_PREFIX) ? message.slice(INTERNAL_PREFIX.length) : undefined;
    return { form: 'form.serverError', fields: {}, ...(reference ? { reference } : {}) };
  }
  return { form: message || 'form.serverError', fields: {} };
}
