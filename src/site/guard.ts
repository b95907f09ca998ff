/**
 * A page guards itself in its first lines (as in Lucia's examples): it names what it needs and
 * gets the signed-in person, or a redirect to sign in / finish the second step / a 403 page.
 * Pages for signed-in people are never cached.
 */
import type { AstroGlobal } from 'astro';
import { isAdmin, pendingSecondFactor, type Auth } from '../auth/policy.ts';
import type { Locale } from '../domain/campaign.ts';
import { pathTo, queryName } from '../i18n/routes.ts';

export type PageNeed = 'session' | 'signed-in' | 'admin' | 'rep' | 'candidate';

/** Only paths on this site (the rule lives in the domain; pages import it from here). */
export { safeReturnPath } from '../domain/return-path.ts';

export async function guardPage(Astro: AstroGlobal, need: PageNeed): Promise<Auth | Response> {
  Astro.response.headers.set('cache-control', 'private, no-store');
  const auth = Astro.locals.auth;
  const { locale } = Astro.locals;
  if (!auth) {
    const back = encodeURIComponent(Astro.originPathname + Astro.url.search);
    return Astro.redirect(`${pathTo('signIn', locale)}?${queryName('back', locale)}=${back}`, 303);
  }
  if (need === 'session') return auth;
  const pending = pendingSecondFactor(auth);
  if (pending === 'verify') return Astro.redirect(pathTo('signInCode', locale), 303);
  if (pending === 'enrol') return Astro.redirect(pathTo('totpSetup', locale), 303);
  if (need === 'admin' && !isAdmin(auth)) return Astro.rewrite(pathTo('forbidden', locale));
  if (need === 'rep' && auth.user.role !== 'rep') return Astro.rewrite(pathTo('forbidden', locale));
  if (need === 'candidate' && auth.user.role !== 'candidate') return Astro.rewrite(pathTo('forbidden', locale));
  return auth;
}

const HOME = { admin: 'admin', rep: 'myParty', candidate: 'mySignature' } as const;

/** Where someone goes after signing in, by role: Beheer, their party's form, or their own signature. */
export function homeFor(auth: { user: Pick<Auth['user'], 'role'> }, locale: Locale): string {
  return pathTo(HOME[auth.user.role], locale);
}
