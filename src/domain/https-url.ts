/**
 * The one rule for links people give (evidence for a pledge, a party's website): a full
 * https:// address, as the database checks it (`like 'https://%'`, see src/db/schema.ts).
 * The URL parser alone is too forgiving: it reads "https:evil.example", "https:/x" and
 * "https:\\x" as https://…, drops TAB and newlines, and lower-cases "HTTPS://" only in its
 * own copy. So the text itself must start with https://, the scheme written in lower case
 * (done here, for the "HTTPS://" people type), with no space, backslash or control or
 * formatting character anywhere.
 */
import { z } from 'zod';

const MAX_LENGTH = 2000;
/** After "https://": no white space, no backslash, no control, format or unassigned character. */
const PLAIN_HTTPS = /^https:\/\/[^\s\\\p{C}]+$/u;

/** "HTTPS://…" → "https://…"; anything else as it is. */
function lowerCaseScheme(value: string): string {
  return /^https:\/\//i.test(value) ? `https://${value.slice('https://'.length)}` : value;
}

/** A field for an https link that may be left empty (then null). `message` names every problem. */
export function optionalHttpsUrl(message: string) {
  return z
    .string({ error: message })
    .trim()
    .max(MAX_LENGTH, message)
    .overwrite(lowerCaseScheme)
    .pipe(
      z.union(
        [
          z.literal(''),
          z
            .string()
            .regex(PLAIN_HTTPS, message)
            .pipe(z.url({ protocol: /^https$/, hostname: z.regexes.domain, error: message })),
        ],
        {
          error: message,
        },
      ),
    )
    .nullish()
    .transform((value) => value || null);
}
