/**
 * The choice of words (content/terminology.yaml, read at build as a content collection): the
 * whole list for the /woordkeuze page, and the matcher's rules, compiled once per process.
 */
import { getEntry } from 'astro:content';
import { compileTerms, type CompiledTerms, type TermRules } from '../domain/terminology.ts';
import { termRulesOf, type TerminologyList } from '../domain/terminology-list.ts';

let compiled: { rules: TermRules; compiled: CompiledTerms } | null = null;

export async function getTerminology(): Promise<TerminologyList> {
  const entry = await getEntry('terminology', 'terminology');
  if (!entry) throw new Error('content/terminology.yaml was not loaded');
  const { id: _id, ...list } = entry.data as TerminologyList & { id: string };
  return list;
}

/** The rules (to hand to the browser as they are) and the same rules compiled (for the server). */
export async function getTermRules(): Promise<{ rules: TermRules; compiled: CompiledTerms }> {
  if (!compiled) {
    const rules = termRulesOf(await getTerminology());
    compiled = { rules, compiled: compileTerms(rules) };
  }
  return compiled;
}
