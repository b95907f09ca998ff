/**
 * The front's cache, with a stand-in for Astro's handler: one render per address and board
 * version (however many ask at once), 304s, compressed variants, no cache for signed-in
 * requests or private pages, and the last good copy when rendering fails.
 */
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app-context.ts';
import { createFrontServer, pathnameOf, type AstroHandler } from '../../src/server/front.ts';
import { cacheableUrl } from '../../src/server/cache-query.ts';
import { ResponseCache, chooseEncoding } from '../../src/server/response-cache.ts';

interface Stage {
  version: number;
  renders: number;
  fail: boolean;
  /** The handler throws instead of answering. */
  throws: boolean;
  cacheControl: string;
  delayMs: number;
  /** The handler fails as Astro's adapter does when it cannot even build the request: no content type. */
  bareFailure: boolean;
  /** Headers the first render adds, as if it had been a signed-in person's (a renewed cookie). */
  firstRenderHeaders: Record<string, string> | null;
}

describe('the front response cache', () => {
  let server: http.Server;
  let base: string;
  let stage: Stage;
  let cache: ResponseCache;

  beforeEach(async () => {
    stage = {
      version: 1,
      renders: 0,
      fail: false,
      throws: false,
      cacheControl: 'public, max-age=0, s-maxage=30',
      delayMs: 0,
      firstRenderHeaders: null,
      bareFailure: false,
    };
    const app = {
      config: { instanceName: 'een', trustProxy: [] },
      database: { ping: async () => {} },
      boardVersion: {
        get current() {
          return stage.version;
        },
        refresh: async () => stage.version,
        close: async () => {},
      },
      health: { up: true, check: async () => true, stop: () => {} },
    } as unknown as AppContext;
    const handler: AstroHandler = async (_req, res) => {
      stage.renders++;
      await new Promise((resolve) => setTimeout(resolve, stage.delayMs));
      if (stage.throws) throw new Error('stand-in failure');
      if (stage.bareFailure) {
        res.statusCode = 500;
        res.end('Internal Server Error');
        return;
      }
      if (stage.fail) {
        res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<html><body>kapot</body></html>');
        return;
      }
      const personal = stage.renders === 1 ? stage.firstRenderHeaders : null;
      const body = `<html lang="nl"><body><h1>Versie ${stage.version}</h1>${personal ? 'Persoonlijk' : ''}${'x'.repeat(2000)}</body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': stage.cacheControl, ...personal });
      res.end(body);
    };
    cache = new ResponseCache();
    const staticFiles = new Map([
      ['/favicon.svg', { body: Buffer.from('<svg/>'), type: 'image/svg+xml', cacheControl: 'public, max-age=31536000, immutable' }],
    ]);
    server = createFrontServer({ app, astroHandler: handler, staticFiles, cache });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  const get = (path = '/', headers: Record<string, string> = {}) => fetch(base + path, { headers });

  it('renders a page once, then answers from the cache', async () => {
    const first = await get();
    expect(first.headers.get('x-pledgeboard-cache')).toBe('miss');
    const second = await get();
    expect(second.headers.get('x-pledgeboard-cache')).toBe('hit');
    expect(await second.text()).toBe(await first.text());
    expect(stage.renders).toBe(1);
  });

  it('renders once for a burst of simultaneous misses', async () => {
    stage.delayMs = 50;
    const responses = await Promise.all(Array.from({ length: 25 }, () => get('/drukte')));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(stage.renders).toBe(1);
  });

  it('a new board version makes the entry stale: the next request renders afresh', async () => {
    await get();
    stage.version = 2;
    const after = await get();
    expect(after.headers.get('x-pledgeboard-cache')).toBe('miss');
    expect(await after.text()).toContain('Versie 2');
    expect(stage.renders).toBe(2);
  });

  it('answers If-None-Match with 304, and serves brotli, gzip or plain as asked', async () => {
    const plain = await get('/', { 'accept-encoding': 'identity' });
    const body = Buffer.from(await plain.arrayBuffer());
    const etag = plain.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect((await get('/', { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/', { 'if-none-match': '"iets anders"' })).status).toBe(200);

    const raw = (encoding: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve) => {
        http.get(`${base}/`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        });
      });
    const br = await raw('gzip, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body)).toEqual(body);
    expect(br.body.length).toBeLessThan(body.length / 5);
    const gz = await raw('gzip;q=1, br;q=0');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body)).toEqual(body);
    expect(br.headers.vary).toBe('Accept-Encoding');
  });

  it('every answer carries the security headers of its path and the instance name: miss, hit, 304, stale and bypass', async () => {
    const answers = { miss: await get('/'), hit: await get('/') };
    const etag = answers.hit.headers.get('etag')!;
    const notModified = await get('/', { 'if-none-match': etag });
    const embedMiss = await get('/embed/scorebord');
    const embedHit = await get('/embed/scorebord');
    stage.cacheControl = 'private, no-store';
    const bypass = await get('/prive');
    stage.version = 2;
    stage.fail = true;
    const stale = await get('/');
    const pages = { ...answers, notModified, bypass, stale };
    for (const [what, response] of Object.entries(pages)) {
      expect(response.headers.get('x-frame-options'), what).toBe('DENY');
      expect(response.headers.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(response.headers.get('x-served-by'), what).toBe('een');
    }
    expect(notModified.status).toBe(304);
    expect([pages.miss, pages.hit, notModified, bypass, stale].map((r) => r.headers.get('x-pledgeboard-cache'))).toEqual([
      'miss',
      'hit',
      'hit',
      'bypass',
      'stale',
    ]);
    for (const response of [embedMiss, embedHit]) {
      expect(response.headers.get('x-frame-options')).toBeNull();
      expect(response.headers.get('content-security-policy')).toContain('frame-ancestors *');
      expect(response.headers.get('x-served-by')).toBe('een');
    }
  });

  it('so does every answer the cache does not give: health checks, static files, signed-in pages and failures', async () => {
    const answers = {
      healthz: await get('/healthz'),
      readyz: await get('/readyz'),
      staticFile: await get('/favicon.svg'),
      signedIn: await get('/', { cookie: 'pb_session=abc' }),
      post: await fetch(base + '/', { method: 'POST' }),
    };
    stage.throws = true;
    const failures = { publicFailure: await get('/kapot'), signedInFailure: await get('/kapot', { cookie: 'pb_session=abc' }) };
    for (const [what, response] of Object.entries({ ...answers, ...failures })) {
      expect(response.headers.get('x-frame-options'), what).toBe('DENY');
      expect(response.headers.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-served-by'), what).toBe('een');
    }
    expect(Object.values(answers).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await answers.staticFile.text()).toBe('<svg/>');
    expect(Object.values(failures).map((r) => r.status)).toEqual([500, 500]);
  });

  it('never serves a signed-in request from the cache, nor keeps a private page', async () => {
    await get();
    const signedIn = await get('/', { cookie: 'pb_session=abc' });
    expect(signedIn.headers.get('x-pledgeboard-cache')).toBeNull();
    stage.cacheControl = 'private, no-store';
    await get('/prive');
    const again = await get('/prive');
    expect(again.headers.get('x-pledgeboard-cache')).toBe('bypass');
    expect(cache.size).toBe(1);
  });

  it('compresses a page it does not keep (a private page, a failure) as the client allows', async () => {
    stage.cacheControl = 'private, no-store';
    const raw = (headers: Record<string, string>) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http
          .get(`${base}/prive`, { headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    const br = await raw({ 'accept-encoding': 'gzip, br' });
    expect(br.headers['x-pledgeboard-cache']).toBe('bypass');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).toString()).toContain('<h1>Versie 1</h1>');
    const gz = await raw({ 'accept-encoding': 'gzip' });
    expect(gunzipSync(gz.body).toString()).toContain('<h1>Versie 1</h1>');
    const plain = await raw({});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toContain('<h1>Versie 1</h1>');
    const refused = await raw({ 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('takes a request as signed in whenever Astro would read a session from its cookies', async () => {
    await get();
    // Astro's parser (the cookie package) trims names and values and takes the first pair.
    for (const cookie of [
      'pb_session =abc',
      'pb_session= abc',
      'thema=donker; pb_session =abc',
      'thema=donker;pb_session=abc',
      '  pb_session\t=abc',
      'pb_session=abc; pb_session=',
    ]) {
      const response = await get('/', { cookie });
      expect(response.headers.get('x-pledgeboard-cache'), cookie).toBeNull();
    }
    // No value, or another cookie whose name merely ends in pb_session: no session, the cache answers.
    for (const cookie of ['pb_session=', 'oud_pb_session=abc', 'thema=donker', 'pb_session=; pb_session=abc']) {
      const response = await get('/', { cookie });
      expect(response.headers.get('x-pledgeboard-cache'), cookie).toBe('hit');
    }
  });

  for (const [what, headers] of [
    ['a Set-Cookie', { 'set-cookie': 'pb_session=vernieuwd; Path=/; HttpOnly' }],
    ['Cache-Control: private', { 'cache-control': 'private' }],
    ['Cache-Control: no-store', { 'cache-control': 'public, no-store' }],
  ] as const) {
    it(`never hands a render with ${what} to the requests that waited for it, nor keeps it`, async () => {
      stage.delayMs = 50;
      stage.firstRenderHeaders = headers;
      const responses = await Promise.all(Array.from({ length: 5 }, () => get('/gedeeld')));
      const texts = await Promise.all(responses.map((r) => r.text()));
      expect(texts.filter((text) => text.includes('Persoonlijk'))).toHaveLength(1);
      expect(responses.filter((r) => r.headers.get('set-cookie') !== null).length).toBeLessThanOrEqual(1);
      const later = await get('/gedeeld');
      expect(later.headers.get('set-cookie')).toBeNull();
      expect(await later.text()).not.toContain('Persoonlijk');
    });
  }

  it('gives a failure without a content type one, signed in or not', async () => {
    stage.bareFailure = true;
    for (const headers of [{}, { cookie: 'pb_session=abc' }] as Record<string, string>[]) {
      const response = await get('/kapot', headers);
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type'), JSON.stringify(headers)).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toBe('Internal Server Error');
    }
  });

  it('serves the last good copy, marked stale, when rendering fails', async () => {
    await get();
    stage.version = 2;
    stage.fail = true;
    const stale = await get();
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-pledgeboard-cache')).toBe('stale');
    expect(stale.headers.get('cache-control')).toBe('no-store');
    const text = await stale.text();
    expect(text).toContain('Versie 1');
    expect(text).toContain('class="stale-note"');
    // With no copy at all, the failure is passed on.
    expect((await get('/nooit-gezien')).status).toBe(500);
  });

  it('keeps within its bounds: an entry read since it came in outlasts one that was not, and the newcomer is spared', () => {
    const small = new ResponseCache({ maxEntries: 2 });
    const entry = (n: number) => ({
      version: 1,
      status: 200,
      headers: {},
      etag: `"${n}"`,
      identity: Buffer.alloc(10),
      br: Buffer.alloc(1),
      gzip: Buffer.alloc(1),
    });
    small.set('/a', entry(1));
    small.set('/b', entry(2));
    small.get('/a');
    small.set('/c', entry(3));
    expect([small.get('/a')?.etag, small.get('/b'), small.get('/c')?.etag]).toEqual(['"1"', undefined, '"3"']);
    // The line is now /c, /a, both read (by the line above): each gets a second chance, so does
    // /d once, and then /c, first in line, goes.
    small.set('/d', entry(4));
    expect([small.get('/a')?.etag, small.get('/c'), small.get('/d')?.etag]).toEqual(['"1"', undefined, '"4"']);
    const tiny = new ResponseCache({ maxBytes: 30 });
    tiny.set('/a', entry(1));
    tiny.set('/b', entry(2));
    tiny.set('/c', entry(3));
    expect(tiny.size).toBe(2);
    expect(tiny.storedBytes).toBeLessThanOrEqual(30);
  });

  it('picks the encoding the client prefers and allows', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding('identity')).toBe('identity');
    // Remembered answers stay right however many odd values come by, long ones included.
    for (let n = 0; n < 600; n++) expect(chooseEncoding(`x-${n}, gzip;q=0.${(n % 9) + 1}`)).toBe('gzip');
    expect(chooseEncoding(`${'x-lang, '.repeat(30)}br;q=0, gzip`)).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
  });
});

describe('the path of a request address', () => {
  it('cuts the plain case from the string, and resolves anything unusual as a URL does', () => {
    expect(pathnameOf('/partijen/zeewind?at=2026-01-01T00:00:00Z')).toBe('/partijen/zeewind');
    expect(pathnameOf('/')).toBe('/');
    // An embed address that walks out of /embed is not an embed (it may not be framed).
    expect(pathnameOf('/embed/../beheer')).toBe('/beheer');
    expect(pathnameOf('/embed/%2e%2e/beheer')).toBe('/beheer');
    expect(pathnameOf('/embed\\..\\beheer')).toBe('/beheer');
  });

  it('says null for an address that is none, instead of throwing', () => {
    for (const url of ['//a%zz', '//[', 'http://[x/']) expect(pathnameOf(url), url).toBeNull();
  });
});

describe('Strict-Transport-Security', () => {
  const HSTS = 'max-age=63072000; includeSubDomains';

  async function answersOf(config: Partial<AppContext['config']>): Promise<Record<string, Response>> {
    const app = {
      config: { instanceName: undefined, trustProxy: [], ...config },
      boardVersion: { current: 1 },
      health: { up: true, check: async () => true },
    } as unknown as AppContext;
    const handler: AstroHandler = (req, res) => {
      const signedIn = req.headers.cookie !== undefined;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': signedIn ? 'private, no-store' : 'public, s-maxage=30' });
      res.end('<html><body>pagina</body></html>');
    };
    const staticFiles = new Map([['/favicon.svg', { body: Buffer.from('<svg/>'), type: 'image/svg+xml', cacheControl: 'public, max-age=3600' }]]);
    const server = createFrontServer({ app, astroHandler: handler, staticFiles });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      return {
        miss: await fetch(`${base}/`),
        hit: await fetch(`${base}/`),
        embed: await fetch(`${base}/embed/scorebord`),
        signedIn: await fetch(`${base}/`, { headers: { cookie: 'pb_session=abc' } }),
        post: await fetch(`${base}/`, { method: 'POST' }),
        staticFile: await fetch(`${base}/favicon.svg`),
        healthz: await fetch(`${base}/healthz`),
        refused: await fetch(`${base}/`, { method: 'PUT' }),
      };
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('goes out with every answer in production, whatever answers it', async () => {
    for (const [what, response] of Object.entries(await answersOf({ production: true, publicUrl: undefined, instanceName: 'een' }))) {
      expect(response.headers.get('strict-transport-security'), what).toBe(HSTS);
      expect(response.headers.get('x-served-by'), what).toBe('een');
    }
  });

  it('goes out too when the public address is https, whatever NODE_ENV says', async () => {
    for (const [what, response] of Object.entries(await answersOf({ production: false, publicUrl: 'https://stemwijzer.example' }))) {
      expect(response.headers.get('strict-transport-security'), what).toBe(HSTS);
    }
  });

  it('stays away in development on plain http (a browser would pin localhost to https)', async () => {
    for (const [what, response] of Object.entries(await answersOf({ production: false, publicUrl: 'http://localhost:4321' }))) {
      expect(response.headers.get('strict-transport-security'), what).toBeNull();
    }
  });
});

describe('the address a cached page is kept and rendered under', () => {
  it('keeps only parameters pages read, sorted by name, doubled ones in their order, as encoded', () => {
    expect(cacheableUrl('/')).toBe('/');
    expect(cacheableUrl('/?utm_source=x&fbclid=y')).toBe('/');
    expect(cacheableUrl('/?&&')).toBe('/');
    expect(cacheableUrl('/?standpunt=toegezegd&x=1&sorteer=naam')).toBe('/?sorteer=naam&standpunt=toegezegd');
    expect(cacheableUrl('/vergelijk?partijen=b&x&partijen=a')).toBe('/vergelijk?partijen=b&partijen=a');
    expect(cacheableUrl('/en/compare?parties=a%2Cb&at=2026-01-01T00%3A00%3A00Z')).toBe('/en/compare?at=2026-01-01T00%3A00%3A00Z&parties=a%2Cb');
    expect(cacheableUrl('/?%73orteer=naam')).toBe('/?%73orteer=naam'); // an escaped name is still that name
    expect(cacheableUrl('/?%zz=1')).toBe('/');
    expect(cacheableUrl('/_image?href=/a.png&w=10')).toBe('/_image?href=/a.png&w=10');
  });
});
