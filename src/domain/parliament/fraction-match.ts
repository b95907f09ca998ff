/**
 * Which of a campaign's parties a parliamentary fraction is (ActorFractie of a vote, e.g.
 * "GroenLinks-PvdA" or "VVD"): an admin's explicit mapping first, else the party whose name
 * or abbreviation is the fraction's name (case, spaces and punctuation aside, as party-name's
 * letters() compares). A fraction that matches no party, or more than one, is reported, never
 * guessed; so is a party that two fractions of one vote would both speak for.
 * Pure: the mapping and the parties come from the caller.
 */
import type { Party } from '../parties.ts';
import { letters } from '../party-name.ts';

export type MatchableParty = Pick<Party, 'slug' | 'name' | 'abbreviation'>;

/**
 * Set once by an admin where names differ: fraction name → party slug, or null for a fraction
 * that is deliberately no party of the campaign. Keys compare as the fractions do.
 */
export type FractionMapping = Readonly<Record<string, string | null>>;

export interface MatchedFraction {
  fraction: string;
  partySlug: string;
  by: 'mapping' | 'name' | 'abbreviation';
}

export interface UnmatchedFraction {
  fraction: string;
  /**
   * none: no party has that name or abbreviation; several: more than one has (`parties`);
   * mapped-party-missing: the mapping names a slug that is not a party of the campaign;
   * conflicting-mapping: the mapping has the name twice (spelled differently) with different
   * parties; shared: another fraction of the same list came to the same party (`parties`).
   */
  reason: 'none' | 'several' | 'mapped-party-missing' | 'conflicting-mapping' | 'shared';
  parties: string[];
}

export interface FractionMatchResult {
  matched: MatchedFraction[];
  /** Mapped to null by the admin: known, and no party of the campaign. */
  ignored: string[];
  unmatched: UnmatchedFraction[];
}

const CONFLICT = Symbol('conflict');

function mappingByKey(mapping: FractionMapping): Map<string, string | null | typeof CONFLICT> {
  const byKey = new Map<string, string | null | typeof CONFLICT>();
  for (const [name, slug] of Object.entries(mapping)) {
    const key = letters(name);
    if (key === '') continue;
    const earlier = byKey.get(key);
    byKey.set(key, earlier === undefined || earlier === slug ? slug : CONFLICT);
  }
  return byKey;
}

/**
 * Matches each distinct fraction (spellings that compare equal count once, the first kept)
 * to one party of the campaign.
 */
export function matchFractions(fractions: readonly string[], parties: readonly MatchableParty[], mapping: FractionMapping = {}): FractionMatchResult {
  const explicit = mappingByKey(mapping);
  const slugs = new Set(parties.map((p) => p.slug));
  const seen = new Set<string>();
  const matched: MatchedFraction[] = [];
  const ignored: string[] = [];
  const unmatched: UnmatchedFraction[] = [];

  for (const fraction of fractions) {
    const key = letters(fraction);
    if (seen.has(key)) continue;
    seen.add(key);
    const mapped = key === '' ? undefined : explicit.get(key);
    if (mapped === CONFLICT) unmatched.push({ fraction, reason: 'conflicting-mapping', parties: [] });
    else if (mapped === null) ignored.push(fraction);
    else if (mapped !== undefined) {
      if (slugs.has(mapped)) matched.push({ fraction, partySlug: mapped, by: 'mapping' });
      else unmatched.push({ fraction, reason: 'mapped-party-missing', parties: [mapped] });
    } else {
      const byName = key === '' ? [] : parties.filter((p) => letters(p.name) === key);
      const byAbbreviation = key === '' ? [] : parties.filter((p) => letters(p.abbreviation) === key && !byName.includes(p));
      const found = [...byName, ...byAbbreviation];
      if (found.length === 1) matched.push({ fraction, partySlug: found[0]!.slug, by: byName.length === 1 ? 'name' : 'abbreviation' });
      else unmatched.push({ fraction, reason: found.length === 0 ? 'none' : 'several', parties: found.map((p) => p.slug) });
    }
  }

  // Two fractions for one party would give it two votes: neither is taken.
  const perParty = Map.groupBy(matched, (m) => m.partySlug);
  const shared = [...perParty.values()].filter((group) => group.length > 1).flat();
  for (const m of shared) unmatched.push({ fraction: m.fraction, reason: 'shared', parties: [m.partySlug] });
  return { matched: matched.filter((m) => !shared.includes(m)), ignored, unmatched };
}
