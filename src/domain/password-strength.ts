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
const SITE_WORDS = ['pledgeboard', 'scorebord', 'scoreboard', 'campagne', 'campaign'];

/** Key prefix of a zxcvbn hint in a form error, e.g. "zxcvbn.warnings.common". */
export const HINT_PREFIX = 'zxcvbn.';

/**
 * zxcvbn's work grows fast with length (a random 256-character password took 2.4 s here, on the
 * thread that serves every request). The first 32 characters are judged: a strong password is
 * strong by then, and a guessable start is not saved by what follows it.
 */
const JUDGED_LENGTH = 32;

let factory: ZxcvbnFactory | undefined;

/** Built on first use: the dictionaries take a moment to load and most requests never need them. */
function zxcvbn(): ZxcvbnFactory {
  // No translations: feedback comes back as its keys, translated when the page is rendered.
  factory ??= new ZxcvbnFactory({
    dictionary: { ...commonWords, ...englishWords, ...dutchWords },
    graphs: adjacencyGraphs,
    maxLength: JUDGED_LENGTH,
  });
  return factory;
}

/**
 * What zxcvbn should look for in a name, an address or a campaign's name: the whole, each
 * word, and each run of words both as written and run together ("terre des hommes",
 * "terredeshommes"). zxcvbn rates a password of several matched words as strong, so a phrase
 * must be findable as one match. Long texts give only their words (runs are for names).
 */
function wordsOf(text: string): string[] {
  const lower = text.toLowerCase();
  const words = lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const runs: string[] = [];
  if (words.length <= MAX_WORDS_FOR_RUNS) {
    for (let start = 0; start < words.length; start++) {
      for (let end = start + 2; end <= words.length; end++) {
        const run = words.slice(start, end);
        runs.push(run.join(' '), run.join(''));
      }
    }
  }
  return [lower, ...words, ...runs].filter((word) => word.length >= 3);
}

const MAX_WORDS_FOR_RUNS = 8;

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
