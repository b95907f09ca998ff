/**
 * The one rule for links people give (evidence for a pledge, a party's website): a full
 * https:// address, as the database checks it (`like 'https://%'`, see src/db/schema.ts).
 * The URL parser alone is too forgiving: it reads "https:evil.example", "https:/x" and
 * "https:\\x" as https://…, drops TAB and newlines, and lower-cases "HTTPS://" only in its
 * own copy. So the text itself must start with https://, the scheme written in lower case
 * (done here, for the "HTTPS://" people type), with no space, backslash or control or
 * formatting character anywhere. A plain `http://` link is upgraded to `https://` rather than
 * refused: nearly every site answers on both, and people paste what their address bar showed.
 */
import { z } from 'zod';

const MAX_LENGTH = 2000;
/** After "https://": no white space, no backslash, no control, format or unassigned character. */
const PLAIN_HTTPS = /^https:\/\/[^\s\\\p{C}]+$/u;

/** "HTTPS://…" and "http://…" → "https://…"; anything else as it is. */
function asHttps(value: string): string {
  const scheme = /^https?:\/\//i.exec(value);
  return scheme ? `https://${value.slice(scheme[0].length)}` : value;
}

/** A field for an https link that may be left empty (then null). `message` names every problem. */
export function optionalHttpsUrl(message: string) {
  return z
    .string({ error: message })
    .trim()
    .max(MAX_LENGTH, message)
    .overwrite(asHttps)
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
