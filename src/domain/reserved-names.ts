/**
 * Words a person's public name may not contain: names of the campaign, the site and the roles
 * it gives. The site shows who speaks for the campaign with a marker of its own (see
 * PledgeHistory); a name that says "campagneteam" would look like that marker in plain text.
 */

/**
 * The campaign's and the site's names: refused anywhere in a name, compared without case,
 * accents, spaces or punctuation, so "c.a.m.p.a.g.n.e" and "Campagneteam" count too.
 */
const RESERVED_NAMES = ['campagne', 'campaign', 'terre des hommes', 'pledgeboard', 'scorebord', 'scoreboard'] as const;

/**
 * The roles the site gives: refused as a word of their own ("Team Admin", "a.d.m.i.n"), not
 * inside another word, where they are ordinary Dutch and English ("Badminton", "Beheersma").
 */
const RESERVED_ROLE_WORDS = ['admin', 'administrator', 'beheer', 'beheerder', 'moderator', 'moderatie', 'redactie', 'editor'] as const;

/**
 * Letters of other scripts (and digits) that look like Latin ones, as Unicode's confusables
 * (UTS #39) list them: "Сampagneteam" with a Cyrillic С must not pass for a new word. Only
 * for this comparison: names in Cyrillic or Greek are welcome.
 */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  Ѕ: 'S',
  І: 'I',
  Ј: 'J',
  Һ: 'H',
  Ӏ: 'l',
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  г: 'r',
  // Greek
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  // Latin look-alikes and digits written for letters
  ı: 'i',
  ɡ: 'g',
  ℓ: 'l',
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '5': 's',
};

/** Lower case, accents dropped, look-alikes made Latin, only letters and digits left (NFKC first: full-width forms). */
function squash(text: string): string {
  return (
    text
      .normalize('NFKC')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/./gu, (character) => LOOK_ALIKES[character] ?? character)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, '')
      // Latin letters that pass for others in most fonts: "Adrnin", "AdmlN".
      .replaceAll('rn', 'm')
      .replaceAll('l', 'i')
  );
}

const SQUASHED_NAMES = RESERVED_NAMES.map(squash);
const SQUASHED_ROLES = new Set<string>(RESERVED_ROLE_WORDS.map(squash));

/** The words of a name: split at spaces and dashes, brackets and slashes (dots stay, as in "a.d.m.i.n"). */
function wordsOf(name: string): string[] {
  return name
    .split(/[\s\p{Pd}()[\]{}/\\,;:|&+]+/u)
    .map(squash)
    .filter(Boolean);
}

/** Whether a name contains the campaign's or the site's name, or a role as a word. */
export function hasReservedWord(name: string): boolean {
  const squashed = squash(name);
  return SQUASHED_NAMES.some((word) => squashed.includes(word)) || wordsOf(name).some((word) => SQUASHED_ROLES.has(word));
}
