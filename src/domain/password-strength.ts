/**
 * How guessable a password is, judged as zxcvbn does (@zxcvbn-ts): common passwords, English
 * and Dutch words, names, keyboard rows, dates and repeats, plus the words of this site and of
 * the person choosing it. The answer is message keys: zxcvbn's warning and suggestions, for
 * the form to show in the reader's language (src/i18n/password-hints.ts).
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonWords } from '@zxcvbn-ts/language-common';
import { dictionary as englishWords } from '@zxcvbn-ts/language-en';
import { dictionary as dutchWords } from '@zxcvbn-ts/language-nl-be';

/**
 * zxcvbn's top score (at least 10^10 guesses). Score 3 is not enough: zxcvbn counts any password
 * of three pieces (word, year, punctuation) as at least 10^8 guesses, so "Welkom2026!" and
 * "zomer2026!!" reach 3 however predictable each piece is.
 */
const MIN_PASSWORD_SCORE = 4;

/** Words anyone attacking this site tries first, whatever the campaign. */
const SITE_WORDS = ['pledgeboard', 'scorebord', 'scoreboard', 'campagne', 'campaign', 'wachtwoord'];

/** Key prefix of a zxcvbn hint in a form error, e.g. "zxcvbn.warnings.common". */
export const HINT_PREFIX = 'zxcvbn.';

let factory: ZxcvbnFactory | undefined;

/** Built on first use: the dictionaries take a moment to load and most requests never need them. */
function zxcvbn(): ZxcvbnFactory {
  // No translations: feedback comes back as its keys, translated when the page is rendered.
  factory ??= new ZxcvbnFactory({
    dictionary: { ...commonWords, ...englishWords, ...dutchWords },
    graphs: adjacencyGraphs,
  });
  return factory;
}

/** Each word of the person's name and address, and the address's parts, for zxcvbn to look for. */
function wordsOf(text: string): string[] {
  const lower = text.toLowerCase();
  return [lower, ...lower.split(/[^\p{L}\p{N}]+/u)].filter((word) => word.length >= 3);
}

export interface PasswordStrength {
  strong: boolean;
  /** Message keys of zxcvbn's warning, then its suggestions (empty when it has none). */
  hints: string[];
}

export function judgePassword(password: string, userInputs: readonly string[]): PasswordStrength {
  const inputs = [...new Set([...SITE_WORDS, ...userInputs.flatMap(wordsOf)])];
  const result = zxcvbn().check(password, inputs);
  const hints = [
    ...(result.feedback.warning ? [`${HINT_PREFIX}warnings.${result.feedback.warning}`] : []),
    ...result.feedback.suggestions.map((key) => `${HINT_PREFIX}suggestions.${key}`),
  ];
  return { strong: result.score >= MIN_PASSWORD_SCORE, hints };
}
