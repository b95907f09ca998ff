/**
 * Form fields as actions read them: bounded before anything else looks at them, and free of
 * the characters XML forbids (a NUL would even make the database fail), as every free text
 * (domain/text.ts).
 */
import { MAX_ROW_ID } from '../db/row-id.ts';
import { z } from 'zod';
import { freeText } from '../domain/text.ts';

/** A text field of at most `max` characters. */
export const text = (max: number, message = 'form.tooLong') => freeText('form.required').max(max, message);
/** A field that may be left empty (a browser then sends ""; Astro passes it on as undefined). */
export const optionalText = (max: number, message = 'form.tooLong') => text(max, message).optional();
export const slug = text(100, 'form.unknown');
/** A row id: the database's ids are 32-bit, so a larger number names nothing (and must not reach SQL). */
export const id = z.number({ error: 'form.unknown' }).int('form.unknown').min(1, 'form.unknown').max(MAX_ROW_ID, 'form.unknown');

/**
 * A field of a form read by hand (a form whose fields are not known in advance): its text,
 * undefined when absent or empty, null when sent twice or as a file (never guess which counts).
 */
export function formField(form: FormData, name: string): string | undefined | null {
  const values = form.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1 || typeof values[0] !== 'string') return null;
  return values[0] === '' ? undefined : values[0];
}
