/**
 * How actions report failure. Every error carries an HTTP status (4xx for anything the
 * person can fix) and message keys from src/i18n, so the form shows them in the reader's
 * language next to the right field.
 */
import { ActionError, isInputError } from 'astro:actions';
import type { ActionErrorCode } from 'astro:actions';
import type { FieldIssues } from '../domain/field-issues.ts';

const FIELDS_PREFIX = 'fields:';

/** A 400 with a message per field. */
export function invalidFields(issues: FieldIssues): ActionError {
  return new ActionError({ code: 'BAD_REQUEST', message: FIELDS_PREFIX + JSON.stringify(issues) });
}

/** Any other failure: a status code and one message key for the whole form. */
export function failure(code: ActionErrorCode, messageKey: string): ActionError {
  return new ActionError({ code, message: messageKey });
}

export interface FormErrors {
  form: string | null;
  fields: FieldIssues;
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
  return { form: code === 'INTERNAL_SERVER_ERROR' ? 'form.serverError' : message || 'form.serverError', fields: {} };
}
