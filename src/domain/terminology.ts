/**
 * The choice of words (seed 003, content/terminology.yaml): which terms a statement should avoid
 * or take care with, and what to write instead. One matcher, used by the server (the warning
 * after saving, without JavaScript) and bundled for the browser (the warning while typing), so
 * both warn about the same words in the same places. It never blocks or rewrites a text.
 *
 * Framework-free and without zod, so the browser bundle stays small; the content file's schema
 * is in terminology-list.ts.
 */
import type { Locale } from './campaign.ts';

export const TERM_LEVELS = ['avoid', 'take-care'] as const;
type TermLevel = (typeof TERM_LEVELS)[number];

interface TermSource {
  title: string;
  url: string;
}

/** One entry of the list, as content/terminology.yaml writes it (checked by terminology-list.ts). */
interface TermRule {
  id: string;
  level: TermLevel;
  /** The term as a reader names it, per language ("kinderporno, kinderpornografie"). */
  term: Record<Locale, string>;
  /** The forms that are matched, in any language (see formPattern). */
  match: readonly string[];
  useInstead: Record<Locale, string>;
  sources: readonly TermSource[];
}

export interface TermRules {
  entries: readonly TermRule[];
  /**
   * Official names that contain a listed term (a law, a treaty, an organisation, e.g. "Meldpunt
   * Kinderporno"): naming them is not using the term as one's own word.
   */
  officialNames: readonly string[];
}

export interface TermMatch {
  id: string;
  level: TermLevel;
  /** The words as the text writes them. */
  text: string;
  /** Where they are: text.slice(start, end) (UTF-16 offsets, as the browser counts). */
  start: number;
  end: number;
  /** What to write instead, in the page's language. */
  useInstead: string;
  sources: readonly TermSource[];
}

const WORD_CHAR = '[\\p{L}\\p{N}]';

/**
 * A form of the list as a regular expression. Words are separated by a space, which matches a
 * space, a hyphen or nothing (Dutch writes "kinderporno", "kinder-porno" and "kinder porno");
 * `*` stands for any further letters (inflections and compounds: "kinder porn*" also finds
 * "kinderpornografisch"). A form starts and ends at a word boundary unless it starts or ends
 * with `*`. Case does not matter.
 */
export function formPattern(form: string): string {
  const words = form.trim().split(/[\s-]+/);
  const body = words.map((word) => word.split('*').map(escapeRegExp).join(`${WORD_CHAR}*`)).join('[\\s\\u00a0-]*');
  const start = form.trimStart().startsWith('*') ? '' : `(?<!${WORD_CHAR})`;
  const end = form.trimEnd().endsWith('*') ? '' : `(?!${WORD_CHAR})`;
  return start + body + end;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface CompiledTerms {
  rules: readonly { rule: TermRule; pattern: RegExp }[];
  officialNames: RegExp | null;
}

/** The list made ready for matching (once per list: the server keeps it, the browser too). */
export function compileTerms(rules: TermRules): CompiledTerms {
  const names = rules.officialNames.map((name) => name.trim().split(/\s+/).map(escapeRegExp).join('\\s+'));
  return {
    rules: rules.entries.map((rule) => ({ rule, pattern: new RegExp(rule.match.map(formPattern).join('|'), 'giu') })),
    officialNames: names.length > 0 ? new RegExp(names.join('|'), 'giu') : null,
  };
}

/**
 * Quotation marks and what may close each. A quote opens where no letter or digit is just
 * before it and closes where none is just after it, so the apostrophes of "foto's" and
 * "kinderporno's" are not quotes.
 */
const QUOTES: Record<string, string> = {
  '„': '”“"',
  '“': '”"',
  '"': '"”“',
  '‚': '’‘',
  '‘': '’',
  "'": "'’",
  '«': '»',
  '‹': '›',
  '»': '«',
};
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** The Dutch elisions 's, 't, 'n ("'s nachts", "'s-Hertogenbosch", "'t is"): an apostrophe, not a quote. */
const ELISION = /^['‘’][stn](?![\p{L}\p{N}])/u;
/** A quotation runs at most this far, and never over a line break: a stray mark must not hide a text. */
const LONGEST_QUOTE = 200;

function quotedSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    const closers = QUOTES[text[i]!];
    if (!closers || (i > 0 && LETTER_OR_DIGIT.test(text[i - 1]!)) || ELISION.test(text.slice(i, i + 3))) continue;
    for (let j = i + 1; j < text.length && j <= i + LONGEST_QUOTE && text[j] !== '\n'; j++) {
      if (closers.includes(text[j]!) && !LETTER_OR_DIGIT.test(text[j + 1] ?? '') && j > i + 1) {
        spans.push([i, j + 1]);
        i = j;
        break;
      }
    }
  }
  return spans;
}

/**
 * A penal-code article: "art. 240b Sr", "artikel 273f Wetboek van Strafrecht", or one of the
 * articles on these offences by number alone (240b, 248a–f, 273f). Any other "artikel 1" is
 * not the law's wording, so it silences nothing.
 */
const LAW_ARTICLE =
  /(?<![\p{L}\p{N}])(?:art\.|artt\.|artikel|article)\s*(?:\d+[a-z]{0,2}(?:\s+lid\s+\d+)?\s+(?:Sr|WvSr|Sv|(?:van\s+het\s+)?Wetboek\s+van\s+Strafrecht)(?![\p{L}\p{N}])|(?:240b|248[a-f]|273f)(?![\p{L}\p{N}])(?:\s+lid\s+\d+)?)/giu;
/** What may stand between a term and the article that names it: "kinderpornografie (art. 240b Sr)". */
const ONLY_PUNCTUATION = /^[\s()[\],:;–—-]*$/u;

function spansOf(pattern: RegExp | null, text: string): [number, number][] {
  if (!pattern) return [];
  return [...text.matchAll(pattern)].map((m) => [m.index, m.index + m[0].length]);
}

const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/u;

/** The text without invisible characters, and where each of its characters stands in the original. */
function withoutInvisible(original: string): { text: string; at: (index: number) => number } {
  if (!INVISIBLE.test(original)) return { text: original, at: (index) => index };
  const places: number[] = [];
  let text = '';
  for (let i = 0; i < original.length; i++) {
    if (INVISIBLE.test(original[i]!)) continue;
    places.push(i);
    text += original[i];
  }
  return { text, at: (index) => places[index]! };
}

/**
 * Every listed term in a text, in the order of the text, each with what to write instead in
 * `locale`. Not the party's own wording, so not returned:
 * - words in quotation marks („…”, “…”, "…", ‘…’, '…', «…»): a quoted title, such as the name of
 *   a law ("Wet …") or a report, or somebody else's words;
 * - words inside an official name of the list (e.g. "Meldpunt Kinderporno");
 * - a term right next to the law article that names it, with only punctuation between them:
 *   "kinderpornografie (art. 240b Sr)", "art. 240b Sr: kinderpornografie". Dutch law still says
 *   "kinderpornografie"; naming the offence by its article is quoting the law.
 * Where two entries match overlapping words, the first (then the longer) match is kept.
 */
export function findTerms(compiled: CompiledTerms, original: string, locale: Locale): TermMatch[] {
  if (!original) return [];
  // Matched without soft hyphens and zero-width characters (a word pasted from a PDF or Word
  // keeps them), and told in the places of the text as written.
  const { text, at } = withoutInvisible(original);
  const excluded = [...quotedSpans(text), ...spansOf(compiled.officialNames, text)];
  const articles = spansOf(LAW_ARTICLE, text);
  const found: TermMatch[] = [];
  for (const { rule, pattern } of compiled.rules) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (excluded.some(([from, to]) => start >= from && end <= to)) continue;
      const namedByArticle = articles.some(
        ([from, to]) => (to <= start && ONLY_PUNCTUATION.test(text.slice(to, start))) || (from >= end && ONLY_PUNCTUATION.test(text.slice(end, from))),
      );
      if (namedByArticle) continue;
      const [from, to] = [at(start), at(end - 1) + 1];
      found.push({
        id: rule.id,
        level: rule.level,
        text: original.slice(from, to),
        start: from,
        end: to,
        useInstead: rule.useInstead[locale],
        sources: rule.sources,
      });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: TermMatch[] = [];
  for (const match of found) if (!kept.some((k) => match.start < k.end && k.start < match.end)) kept.push(match);
  return kept;
}
