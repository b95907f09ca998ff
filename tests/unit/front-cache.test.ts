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
import { VersionHistory } from '../../src/server/board-version.ts';

interface Stage {
  version: number;
  /** When (performance.now()) the version last moved: what supersededAt answers. */
  changedAt: number;
  /** The database answers (else the outage rules apply). */
  up: boolean;
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
  /** Bytes of filler in the page (a large board is megabytes). */
  filler: number;
}

/** A GET with exactly these headers, its body as sent (Node's fetch would decode it). */
function raw(base: string, path: string, encoding: string) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('the front response cache', () => {
  let server: http.Server;
  let base: string;
  let stage: Stage;
  let cache: ResponseCache;

  beforeEach(async () => {
    stage = {
      version: 1,
      changedAt: performance.now(),
      up: true,
      renders: 0,
      fail: false,
      throws: false,
      cacheControl: 'public, max-age=0, s-maxage=30',
      delayMs: 0,
      firstRenderHeaders: null,
      bareFailure: false,
      filler: 2000,
    };
    const app = {
      config: { instanceName: 'een', trustProxy: [] },
      database: { ping: async () => {} },
      boardVersion: {
        get current() {
          return stage.version;
        },
        changedAt: () => stage.version,
        supersededAt: (version: number) => (version < stage.version ? stage.changedAt : undefined),
        refresh: async () => stage.version,
        close: async () => {},
      },
      health: {
        get up() {
          return stage.up;
        },
        check: async () => stage.up,
        stop: () => {},
      },
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
      const body = `<html lang="nl"><body><h1>Versie ${stage.version}</h1>${personal ? 'Persoonlijk' : ''}${'x'.repeat(stage.filler)}</body></html>`;
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

  it('keeps a page of a few megabytes (a 1,000-party board), but not one larger than 8 MB', async () => {
    stage.filler = 3 * 1024 * 1024;
    await get('/groot');
    expect((await get('/groot')).headers.get('x-pledgeboard-cache')).toBe('hit');
    stage.filler = 9 * 1024 * 1024;
    await get('/te-groot');
    const tooLarge = await get('/te-groot');
    expect(tooLarge.headers.get('x-pledgeboard-cache')).toBe('bypass');
    expect((await tooLarge.text()).length).toBeGreaterThan(9 * 1024 * 1024);
    expect(stage.renders).toBe(3);
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

    const br = await raw(base, '/', 'gzip, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body)).toEqual(body);
    expect(br.body.length).toBeLessThan(body.length / 5);
    const gz = await raw(base, '/', 'gzip;q=1, br;q=0');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body)).toEqual(body);
    expect(br.headers.vary).toBe('Accept-Encoding');
  });

  it('a miss waits for its own encoding only; the others follow, counted in the cache’s bytes once made', async () => {
    stage.filler = 200_000;
    const gz = await raw(base, '/varianten', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['x-pledgeboard-cache']).toBe('miss');
    const page = gunzipSync(gz.body);
    // Kept with gzip only at first: brotli is made after the answer, off the reader's path.
    const countedAtFirst = cache.storedBytes;
    expect(countedAtFirst).toBeLessThan(page.length + gz.body.length + 100);
    await expect.poll(() => cache.storedBytes).toBeGreaterThan(countedAtFirst);
    const br = await raw(base, '/varianten', 'br');
    expect(br.headers['x-pledgeboard-cache']).toBe('hit');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body)).toEqual(page);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(cache.storedBytes).toBe(page.length + gz.body.length + br.body.length);
    expect(stage.renders).toBe(1);
  });

  it('a reader of another encoding who joins a miss’s render gets their own, whole', async () => {
    stage.filler = 300_000;
    stage.delayMs = 50;
    const [gz, br, plain] = await Promise.all([raw(base, '/samen', 'gzip'), raw(base, '/samen', 'br'), raw(base, '/samen', 'identity')]);
    expect(stage.renders).toBe(1);
    expect(gunzipSync(gz.body)).toEqual(plain.body);
    expect(brotliDecompressSync(br.body)).toEqual(plain.body);
    expect(br.headers['content-encoding']).toBe('br');
    expect(plain.headers['content-encoding']).toBeUndefined();
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

  describe('after a write, while the new copy renders', () => {
    /** A write: the board version moves on (`agoMs` before now). */
    const write = (agoMs = 0) => {
      stage.version++;
      stage.changedAt = performance.now() - agoMs;
    };
    /** Resolves once the stand-in handler has started `n` renders in all. */
    const rendersStarted = async (n: number) => {
      while (stage.renders < n) await new Promise((resolve) => setTimeout(resolve, 2));
    };
    const stateOf = (r: Response) => r.headers.get('x-pledgeboard-cache');

    it('the first reader waits for the new copy; readers who come meanwhile get the previous one at once', async () => {
      const before = await get();
      const oldEtag = before.headers.get('etag')!;
      write();
      stage.delayMs = 300;
      let firstDone = false;
      const first = get().finally(() => (firstDone = true));
      await rendersStarted(2);
      const meanwhile = await Promise.all(Array.from({ length: 10 }, () => get()));
      expect(firstDone).toBe(false); // none of them waited for the render
      for (const response of meanwhile) {
        expect(response.status).toBe(200);
        expect(stateOf(response)).toBe('stale');
        // Its own version's ETag, and no claim of freshness to caches after us.
        expect(response.headers.get('etag')).toBe(oldEtag);
        expect(response.headers.get('cache-control')).toBe('public, no-cache');
        const text = await response.text();
        expect(text).toContain('Versie 1');
        expect(text).not.toContain('stale-note'); // not an outage: no note
      }
      const waited = await first;
      expect(stateOf(waited)).toBe('miss');
      expect(await waited.text()).toContain('Versie 2');
      expect(waited.headers.get('etag')).not.toBe(oldEtag);
      // Once it is done, everyone gets the new copy.
      const after = await get();
      expect(stateOf(after)).toBe('hit');
      expect(await after.text()).toContain('Versie 2');
      expect(stage.renders).toBe(2);
    });

    it('renders once for a burst of readers after a write: one waits, the others get the previous copy', async () => {
      await get('/drukte');
      write();
      stage.delayMs = 300;
      const responses = await Promise.all(Array.from({ length: 25 }, () => get('/drukte')));
      expect(responses.every((r) => r.status === 200)).toBe(true);
      expect(responses.filter((r) => stateOf(r) === 'miss')).toHaveLength(1);
      expect(responses.filter((r) => stateOf(r) === 'stale')).toHaveLength(24);
      expect(stage.renders).toBe(2);
    });

    it('answers the previous copy’s ETag with 304 (and HEAD without a body), saying what it is', async () => {
      const etag = (await get()).headers.get('etag')!;
      write();
      stage.delayMs = 300;
      const first = get();
      await rendersStarted(2);
      const notModified = await get('/', { 'if-none-match': etag });
      expect(notModified.status).toBe(304);
      expect(stateOf(notModified)).toBe('stale');
      expect(notModified.headers.get('etag')).toBe(etag);
      expect(notModified.headers.get('cache-control')).toBe('public, no-cache');
      const head = await fetch(base + '/', { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(stateOf(head)).toBe('stale');
      expect(await head.text()).toBe('');
      expect(stateOf(await first)).toBe('miss');
      // The client's copy is now the old one: it gets the new page.
      const later = await get('/', { 'if-none-match': etag });
      expect(later.status).toBe(200);
      expect(await later.text()).toContain('Versie 2');
    });

    it('a signed-in reader (a representative after their save) gets the new page at once, never the previous copy', async () => {
      await get();
      write();
      stage.delayMs = 300;
      const first = get();
      await rendersStarted(2);
      const [anonymous, signedIn] = await Promise.all([get(), get('/', { cookie: 'pb_session=abc' })]);
      expect(stateOf(anonymous)).toBe('stale');
      expect(stateOf(signedIn)).toBeNull();
      expect(await signedIn.text()).toContain('Versie 2');
      await first;
    });

    it('when the new render fails: the first reader gets the outage answer, the next waits for a render of its own', async () => {
      await get();
      write();
      stage.delayMs = 300;
      stage.fail = true;
      const first = get();
      await rendersStarted(2);
      const meanwhile = await get();
      expect(stateOf(meanwhile)).toBe('stale');
      expect(await meanwhile.text()).not.toContain('stale-note');
      const failed = await first;
      expect(stateOf(failed)).toBe('stale');
      expect(failed.headers.get('cache-control')).toBe('no-store');
      expect(await failed.text()).toContain('stale-note');
      // No render in flight any more: the next reader does not get a quiet old copy but waits
      // for a new render, and is told when that fails too.
      const next = await get();
      expect(stage.renders).toBe(3);
      expect(next.headers.get('cache-control')).toBe('no-store');
      expect(await next.text()).toContain('stale-note');
      stage.fail = false;
      const recovered = await get();
      expect(stateOf(recovered)).toBe('miss');
      expect(await recovered.text()).toContain('Versie 2');
    });

    it('longer than the limit after the write, readers wait for the render (one render for all)', async () => {
      await get();
      write(10_000);
      stage.delayMs = 300;
      const responses = await Promise.all(Array.from({ length: 10 }, () => get()));
      for (const response of responses) {
        expect(stateOf(response)).toBe('miss');
        expect(await response.text()).toContain('Versie 2');
      }
      expect(stage.renders).toBe(2);
    });

    it('while the database is down, the outage rules apply instead', async () => {
      await get();
      write();
      stage.up = false;
      stage.delayMs = 100;
      stage.fail = true;
      const responses = await Promise.all(Array.from({ length: 5 }, () => get()));
      for (const response of responses) {
        expect(stateOf(response)).toBe('stale');
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(await response.text()).toContain('stale-note');
      }
    });

    it('a copy whose render outlived a further write is kept, and given while the next one renders', async () => {
      await get();
      write();
      stage.delayMs = 300;
      const first = get();
      await rendersStarted(2);
      write(); // a second write while version 2 renders
      expect(stateOf(await get())).toBe('stale'); // a render is on its way: the old copy
      expect(stateOf(await first)).toBe('miss');
      // The copy of version 2 is kept (out of date already); the next reader waits for version
      // 3, and who comes meanwhile gets the copy of version 2.
      const second = get();
      await rendersStarted(3);
      const meanwhile = await get();
      expect(stateOf(meanwhile)).toBe('stale');
      expect(stateOf(await second)).toBe('miss');
      expect(stateOf(await get())).toBe('hit');
      expect(stage.renders).toBe(3);
    });
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

describe('the board versions an instance has seen', () => {
  it('says since when a version has been out of date, and "long ago" for one it no longer remembers', () => {
    const history = new VersionHistory(10);
    expect(history.supersededAt(10)).toBeUndefined();
    expect(history.supersededAt(9)).toBe(-Infinity); // older than the instance's start
    history.see(11, 100);
    history.see(11, 150); // a repeated message changes nothing
    history.see(14, 200); // versions may come in jumps (a notification lost)
    history.see(12, 300); // a late message never moves it back
    expect(history.current).toBe(14);
    expect(history.supersededAt(10)).toBe(100);
    expect(history.supersededAt(11)).toBe(200);
    expect(history.supersededAt(13)).toBe(200);
    expect(history.supersededAt(14)).toBeUndefined();
    for (let v = 15; v < 15 + 300; v++) history.see(v, v * 1000);
    expect(history.supersededAt(10)).toBe(-Infinity);
    expect(history.supersededAt(300)).toBe(301_000);
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
      boardVersion: { current: 1, changedAt: () => 1 },
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
    // The social images' shape, in both languages.
    expect(cacheableUrl('/afbeelding/scorebord.png?utm_source=x&formaat=vierkant')).toBe('/afbeelding/scorebord.png?formaat=vierkant');
    expect(cacheableUrl('/en/image/goal/a.png?format=square&fbclid=y')).toBe('/en/image/goal/a.png?format=square');
    expect(cacheableUrl('/api/v1/pledges-wide.csv?utm_source=x&sep=semicolon')).toBe('/api/v1/pledges-wide.csv?sep=semicolon');
    expect(cacheableUrl('/_image?href=/a.png&w=10')).toBe('/_image?href=/a.png&w=10');
  });
});
