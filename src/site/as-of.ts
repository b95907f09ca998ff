/**
 * `?at=` on a page: show it as it was at that moment. A value that is not a timestamp (or lies
 * in the future) makes the page answer 400 with a message instead of its content.
 */
import type { AstroGlobal } from 'astro';
import { parseAt, type AtParse } from '../domain/as-of.ts';

export interface AsOf {
  at: Date | null;
  /** A message key when `?at=` could not be used. */
  problem: Extract<AtParse, { ok: false }>['message'] | null;
}

export function readAsOf(Astro: Pick<AstroGlobal, 'url' | 'response'>): AsOf {
  const parsed = parseAt(Astro.url.searchParams.get('at'));
  if (parsed.ok) return { at: parsed.at, problem: null };
  Astro.response.status = 400;
  return { at: null, problem: parsed.message };
}
