import { splitCampaignPath } from '../i18n/routes.ts';

/**
 * Headers every response carries. Only /embed/* (also under a campaign's own address,
 * /campagnes/<slug>/embed/*, which the snippets name) may be shown in another site's frame;
 * the rest of the site refuses framing (clickjacking). Scripts and styles come from this origin.
 */
function isEmbedPath(pathname: string): boolean {
  const path = splitCampaignPath(pathname)?.rest ?? pathname;
  return path === '/embed' || path.startsWith('/embed/') || path.startsWith('/en/embed/');
}

const csp = (frameAncestors: string) =>
  `default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; ` +
  `object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors ${frameAncestors}`;
// Built once: these go out with every response, tens of thousands a second on election night.
const EMBED_CSP = csp('*');
const PAGE_CSP = csp("'none'");

const SHARED = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  // interest-cohort (FLoC) is gone from browsers; browsing-topics is what replaced it.
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), browsing-topics=()',
};
const EMBED_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ...SHARED, 'content-security-policy': EMBED_CSP });
const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ...SHARED, 'content-security-policy': PAGE_CSP, 'x-frame-options': 'DENY' });

/** The security headers of a response at this path (one shared object per kind: do not change it). */
export function securityHeadersFor(pathname: string): Readonly<Record<string, string>> {
  return isEmbedPath(pathname) ? EMBED_HEADERS : PAGE_HEADERS;
}

/** Two years, subdomains included: what the HSTS preload list asks for. */
export const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * HSTS goes out in production, and wherever the public address is https. Not in development
 * on plain http: browsers ignore it there anyway, and a localhost pinned to https is a nuisance.
 */
export function sendsHsts(config: { production: boolean; publicUrl: string | undefined }): boolean {
  return config.production || (config.publicUrl?.startsWith('https:') ?? false);
}
