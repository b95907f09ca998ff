/**
 * The node:http front: owns the port, answers health checks and static files itself, serves
 * public pages from its response cache, and hands everything else to Astro's handler.
 *
 * The cache: a GET or HEAD without a session cookie is answered from the entry for its
 * address while nothing it shows has changed since it was made: its campaign's own data and
 * what all campaigns share (src/server/board-version.ts; 304 when the client has it). On a
 * miss the page is rendered once (concurrent misses wait for the same render) and kept if it
 * says `Cache-Control: public`. After a write, the first reader of an address waits for its
 * new render; readers who come while it renders get the previous copy at once (stale while
 * revalidating, for at most MAX_STALE_MS after the write). When rendering fails (the database
 * is down), the last good copy is served, marked stale.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { AfterResponseTasks, afterResponseScope, clientIpScope, type AppContext } from '../app-context.ts';
import { translateMessage } from '../i18n/ui.ts';
import { sessionTokenOf } from '../site/cookies.ts';
import { etagMatches } from '../site/etag.ts';
import { cacheableUrl } from './cache-query.ts';
import { boardScopeOf } from './board-scope.ts';
import { captureResponse, type AstroHandler, type Captured } from './capture.ts';
import { clientIpOf, trustedProxies } from './client-ip.ts';
import {
  chooseEncoding,
  completeEntry,
  compress,
  isCompressible,
  prepareEntry,
  ResponseCache,
  variantOf,
  type CachedResponse,
  type Encoding,
} from './response-cache.ts';
import { refusalOf } from './request-checks.ts';
import { HSTS, securityHeadersFor, sendsHsts } from './security-headers.ts';
import { serveStaticFile, type StaticFiles } from './static-files.ts';

export type { AstroHandler };

export interface FrontOptions {
  app: AppContext;
  astroHandler: AstroHandler;
  staticFiles: StaticFiles;
  cache?: ResponseCache;
  /** How long /readyz waits for the database before calling it unavailable. */
  readyTimeoutMs?: number;
}

/**
 * While a new copy renders, readers of the previous one get it at once, for at most this long
 * after the write that made it old; later they wait for the render like a miss. A render takes
 * 10 ms for 15 parties and 0.2 s for 1,000, a few times that on a busy machine, so this only
 * bites when rendering hangs; it is about as long as the heartbeat takes to call the database
 * down (two missed beats, 4 to 7 s), after which the outage rules take over; and it is small
 * next to what Cache-Control already lets a CDN keep (30 s, and 300 more while it refetches).
 */
const MAX_STALE_MS = 5000;

/**
 * Pages larger than this are served but not kept. A 1,000-party scoreboard is 2.2 MB, and it is
 * the page that most needs keeping; the cache's own bound (64 MB by default) still holds.
 */
const MAX_CACHED_BODY = 8 * 1024 * 1024;

function sendText(res: ServerResponse, status: number, text: string, headers: http.OutgoingHttpHeaders): void {
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Behind a TLS-terminating proxy the instance sees plain HTTP from the proxy. With PUBLIC_URL
 * set, requests are taken as addressed to it (host and https), so that absolute links and
 * Astro's check that a form comes from this site agree with what the browser saw.
 */
function adaptToProxy(req: IncomingMessage, config: AppContext['config']): void {
  if (!config.publicUrl) return;
  const publicUrl = new URL(config.publicUrl);
  req.headers.host = publicUrl.host;
  if (publicUrl.protocol === 'https:' && !('encrypted' in req.socket)) {
    Object.defineProperty(req.socket, 'encrypted', { value: true, configurable: true });
  }
}

/** Read as the middleware reads it (one parser for both), so that the two never disagree. */
function hasSessionCookie(req: IncomingMessage): boolean {
  return sessionTokenOf(req.headers.cookie) !== undefined;
}

/**
 * The path of a request address. The plain case (no dot segments, no escapes) is cut from the
 * string; anything else goes through URL, which resolves `/embed/../beheer` to `/beheer`.
 * Null when the address is none at all (`//a%zz`): the client gets a 400.
 */
export function pathnameOf(url: string): string | null {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  // `//x` would be read as a host by URL (and by Astro after us): it is not the plain case.
  if (path.startsWith('/') && !path.startsWith('//') && !/\/\.|%|\\/.test(path)) return path;
  return URL.parse(url, 'http://front')?.pathname ?? null;
}

/**
 * Whether a render may go to anyone but the request that asked for it: never with a cookie of
 * its own, nor one that says it is private or not to be stored (a signed-in person's page).
 */
function isShareable(captured: Captured): boolean {
  const cacheControl = String(captured.headers['cache-control'] ?? '');
  return captured.headers['set-cookie'] === undefined && !/\b(?:private|no-store)\b/i.test(cacheControl);
}

function isCacheable(captured: Captured): boolean {
  const cacheControl = String(captured.headers['cache-control'] ?? '');
  return captured.status === 200 && /\bpublic\b/i.test(cacheControl) && isShareable(captured) && captured.body.length <= MAX_CACHED_BODY;
}

/**
 * What a previous copy, given while the new one renders, tells the caches after us: it is out
 * of date as we send it, so no browser or CDN may take it as fresh for the page's own s-maxage
 * (30 s more of the old board); no-cache lets them keep it, but only to revalidate with its
 * ETag first (a 304 while it is still what we have, the new page once it is ready).
 */
const REVALIDATING_CACHE_CONTROL = 'public, no-cache';

const STALE_NOTE = {
  nl: 'Deze pagina is mogelijk niet actueel: de gegevens zijn even niet bereikbaar.',
  en: 'This page may be out of date: the data cannot be reached right now.',
};

/** The last good copy, with a note at the top of an HTML page. */
function staleBody(entry: CachedResponse, path: string): Buffer {
  if (!String(entry.headers['content-type'] ?? '').startsWith('text/html')) return entry.identity;
  const note = STALE_NOTE[path.startsWith('/en') ? 'en' : 'nl'];
  return Buffer.from(entry.identity.toString('utf8').replace(/<body([^>]*)>/, `<body$1><p class="stale-note" role="status">${note}</p>`));
}

/** Headers every answer carries, whatever it is: shared objects, never changed. */
type FixedHeaders = Readonly<Record<string, string>>;

function setFixedHeaders(res: ServerResponse, fixed: FixedHeaders): void {
  for (const name in fixed) res.setHeader(name, fixed[name]!);
}

type Variant = Encoding | 'not-modified';

/**
 * How an answer from the cache came about. `stale` is the last good copy while the database
 * is down (a note, no-store); `revalidating` the previous copy while the new one renders (no
 * note, no-cache); both say `stale` in X-Pledgeboard-Cache.
 */
type CacheState = 'hit' | 'miss' | 'stale' | 'revalidating';

/** The headers of an answer from the cache: the fixed ones first, then the page's own. */
function headersOf(entry: CachedResponse, variant: Variant, state: CacheState, fixed: FixedHeaders): http.OutgoingHttpHeaders {
  const shown = state === 'revalidating' ? 'stale' : state;
  if (variant === 'not-modified') {
    const headers: http.OutgoingHttpHeaders = { ...fixed, etag: entry.etag, vary: 'Accept-Encoding', 'x-pledgeboard-cache': shown };
    const cacheControl = entry.headers['cache-control'];
    if (cacheControl !== undefined) headers['cache-control'] = String(cacheControl);
    if (state === 'revalidating') headers['cache-control'] = REVALIDATING_CACHE_CONTROL;
    return headers;
  }
  const headers: http.OutgoingHttpHeaders = { ...fixed, ...entry.headers, etag: entry.etag, vary: 'Accept-Encoding', 'x-pledgeboard-cache': shown };
  if (state === 'revalidating') headers['cache-control'] = REVALIDATING_CACHE_CONTROL;
  if (variant !== 'identity') headers['content-encoding'] = variant;
  headers['content-length'] = entry[variant]!.length;
  return headers;
}

/**
 * A hit's headers are the same every time: built once per entry and variant, so that a hit,
 * tens of thousands a second on election night, allocates no header object of its own. An
 * entry belongs to one address, so its fixed headers (which depend on the path) never change.
 * The same goes for an entry given while its successor renders, thousands a second then.
 */
type Memoized = 'hit' | 'revalidating';
const headersMemo = new WeakMap<CachedResponse, Partial<Record<Memoized, Partial<Record<Variant, http.OutgoingHttpHeaders>>>>>();

function memoizedHeaders(entry: CachedResponse, variant: Variant, state: Memoized, fixed: FixedHeaders): http.OutgoingHttpHeaders {
  let memo = headersMemo.get(entry);
  if (!memo) headersMemo.set(entry, (memo = {}));
  const byVariant = (memo[state] ??= {});
  return (byVariant[variant] ??= Object.freeze(headersOf(entry, variant, state, fixed)));
}

function send(req: IncomingMessage, res: ServerResponse, entry: CachedResponse, state: CacheState, path: string, fixed: FixedHeaders): void | Promise<void> {
  if (state === 'stale') {
    const body = staleBody(entry, path);
    res.writeHead(entry.status, {
      ...headersOf(entry, 'identity', state, fixed),
      'cache-control': 'no-store',
      warning: '110 - "Response is Stale"',
      'content-length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  const variant: Variant = etagMatches(req.headers['if-none-match'], entry.etag) ? 'not-modified' : chooseEncoding(req.headers['accept-encoding']);
  // Made after the miss that kept the entry answered (in its reader's encoding): wait for it.
  if (variant !== 'not-modified' && variant !== 'identity' && entry[variant] === null) {
    return variantOf(entry, variant).then(() => send(req, res, entry, state, path, fixed));
  }
  res.writeHead(
    variant === 'not-modified' ? 304 : entry.status,
    state === 'miss' ? headersOf(entry, variant, state, fixed) : memoizedHeaders(entry, variant, state, fixed),
  );
  res.end(variant === 'not-modified' || req.method === 'HEAD' ? undefined : entry[variant]!);
}

/**
 * Astro's adapter answers a request it cannot turn into a Fetch API Request with a bare
 * `500 Internal Server Error`: no content type. Failures say what they are.
 */
const FAILURE_TYPE = 'text/plain; charset=utf-8';

function hasContentType(headers: http.OutgoingHttpHeaders | readonly unknown[] | undefined): boolean {
  return !!headers && !Array.isArray(headers) && Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
}

/** Makes every 5xx this response sends carry a content type, however Astro writes it. */
function typeFailures(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = function (status: number, ...rest: unknown[]) {
    const headers = rest.find((arg) => typeof arg === 'object') as http.OutgoingHttpHeaders | undefined;
    if (status >= 500 && !res.hasHeader('content-type') && !hasContentType(headers)) res.setHeader('content-type', FAILURE_TYPE);
    return writeHead(status, ...rest);
  };
}

/**
 * A render that is not kept (a form, a 404, a page with a session): compressed like a cached
 * one when the client takes it, so that a phone on a slow line does not wait for the bytes.
 */
async function sendCaptured(req: IncomingMessage, res: ServerResponse, captured: Captured, fixed: FixedHeaders): Promise<void> {
  const type = captured.status >= 500 && captured.headers['content-type'] === undefined ? { 'content-type': FAILURE_TYPE } : {};
  const encoding = isCompressible(captured.headers, captured.body) ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
  const body = encoding === 'identity' ? captured.body : await compress(captured.body, encoding);
  const encoded = encoding === 'identity' ? {} : { 'content-encoding': encoding, vary: varyWithAcceptEncoding(captured.headers.vary) };
  res.writeHead(captured.status, { ...fixed, ...type, ...captured.headers, ...encoded, 'content-length': body.length, 'x-pledgeboard-cache': 'bypass' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function varyWithAcceptEncoding(vary: string | string[] | undefined): string {
  const names = [vary ?? []].flat().join(', ');
  return /\baccept-encoding\b/i.test(names) ? names : names ? `${names}, Accept-Encoding` : 'Accept-Encoding';
}

/** A render, and its cache entry when it may be kept. */
interface Rendered {
  captured: Captured;
  entry: CachedResponse | null;
}

export function createFrontServer({ app, astroHandler, staticFiles, cache = new ResponseCache(), readyTimeoutMs = 2000 }: FrontOptions): http.Server {
  /**
   * The render in flight for each address (the newest, if a write came while an older one
   * ran), so that a burst of misses for one address and version renders (and compresses) it
   * once, and readers of the previous copy know a new one is on its way. A flight ends only
   * once its entry is kept: a request arriving in between would otherwise find neither and
   * render again.
   */
  const rendering = new Map<string, { version: number; done: Promise<Rendered> }>();

  function renderAlone(req: IncomingMessage): Promise<Captured> {
    // Render as a plain GET: the front answers conditionals and HEAD itself.
    req.method = 'GET';
    delete req.headers['if-none-match'];
    delete req.headers['if-modified-since'];
    return captureResponse(astroHandler, req, { app });
  }

  async function renderAndKeep(key: string, version: number, req: IncomingMessage): Promise<Rendered> {
    const captured = await renderAlone(req);
    if (!isCacheable(captured)) return { captured, entry: null };
    // The reader who missed waits for its own encoding only; the others are made right after.
    const entry = await prepareEntry(version, captured.status, captured.headers, captured.body, chooseEncoding(req.headers['accept-encoding']));
    // Kept if it is newer than what is kept, even when a write came while it rendered: it is
    // then out of date at once, but it is the copy readers should get while the next renders.
    // (It is labelled with the version it started from, so it is never taken for newer.)
    const kept = cache.get(key);
    if (!kept || kept.version < version) {
      cache.set(key, entry);
      void completeEntry(entry).then(() => cache.grew(key, entry));
    }
    return { captured, entry };
  }

  async function render(key: string, version: number, req: IncomingMessage): Promise<Rendered> {
    const joined = rendering.get(key);
    if (joined?.version === version) {
      const rendered = await joined.done;
      // Someone else's render that turned out personal is theirs alone: render our own.
      return isShareable(rendered.captured) ? rendered : { captured: await renderAlone(req), entry: null };
    }
    const flight = {
      version,
      done: renderAndKeep(key, version, req).finally(() => {
        if (rendering.get(key) === flight) rendering.delete(key);
      }),
    };
    rendering.set(key, flight);
    return flight.done;
  }

  /**
   * Whether a reader may be given the previous copy at once: a newer one is rendering (for the
   * reader who came first after the write, who waits for it), the database answers (else the
   * outage rules apply), and the write that made the copy old was at most MAX_STALE_MS ago.
   * A render of an older write still in flight counts: when it is done, the next reader starts
   * the render of the latest write. So a page has at most one render in flight however fast
   * the writes come, and the copy given is never more than MAX_STALE_MS out of date. (Timed
   * from the first write of any campaign after the copy was made: a later one may be the one
   * that concerns it, but an earlier one may too, so the earliest is the safe bound.)
   */
  function mayServePrevious(key: string, entry: CachedResponse): boolean {
    if (!app.health.up || !rendering.has(key)) return false;
    const since = app.boardVersion.supersededAt(entry.version);
    return since !== undefined && performance.now() - since <= MAX_STALE_MS;
  }

  async function serveCached(req: IncomingMessage, res: ServerResponse, fixed: FixedHeaders): Promise<void> {
    const path = req.url ?? '/';
    // Without PUBLIC_URL, pages write absolute links (canonical, og:url) from the Host header:
    // one cached copy per host, so that a forged Host never reaches another reader.
    const key = app.config.publicUrl ? path : `${req.headers.host ?? ''}${path}`;
    const version = app.boardVersion.current;
    const entry = cache.get(key);
    // Good while nothing this address shows has changed since it was made (its campaign's own
    // data, or what all campaigns share): a write to one campaign leaves the others' copies.
    if (entry && entry.version >= app.boardVersion.changedAt(boardScopeOf(path))) return send(req, res, entry, app.health.up ? 'hit' : 'stale', path, fixed);
    if (entry && mayServePrevious(key, entry)) return send(req, res, entry, 'revalidating', path, fixed);

    const method = req.method;
    const conditional = req.headers['if-none-match'];
    let rendered: Rendered;
    try {
      rendered = await render(key, version, req);
    } catch (error) {
      if (entry) return send(req, res, entry, 'stale', path, fixed);
      throw error;
    }
    req.method = method;
    req.headers['if-none-match'] = conditional;
    if (rendered.entry) return send(req, res, rendered.entry, 'miss', path, fixed);
    if (rendered.captured.status >= 500 && entry) return send(req, res, entry, 'stale', path, fixed);
    return await sendCaptured(req, res, rendered.captured, fixed);
  }

  /**
   * The security headers of a path, HSTS in production, and which instance answered (behind
   * a balancer): one frozen object per kind of path, built once.
   */
  const perInstance: Record<string, string> = {
    ...(sendsHsts(app.config) ? { 'strict-transport-security': HSTS } : {}),
    ...(app.config.instanceName ? { 'x-served-by': app.config.instanceName } : {}),
  };
  const hasPerInstance = Object.keys(perInstance).length > 0;
  const withPerInstance = new Map<FixedHeaders, FixedHeaders>();
  function fixedHeadersFor(pathname: string): FixedHeaders {
    const security = securityHeadersFor(pathname);
    if (!hasPerInstance) return security;
    let fixed = withPerInstance.get(security);
    if (!fixed) withPerInstance.set(security, (fixed = Object.freeze({ ...security, ...perInstance })));
    return fixed;
  }

  /** The paths the front answers itself, below in the request handler: never from the cache. */
  function answeredByFront(pathname: string): boolean {
    return pathname === '/healthz' || pathname === '/readyz' || staticFiles.has(pathname);
  }

  /** What the front answers from its cache: public reads of anything it does not answer itself. */
  function isCacheCandidate(req: IncomingMessage, pathname: string): boolean {
    return (req.method === 'GET' || req.method === 'HEAD') && !answeredByFront(pathname) && !hasSessionCookie(req);
  }

  function answerFailure(req: IncomingMessage, res: ServerResponse, error: unknown, fixed: FixedHeaders): void {
    console.error(`Could not answer ${req.method} ${req.url}:`, error);
    if (!res.headersSent) {
      setFixedHeaders(res, fixed);
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal Server Error');
    } else {
      res.destroy();
    }
  }

  const proxies = trustedProxies(app.config.trustProxy);
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = pathnameOf(req.url ?? '/');
    if (pathname === null) return sendText(res, 400, translateMessage('nl', 'site.badAddress'), fixedHeadersFor('/'));
    const fixed = fixedHeadersFor(pathname);
    const refusal = refusalOf(req, pathname);
    if (refusal?.status === 204) {
      res.writeHead(204, { ...fixed, ...refusal.headers }).end();
      return;
    }
    if (refusal) return sendText(res, refusal.status, refusal.body, { ...fixed, ...refusal.headers });
    if (isCacheCandidate(req, pathname)) {
      // The hot path: the fixed headers go out with the cached ones in one writeHead.
      adaptToProxy(req, app.config);
      req.url = cacheableUrl(req.url ?? '/');
      try {
        return await serveCached(req, res, fixed);
      } catch (error) {
        return answerFailure(req, res, error, fixed);
      }
    }

    setFixedHeaders(res, fixed);
    // What answeredByFront lists:
    if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (pathname === '/readyz') {
      return (await app.health.check(readyTimeoutMs))
        ? sendJson(res, 200, { status: 'ready' })
        : sendJson(res, 503, { status: 'unavailable', reason: 'database does not answer' });
    }
    if (serveStaticFile(staticFiles, pathname, req, res)) return;

    adaptToProxy(req, app.config);
    typeFailures(res);
    try {
      const clientIp = clientIpOf(req, { trustedProxies: proxies });
      // Work a page leaves for after its answer (afterResponse) starts once the response is out.
      const after = new AfterResponseTasks();
      res.once('close', () => after.run());
      await clientIpScope().run(clientIp, () => afterResponseScope().run(after, () => astroHandler(req, res, undefined, { app, clientIp })));
    } catch (error) {
      answerFailure(req, res, error, fixed);
    }
  }

  // Whatever escapes a request's own handling (a health check that throws) still gets an answer.
  return http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => answerFailure(req, res, error, fixedHeadersFor('/')));
  });
}
