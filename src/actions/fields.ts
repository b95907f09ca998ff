/**
 * Form fields as actions read them: bounded before anything else looks at them, and free of
 * the characters XML forbids (a NUL would even make the database fail), as every free text
 * (domain/text.ts).
 */
import { z } from 'zod';
import { freeText } from '../domain/text.ts';

/** A text field of at most `max` characters. */
export const text = (max: number, message = 'form.tooLong') => freeText('form.required').max(max, message);
/** A field that may be left empty (a browser then sends ""; Astro passes it on as undefined). */
export const optionalText = (max: number, message = 'form.tooLong') => text(max, message).optional();
export const slug = text(100, 'form.unknown');
/** A row id: the database's ids are 32-bit, so a larger number names nothing (and must not reach SQL). */
export const id = z.number({ error: 'form.unknown' }).int('form.unknown').min(1, 'form.unknown').max(2_147_483_647, 'form.unknown');
