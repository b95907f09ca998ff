/**
 * Comparing parties side by side: which parties a reader asked for, from a query that may list
 * them comma-separated (`?partijen=a,b`) or repeated (`?partijen=a&partijen=b`, what a form of
 * checkboxes sends). A slug we do not know is left out and named, never an error: a shared
 * link to a party that later left the board still compares the others. One party is a start
 * (the party page's "compare with…" link), not a mistake.
 */
const COMPARE_MIN = 2;
/** Up to four fit side by side on a phone; more scroll inside their own region. */
export const COMPARE_MAX = 6;

export interface CompareSelection {
  /**
   * `empty`: nothing known asked; `too-few`: one party, choose another; `too-many`: more than
   * COMPARE_MAX (nothing compared); `ok`: compare `slugs`.
   */
  status: 'empty' | 'too-few' | 'too-many' | 'ok';
  /** The known parties asked for, in the order asked, once each. */
  slugs: string[];
  /**
   * Asked for but not on the board, as a note may show them: letters, digits, `.`, `_` and `-`
   * only (no control characters or markup from the address), at most 40 characters, at most
   * UNKNOWN_SHOWN of them.
   */
  unknown: string[];
}

const UNKNOWN_SHOWN = 10;

/** The asked-for slugs in order, without duplicates or empty parts. */
export function requestedSlugs(values: readonly string[]): string[] {
  const slugs = values
    .flatMap((value) => value.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(slugs)];
}

export function checkSelection(slugs: readonly string[], knownSlugs: readonly string[]): CompareSelection {
  const known = new Set(knownSlugs);
  const chosen = slugs.filter((slug) => known.has(slug));
  const unknown = [
    ...new Set(
      slugs
        .filter((slug) => !known.has(slug))
        .map((slug) => slug.replace(/[^\p{L}\p{N}._-]/gu, '').slice(0, 40))
        .filter(Boolean),
    ),
  ].slice(0, UNKNOWN_SHOWN);
  const status = chosen.length === 0 ? 'empty' : chosen.length < COMPARE_MIN ? 'too-few' : chosen.length > COMPARE_MAX ? 'too-many' : 'ok';
  return { status, slugs: chosen, unknown };
}
