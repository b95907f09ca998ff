/**
 * Comparing parties side by side: which 2 to 4 parties a reader asked for, from a query that
 * may list them comma-separated (`?partijen=a,b`) or repeated (`?partijen=a&partijen=b`).
 */
const COMPARE_MIN = 2;
const COMPARE_MAX = 4;

export type CompareSelection =
  | { status: 'empty' }
  | { status: 'ok'; slugs: string[] }
  | { status: 'too-few' | 'too-many'; slugs: string[] }
  | { status: 'unknown'; slugs: string[]; unknown: string[] };

/** The asked-for slugs in order, without duplicates or empty parts. */
export function requestedSlugs(values: readonly string[]): string[] {
  const slugs = values
    .flatMap((value) => value.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set(slugs)];
}

export function checkSelection(slugs: readonly string[], knownSlugs: readonly string[]): CompareSelection {
  if (slugs.length === 0) return { status: 'empty' };
  const unknown = slugs.filter((slug) => !knownSlugs.includes(slug));
  if (unknown.length > 0) return { status: 'unknown', slugs: [...slugs], unknown };
  if (slugs.length < COMPARE_MIN) return { status: 'too-few', slugs: [...slugs] };
  if (slugs.length > COMPARE_MAX) return { status: 'too-many', slugs: [...slugs] };
  return { status: 'ok', slugs: [...slugs] };
}
