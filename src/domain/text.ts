/**
 * Free text from people (statements, names, reasons, addresses …): one rule for every form.
 * XML 1.0 forbids most control characters, U+FFFE/U+FFFF and lone surrogates; one of them in
 * a saved statement makes every Atom feed unreadable for strict parsers (expat), and Postgres
 * refuses NUL outright. The line breaks that text pasted from Word carries (U+000B, U+000C)
 * and CRLF/CR become one newline; the rest is refused with a message, never stored.
 */
import { z } from 'zod';

/**
 * What XML 1.0 forbids (C0 controls except TAB, LF and CR; U+FFFE, U+FFFF; lone surrogates),
 * plus DEL and the C1 controls, which XML discourages and no one types on purpose.
 */
// eslint-disable-next-line no-control-regex -- these control characters are what it looks for
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'g');

const FORBIDDEN_CHARACTER_MESSAGE = 'text.forbiddenCharacter';

/** One newline convention: CRLF, CR and the line and page breaks of word processors become LF. */
function normaliseText(value: string): string {
  // eslint-disable-next-line no-control-regex -- the vertical tab and form feed Word pastes
  return value.replace(/\r\n?|[\u000B\u000C]/g, '\n');
}

export function hasForbiddenCharacters(value: string): boolean {
  return FORBIDDEN.test(value);
}

/** For output that must stay well-formed whatever the database holds (the Atom feeds). */
export function withoutForbiddenCharacters(value: string): string {
  return value.replace(FORBIDDEN_ALL, '');
}

/**
 * A text field: normalised, then refused when a forbidden character is left. It stays a zod
 * string, so a field's own rules follow: `freeText('name.required').trim().max(80, …)`.
 * `error` is the message when the value is not text at all.
 */
export function freeText(error?: string) {
  return z
    .string(error === undefined ? undefined : { error })
    .overwrite(normaliseText)
    .refine((value) => !hasForbiddenCharacters(value), { message: FORBIDDEN_CHARACTER_MESSAGE, abort: true });
}

/**
 * A text that stands on one line wherever it goes (a party's name: in a mail's subject, a
 * heading, a CSV cell): no line break, for a refine() after freeText.
 */
export function oneLine(value: string): boolean {
  return !/[\r\n\u2028\u2029]/.test(value);
}
