/**
 * The campaign's call on words (seed 003): "kinderporno" is outdated and trivialises abuse;
 * the right term is "seksueel kindermisbruikmateriaal (CSAM)". The statement editor warns
 * when a text uses the old term or one of its variants; it never blocks or rewrites the text.
 */

// kinderporno, kinder-porno, kinder porno, kinderpornografie, kinderpornografisch(e),
// kiddieporno, and English "child porn(ography)".
export const OUTDATED_TERM = /\b(?:kinder|kiddie)[\s-]*porn\w*|\bchild[\s-]*porn\w*/i;

export function usesOutdatedTerm(text: string): boolean {
  return OUTDATED_TERM.test(text);
}
