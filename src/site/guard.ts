/**
 * A page guards itself in its first lines (as in Lucia's examples): it names what it needs and
 * gets the signed-in person, or a redirect to sign in / finish the second step / a 403 page.
 * Pages for signed-in people are never cached.
 */
import type { AstroGlobal } from 'astro';
import { isAdmin, pendingSecondFactor, type Auth } from '../auth/policy.ts';

export type PageNeed = 'session' | 'signed-in' | 'admin' | 'rep';

/** Only paths on this site, never "//elsewhere". */
export function safeReturnPath(value: string | null | undefined): string | null {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : null;
}

export async function guardPage(Astro: AstroGlobal, need: PageNeed): Promise<Auth | Response> {
  Astro.response.headers.set('cache-control', 'private, no-store');
  const auth = Astro.locals.auth;
  if (!auth) {
    const back = encodeURIComponent(Astro.url.pathname + Astro.url.search);
    return Astro.redirect(`/inloggen?terug=${back}`, 303);
  }
  if (need === 'session') return auth;
  const pending = pendingSecondFactor(auth);
  if (pending === 'verify') return Astro.redirect('/inloggen/code', 303);
  if (pending === 'enrol') return Astro.redirect('/account/tweestapsverificatie', 303);
  if (need === 'admin' && !isAdmin(auth)) return Astro.rewrite('/geen-toegang');
  if (need === 'rep' && auth.user.role !== 'rep') return Astro.rewrite('/geen-toegang');
  return auth;
}

/** Where someone goes after signing in, by role. */
export function homeFor(auth: Pick<Auth, 'user'>): string {
  return auth.user.role === 'admin' ? '/beheer' : '/mijn-partij';
}
