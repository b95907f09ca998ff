/**
 * Words a person's public name may not contain: names of the campaign, the site and the roles
 * it gives. The site shows who speaks for the campaign with a marker of its own (see
 * PledgeHistory); a name that says "campagneteam" would look like that marker in plain text.
 */

/** Compared without case, accents, spaces or punctuation, so "c.a.m.p.a.g.n.e" counts too. */
const RESERVED_NAME_WORDS = [
  'campagne',
  'campaign',
  'campagneteam',
  'beheer',
  'admin',
  'moderator',
  'moderatie',
  'redactie',
  'editor',
  'terre des hommes',
  'pledgeboard',
  'scorebord',
  'scoreboard',
] as const;

/** Lower case, accents dropped, only letters and digits left (NFKC first: full-width forms). */
function squash(text: string): string {
  return text
    .normalize('NFKC')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

const SQUASHED = RESERVED_NAME_WORDS.map(squash);

/** Whether a name contains a reserved word (also inside another word, as in "Campagneteam"). */
export function hasReservedWord(name: string): boolean {
  const squashed = squash(name);
  return SQUASHED.some((word) => squashed.includes(word));
}
