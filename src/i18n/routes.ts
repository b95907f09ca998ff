/**
 * Every page's address in each language. Dutch is the default (no prefix), English lives
 * under /en/ with English words. The page files use the Dutch paths; the middleware serves an
 * English address by rewriting it to the Dutch page with the locale set to English.
 * Query parameters have words in each language too (`?sorteer=zetels` / `?sort=seats`).
 */
import type { LinkPurpose } from '../domain/account-links.ts';
import type { PageMailContext } from '../domain/outbox.ts';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../domain/campaign.ts';

const ROUTES = {
  scoreboard: { nl: '/', en: '/en' },
  goal: { nl: '/doelen/:slug', en: '/en/goals/:slug' },
  party: { nl: '/partijen/:slug', en: '/en/parties/:slug' },
  /** One party's stance on one goal: the permalink a voter shares. */
  statement: { nl: '/partijen/:slug/doelen/:goal', en: '/en/parties/:slug/goals/:goal' },
  compare: { nl: '/vergelijk', en: '/en/compare' },
  /** The champions: every candidate who signed all goals (issue 14). The feed before `:id`. */
  candidates: { nl: '/kandidaten', en: '/en/candidates' },
  candidatesFeed: { nl: '/kandidaten/feed.xml', en: '/en/candidates/feed.xml' },
  candidate: { nl: '/kandidaten/:id', en: '/en/candidates/:id' },
  about: { nl: '/over', en: '/en/about' },
  signIn: { nl: '/inloggen', en: '/en/sign-in' },
  signInCode: { nl: '/inloggen/code', en: '/en/sign-in/code' },
  signOut: { nl: '/uitloggen', en: '/en/sign-out' },
  account: { nl: '/account', en: '/en/account' },
  totpSetup: { nl: '/account/tweestapsverificatie', en: '/en/account/two-step' },
  recoveryCodes: { nl: '/account/herstelcodes', en: '/en/account/recovery-codes' },
  invitation: { nl: '/uitnodiging/:token', en: '/en/invitation/:token' },
  passwordReset: { nl: '/wachtwoord-herstellen/:token', en: '/en/reset-password/:token' },
  forgotPassword: { nl: '/wachtwoord-vergeten', en: '/en/forgot-password' },
  myParty: { nl: '/mijn-partij', en: '/en/my-party' },
  /** A candidate's own page: they sign their campaign's goals (not a campaign address: it is theirs). */
  mySignature: { nl: '/mijn-handtekening', en: '/en/my-signature' },
  admin: { nl: '/beheer', en: '/en/admin' },
  adminParties: { nl: '/beheer/partijen', en: '/en/admin/parties' },
  adminParty: { nl: '/beheer/partijen/:slug', en: '/en/admin/parties/:slug' },
  adminInvitations: { nl: '/beheer/uitnodigingen', en: '/en/admin/invitations' },
  adminAccounts: { nl: '/beheer/accounts', en: '/en/admin/accounts' },
  adminAudit: { nl: '/beheer/audit', en: '/en/admin/audit' },
  adminMail: { nl: '/beheer/mail', en: '/en/admin/mail' },
  adminReminders: { nl: '/beheer/herinneringen', en: '/en/admin/reminders' },
  /** The campaign's candidate lists: the Kiesraad's file uploaded, who was elected marked. */
  adminCandidates: { nl: '/beheer/kandidaten', en: '/en/admin/candidates' },
  adminCampaigns: { nl: '/beheer/campagnes', en: '/en/admin/campaigns' },
  adminCampaignNew: { nl: '/beheer/campagnes/nieuw', en: '/en/admin/campaigns/new' },
  /** One campaign's texts and goals: the current one, or under /campagnes/<slug>/beheer/campagne. */
  adminCampaign: { nl: '/beheer/campagne', en: '/en/admin/campaign' },
  embedScoreboard: { nl: '/embed/scoreboard', en: '/en/embed/scoreboard' },
  embedParty: { nl: '/embed/partij/:slug', en: '/en/embed/party/:slug' },
  embedGoal: { nl: '/embed/doel/:slug', en: '/en/embed/goal/:slug' },
  embedPartyCandidates: { nl: '/embed/partij/:slug/kandidaten', en: '/en/embed/party/:slug/candidates' },
  embedBuilder: { nl: '/insluiten', en: '/en/embedding' },
  pressData: { nl: '/pers-en-data', en: '/en/press-and-data' },
  /** The choice of words: terms to avoid or take care with (content/terminology.yaml). */
  terminology: { nl: '/woordkeuze', en: '/en/choice-of-words' },
  imageScoreboard: { nl: '/afbeelding/scorebord.png', en: '/en/image/scoreboard.png' },
  imageParty: { nl: '/afbeelding/partij/:slug.png', en: '/en/image/party/:slug.png' },
  imageGoal: { nl: '/afbeelding/doel/:slug.png', en: '/en/image/goal/:slug.png' },
  feed: { nl: '/feed.xml', en: '/en/feed.xml' },
  partyFeed: { nl: '/partijen/:slug/feed.xml', en: '/en/parties/:slug/feed.xml' },
  goalFeed: { nl: '/doelen/:slug/feed.xml', en: '/en/goals/:slug/feed.xml' },
  /** After the election (issue 15): per party × goal the rating and the votes; the feed before `:number`. */
  followUp: { nl: '/opvolging', en: '/en/follow-up' },
  followUpFeed: { nl: '/opvolging/feed.xml', en: '/en/follow-up/feed.xml' },
  followUpItem: { nl: '/opvolging/kamerstukken/:number', en: '/en/follow-up/parliament/:number' },
  embedFollowUp: { nl: '/embed/opvolging', en: '/en/embed/follow-up' },
  adminFollowUp: { nl: '/beheer/opvolging', en: '/en/admin/follow-up' },
  forbidden: { nl: '/geen-toegang', en: '/en/no-access' },
  notFound: { nl: '/404', en: '/en/404' },
} as const satisfies Record<string, Record<Locale, string>>;

export type RouteName = keyof typeof ROUTES;

/** Pages anyone may see and caches may keep: the same for every anonymous reader. */
export const PUBLIC_ROUTES: ReadonlySet<RouteName> = new Set([
  'scoreboard',
  'goal',
  'party',
  'statement',
  'compare',
  'about',
  'pressData',
  'terminology',
  'embedScoreboard',
  'embedParty',
  'embedGoal',
  'candidates',
  'candidate',
  'embedPartyCandidates',
  'followUp',
  'followUpItem',
  'embedFollowUp',
]);
/**
 * Pages that belong to a campaign: each also lives under the campaign's own address
 * (`/campagnes/<slug>/partijen/x`, `/en/campaigns/<slug>/parties/x`). Without the prefix they
 * show the current campaign.
 */
const CAMPAIGN_ROUTES: ReadonlySet<RouteName> = new Set([
  'scoreboard',
  'goal',
  'party',
  'statement',
  'compare',
  'pressData',
  'myParty',
  'embedScoreboard',
  'embedParty',
  'embedGoal',
  'embedBuilder',
  'imageScoreboard',
  'imageParty',
  'imageGoal',
  'feed',
  'partyFeed',
  'goalFeed',
  // Beheer of one campaign (another than the current one, a draft too): /campagnes/<slug>/beheer/…
  'admin',
  'adminParties',
  'adminParty',
  'adminInvitations',
  'adminReminders',
  'adminCandidates',
  'candidates',
  'candidatesFeed',
  'candidate',
  'embedPartyCandidates',
  'adminCampaign',
  'followUp',
  'followUpFeed',
  'followUpItem',
  'embedFollowUp',
  'adminFollowUp',
]);

const CAMPAIGN_PREFIX: Record<Locale, string> = { nl: '/campagnes/', en: '/en/campaigns/' };

export type RouteParams = Record<string, string>;

export interface RouteMatch {
  name: RouteName;
  locale: Locale;
  params: RouteParams;
  /** The campaign the address names (`/campagnes/<slug>/…`); null: the current campaign. */
  campaign: string | null;
}

/** `/partijen/:slug` → a RegExp with a named group per parameter (`:slug.png` works too). */
function compile(pattern: string): RegExp {
  const source = pattern
    .split(/(:\w+)/)
    .map((part) => (part.startsWith(':') ? `(?<${part.slice(1)}>[^/]+?)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

const MATCHERS = (Object.entries(ROUTES) as [RouteName, Record<Locale, string>][]).flatMap(([name, paths]) =>
  LOCALES.map((locale) => ({ name, locale, pattern: compile(paths[locale]) })),
);

/**
 * A campaign's address split into the campaign's slug and the page's address without it:
 * `/campagnes/x/partijen/y` → { campaign: 'x', rest: '/partijen/y' }; `/en/campaigns/x` →
 * { campaign: 'x', rest: '/en' }. Null for an address without a campaign. The slug is not
 * checked here (an unknown one is a 404 where campaigns are known).
 */
export function splitCampaignPath(pathname: string): { campaign: string; rest: string } | null {
  for (const locale of LOCALES) {
    const prefix = CAMPAIGN_PREFIX[locale];
    if (!pathname.startsWith(prefix)) continue;
    const end = pathname.indexOf('/', prefix.length);
    const campaign = pathname.slice(prefix.length, end === -1 ? undefined : end);
    if (!campaign) return null;
    const tail = end === -1 ? '' : pathname.slice(end);
    const home = ROUTES.scoreboard[locale];
    return { campaign, rest: tail === '' || tail === '/' ? home : locale === 'nl' ? tail : `/en${tail}` };
  }
  return null;
}

/** Which page (and language) a path is, or null for a path this table does not know. */
export function matchPath(pathname: string): RouteMatch | null {
  const scoped = splitCampaignPath(pathname);
  const path = scoped?.rest ?? pathname;
  for (const { name, locale, pattern } of MATCHERS) {
    const match = pattern.exec(path);
    if (!match) continue;
    // Only a campaign's own pages live under its address (not sign-in or Beheer).
    if (scoped && !CAMPAIGN_ROUTES.has(name)) return null;
    return { name, locale, params: { ...match.groups }, campaign: scoped?.campaign ?? null };
  }
  return null;
}

/**
 * Each path split once at its parameters: ['/partijen/', 'slug', '/doelen/', 'goal', ''] (text
 * at even places, names at odd). A large scoreboard links 5,000 paths in one render.
 */
const PATH_PARTS = new Map<string, string[]>();

/**
 * A page's address. With `campaign`, a campaign's page gets the campaign's own address
 * (`/campagnes/<slug>/…`); other pages (sign-in, Beheer) ignore it.
 */
export function pathTo(name: RouteName, locale: Locale, params: RouteParams = {}, campaign?: string | null): string {
  const path = ROUTES[name][locale];
  let parts = PATH_PARTS.get(path);
  if (!parts) PATH_PARTS.set(path, (parts = path.split(/:(\w+)/)));
  let result = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) result += encodeURIComponent(params[parts[i]!] ?? '') + parts[i + 1]!;
  if (!campaign || !CAMPAIGN_ROUTES.has(name)) return result;
  const tail = locale === 'nl' ? (result === '/' ? '' : result) : result.slice('/en'.length);
  return CAMPAIGN_PREFIX[locale] + encodeURIComponent(campaign) + tail;
}

/** The open-data files of a campaign: `/api/v1/campaigns/<slug>/<file>` (`file` e.g. 'scoreboard.json'). */
export function campaignApiPath(campaign: string, file: string): string {
  return `/api/v1/campaigns/${encodeURIComponent(campaign)}/${file}`;
}

/**
 * An open-data address split into its campaign and the file's address without it:
 * `/api/v1/campaigns/x/scoreboard.json` → { campaign: 'x', rest: '/api/v1/scoreboard.json' }.
 */
export function splitCampaignApiPath(pathname: string): { campaign: string; rest: string } | null {
  const match = /^\/api\/v1\/campaigns\/([^/]+)\/([^/]+)$/.exec(pathname);
  return match && CAMPAIGN_FILES.has(match[2]!) ? { campaign: match[1]!, rest: `/api/v1/${match[2]!}` } : null;
}

/** The open-data files each campaign has (not the API's description, nor the list of campaigns). */
const CAMPAIGN_FILES: ReadonlySet<string> = new Set([
  'scoreboard.json',
  'events.json',
  'pledges.csv',
  'pledges-wide.csv',
  'candidates.json',
  'candidates.csv',
  'follow-up.json',
  'follow-up.csv',
]);

/**
 * The page of a one-time link; the caller puts the site's address in front. In the default
 * language unless the link goes into a mail written in another (the page has a switch).
 */
export function linkPath(purpose: LinkPurpose, token: string, locale: Locale = DEFAULT_LOCALE): string {
  return pathTo(purpose === 'password-reset' ? 'passwordReset' : 'invitation', locale, { token });
}

/** The language of a path that is not in the table: English under /en, else Dutch. */
export function localeOfPath(pathname: string): Locale {
  return pathname === '/en' || pathname.startsWith('/en/') ? 'en' : 'nl';
}

/** Query words per language: parameter names and their values. */
const QUERY_WORDS: Record<string, { name: Record<Locale, string>; values?: Record<string, Record<Locale, string>> }> = {
  sort: {
    name: { nl: 'sorteer', en: 'sort' },
    values: {
      seats: { nl: 'zetels', en: 'seats' },
      name: { nl: 'naam', en: 'name' },
      commitments: { nl: 'toezeggingen', en: 'commitments' },
    },
  },
  stance: {
    name: { nl: 'standpunt', en: 'stance' },
    values: {
      committed: { nl: 'toegezegd', en: 'committed' },
      partial: { nl: 'gedeeltelijk', en: 'partial' },
      declined: { nl: 'niet-toegezegd', en: 'declined' },
      none: { nl: 'geen-reactie', en: 'none' },
    },
  },
  goal: { name: { nl: 'doel', en: 'goal' } },
  // The champions page's filters (a party's slug, a place of residence).
  party: { name: { nl: 'partij', en: 'party' } },
  place: { name: { nl: 'woonplaats', en: 'place' } },
  // A page of a long list (the champions).
  page: { name: { nl: 'pagina', en: 'page' } },
  parties: { name: { nl: 'partijen', en: 'parties' } },
  at: { name: { nl: 'at', en: 'at' } },
  // Beheer → Follow-up: a linked item to import again, or to unlink (its goal in `goal`).
  item: { name: { nl: 'kamerstuk', en: 'item' } },
  unlink: { name: { nl: 'ontkoppel', en: 'unlink' } },
  back: { name: { nl: 'terug', en: 'back' } },
  // After a sign-in with a recovery code (the account page says so).
  recoveryUsed: { name: { nl: 'herstelcode-gebruikt', en: 'recovery-code-used' } },
  // The shape of a social image (src/site/images.ts).
  format: {
    name: { nl: 'formaat', en: 'format' },
    values: {
      landscape: { nl: 'liggend', en: 'landscape' },
      square: { nl: 'vierkant', en: 'square' },
    },
  },
};

export type QueryKey = keyof typeof QUERY_WORDS;

export function queryName(key: QueryKey, locale: Locale): string {
  return QUERY_WORDS[key]!.name[locale];
}

/** A query value as this language writes it. */
export function queryValue(key: QueryKey, code: string, locale: Locale): string {
  return QUERY_WORDS[key]!.values?.[code]?.[locale] ?? code;
}

/** Reads a query parameter in this language's words, returning the language-neutral code. */
export function readQuery(search: URLSearchParams, key: QueryKey, locale: Locale): string | null {
  const raw = search.get(queryName(key, locale));
  if (raw === null) return null;
  const values = QUERY_WORDS[key]!.values;
  if (!values) return raw;
  const found = Object.entries(values).find(([, words]) => words[locale] === raw);
  return found ? found[0] : null;
}

/** The same query in another language's words (for the language switch). */
export function translateQuery(search: URLSearchParams, from: Locale, to: Locale): URLSearchParams {
  const result = new URLSearchParams();
  for (const [name, value] of search) {
    const entry = Object.entries(QUERY_WORDS).find(([, words]) => words.name[from] === name);
    if (!entry) continue; // e.g. an action's leftovers: not part of the page's address
    const [key, words] = entry;
    const code = words.values ? Object.entries(words.values).find(([, v]) => v[from] === value)?.[0] : value;
    if (code !== undefined) result.append(words.name[to], queryValue(key, code, to));
  }
  return result;
}

/**
 * The query that makes a page what it is (a comparison's parties), in a language's words, from
 * language-neutral values the page has already checked: `{ parties: 'a,b' }` → `?partijen=a,b`.
 */
export function identityQuery(values: Partial<Record<QueryKey, string>>, locale: Locale): string {
  const query = Object.entries(values)
    .filter(([, value]) => value)
    .map(([key, value]) => `${queryName(key, locale)}=${encodeURIComponent(queryValue(key, value!, locale)).replace(/%2C/g, ',')}`)
    .join('&');
  return query ? `?${query}` : '';
}

/**
 * What the domain needs to write a mail (outbox.ts): the campaign's name per language (the
 * sender's name), absolute one-time links in the mail's language, and whether this process
 * sends mail (SMTP_URL set) or keeps it (held).
 */
export function mailContextFor(campaignName: Record<Locale, string>, siteUrl: string, sending: boolean): PageMailContext {
  return {
    campaignName,
    linkTo: (purpose, token, locale) => siteUrl + linkPath(purpose, token, locale),
    pageTo: (page, locale, campaign) => siteUrl + pathTo(page, locale, {}, campaign),
    sending,
  };
}
