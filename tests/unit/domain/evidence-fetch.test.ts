/**
 * The evidence fetcher against a local https server whose certificate is made at test time
 * (selfsigned: nothing secret in the repository, nothing that expires). Test host names
 * (evidence.test, …) are mapped through the fetcher's `resolve` option, and the test server's
 * own address, 127.0.0.1, is let through `allowAddress` only where a test needs to reach it:
 * every refusal below runs under the default public-only policy unless it says otherwise.
 */
import { createHash } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  addressRange,
  EVIDENCE_FETCH_REASONS,
  EvidenceFetchRefused,
  fetchEvidence,
  isPublicAddress,
  type EvidenceFetchOptions,
  type EvidenceFetchReason,
} from '../../../src/domain/evidence-fetch.ts';

const MANIFESTO = Buffer.from(`<!doctype html><title>Verkiezingsprogramma Testpartij</title>${'<p>Wij beschermen kinderen online.</p>'.repeat(80)}`);
const BOMB = gzipSync(Buffer.alloc(32 * 1024 * 1024)); // 32 MiB of zeros in about 32 KB
/** 5000 empty gzip members one after the other: 100 KB on the wire that inflate to nothing. */
const HOLLOW = Buffer.concat(Array.from({ length: 5000 }, () => gzipSync(Buffer.alloc(0))));

let server: https.Server;
let port: number;
let cert: string;
let otherCert: string;
/** Per test: requests the server saw (path and headers), connections it accepted, bytes it sent. */
let seen: { path: string; headers: IncomingMessage['headers'] }[];
let connections: number;
let bigBytesSent: number;
let bigClosed: Promise<void>;
let markBigClosed: () => void;

function route(request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? '/', 'https://evidence.test');
  seen.push({ path: url.pathname, headers: request.headers });
  const loop = /^\/loop\/(\d+)$/.exec(url.pathname);
  if (url.pathname === '/manifesto') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'tracking=1; Path=/' });
    response.end(MANIFESTO);
  } else if (url.pathname === '/gone') {
    response.writeHead(410, { 'content-type': 'text/plain' }).end('Deze pagina is verwijderd.');
  } else if (url.pathname === '/redirect') {
    response.writeHead(302, { location: url.searchParams.get('to')!, 'set-cookie': 'session=geheim; Path=/' }).end();
  } else if (loop) {
    response.writeHead(302, { location: `/loop/${Number(loop[1]) + 1}` }).end();
  } else if (url.pathname === '/big') {
    // An endless body without Content-Length: only the reader can end it.
    response.writeHead(200, { 'content-type': 'application/pdf' });
    const chunk = Buffer.alloc(64 * 1024, 0x25);
    const pump = () => {
      while (!response.destroyed) {
        bigBytesSent += chunk.length;
        if (!response.write(chunk)) return;
      }
    };
    response.on('drain', pump);
    response.on('close', markBigClosed);
    pump();
  } else if (url.pathname === '/declared-big') {
    response.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(50 * 1024 * 1024) });
    response.write(Buffer.alloc(1024));
  } else if (url.pathname === '/bomb') {
    response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(BOMB.length) });
    response.end(BOMB);
  } else if (url.pathname === '/hollow') {
    response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
    response.end(HOLLOW);
  } else if (url.pathname === '/cut-off') {
    response.writeHead(200, { 'content-type': 'text/html', 'content-length': '1000' });
    response.write('<!doctype html>', () => response.destroy());
  } else if (url.pathname === '/zstd') {
    response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'zstd' }).end('(zstd)');
  } else if (url.pathname === '/broken-gzip') {
    response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync(MANIFESTO).subarray(0, -12));
  } else if (url.pathname === '/gzip') {
    response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
    response.end(gzipSync(MANIFESTO));
  } else if (url.pathname === '/silent') {
    // Never answers.
  } else if (url.pathname === '/dribble') {
    response.writeHead(200, { 'content-type': 'text/html' });
    const timer = setInterval(() => response.write('.'), 50);
    response.on('close', () => clearInterval(timer));
  } else {
    response.writeHead(404).end();
  }
}

beforeAll(async () => {
  const san = (names: string[]) => ({ name: 'subjectAltName' as const, altNames: names.map((value) => ({ type: 2 as const, value })) });
  const own = await generate([{ name: 'commonName', value: 'evidence.test' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [san(['evidence.test', 'also.test'])],
  });
  const other = await generate([{ name: 'commonName', value: 'evidence.test' }], { keyType: 'ec', algorithm: 'sha256', extensions: [san(['evidence.test'])] });
  cert = own.cert;
  otherCert = other.cert;
  server = https.createServer({ key: own.private, cert: own.cert }, route);
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  connections = 0;
  bigBytesSent = 0;
  bigClosed = new Promise((resolve) => (markBigClosed = resolve));
});

/** A name → addresses table in place of DNS; unknown names fail as DNS would. */
function hosts(table: Record<string, string[]>): EvidenceFetchOptions['resolve'] {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const TEST_HOSTS = {
  'evidence.test': ['127.0.0.1'],
  'also.test': ['127.0.0.1'],
  'wrong-name.test': ['127.0.0.1'],
  'internal.test': ['10.1.2.3'],
};

/** Can reach the test server: its address counts as public here, and its port is allowed. */
function reachable(extra: EvidenceFetchOptions = {}): EvidenceFetchOptions {
  return {
    resolve: hosts(TEST_HOSTS),
    ca: cert,
    ports: [port],
    allowAddress: (address) => address === '127.0.0.1' || isPublicAddress(address),
    timeoutMs: 3000,
    ...extra,
  };
}

/** Production's address policy (no allowAddress), with the test names and port. */
function defaultPolicy(table: Record<string, string[]>, extra: EvidenceFetchOptions = {}): EvidenceFetchOptions {
  return { resolve: hosts(table), ca: cert, ports: [port], timeoutMs: 1500, ...extra };
}

async function refusal(url: string, options: EvidenceFetchOptions): Promise<EvidenceFetchRefused> {
  const error = await fetchEvidence(url, options).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(EvidenceFetchRefused);
  return error as EvidenceFetchRefused;
}

/** Every reason a test below has seen refused: the last test checks all of them were. */
const reasonsShown = new Set<EvidenceFetchReason>();

async function expectRefused(url: string, options: EvidenceFetchOptions, reason: EvidenceFetchReason): Promise<EvidenceFetchRefused> {
  const error = await refusal(url, options);
  if (error.reason === reason) reasonsShown.add(reason);
  expect({ reason: error.reason, message: error.message }).toMatchObject({ reason });
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

const at = (path: string, host = 'evidence.test') => `https://${host}:${port}${path}`;

describe('a good fetch', () => {
  it('keeps hash, size, type, time and the body, and says who asks', async () => {
    const before = Date.now();
    const page = await fetchEvidence(at('/manifesto'), reachable());
    expect(page).toMatchObject({
      finalUrl: at('/manifesto'),
      status: 200,
      contentType: 'text/html; charset=utf-8',
      size: MANIFESTO.length,
      sha256: createHash('sha256').update(MANIFESTO).digest('hex'),
      truncated: false,
      redirects: [],
    });
    expect(page.body.equals(MANIFESTO)).toBe(true);
    expect(page.fetchedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(connections).toBe(1);
    const [request] = seen;
    expect(request!.headers['user-agent']).toMatch(/^Pledgeboard/);
    expect(request!.headers.accept).toContain('text/html');
    expect(request!.headers.accept).toContain('application/pdf');
  });

  it('keeps only the first keepBytes of the body but hashes and counts all of it', async () => {
    const page = await fetchEvidence(at('/manifesto'), reachable({ keepBytes: 100 }));
    expect(page.truncated).toBe(true);
    expect(page.body.equals(MANIFESTO.subarray(0, 100))).toBe(true);
    expect(page.size).toBe(MANIFESTO.length);
    expect(page.sha256).toBe(createHash('sha256').update(MANIFESTO).digest('hex'));
  });

  it('hashes a gzip body as the page itself, not its compressed bytes', async () => {
    const page = await fetchEvidence(at('/gzip'), reachable());
    expect(page.sha256).toBe(createHash('sha256').update(MANIFESTO).digest('hex'));
    expect(page.size).toBe(MANIFESTO.length);
  });

  it('keeps a page taken down as a result with its status, not as an error', async () => {
    const page = await fetchEvidence(at('/gone'), reachable());
    expect(page).toMatchObject({ status: 410, contentType: 'text/plain', size: 26 });
    expect(page.sha256).toBe(createHash('sha256').update('Deze pagina is verwijderd.').digest('hex'));
  });

  it('follows redirects and lists them', async () => {
    const page = await fetchEvidence(at(`/redirect?to=${encodeURIComponent(at('/manifesto', 'also.test'))}`), reachable());
    expect(page.finalUrl).toBe(at('/manifesto', 'also.test'));
    expect(page.redirects).toEqual([at('/manifesto', 'also.test')]);
    expect(page.status).toBe(200);
  });
});

describe('refuses before any connection', () => {
  it.each([['http://evidence.test/manifesto'], ['HTTPS://evidence.test/manifesto'], ['https:evidence.test/manifesto'], ['ftp://evidence.test/']])(
    'an address that is not https: %s',
    async (url) => {
      await expectRefused(url, reachable(), 'not-https');
      expect(connections).toBe(0);
    },
  );

  it('an address that is not one', async () => {
    await expectRefused('programma', reachable(), 'invalid-url');
    await expectRefused(`https://evidence.test/${'a'.repeat(2000)}`, reachable(), 'invalid-url');
  });

  it('a user name or password in the address', async () => {
    await expectRefused(`https://admin:geheim@evidence.test:${port}/manifesto`, reachable(), 'credentials-in-url');
    await expectRefused(`https://admin@evidence.test:${port}/manifesto`, reachable(), 'credentials-in-url');
    expect(connections).toBe(0);
  });

  it('a port other than 443 by default', async () => {
    await expectRefused(at('/manifesto'), reachable({ ports: undefined }), 'port-not-allowed');
    expect(connections).toBe(0);
  });
});

describe('refuses addresses that are not public, after resolving them', () => {
  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback', '127.8.9.10'],
    ['loopback', '::1'],
    ['private', '10.1.2.3'],
    ['private', '172.16.0.1'],
    ['private', '192.168.1.1'],
    ['linkLocal', '169.254.169.254'],
    ['linkLocal', 'fe80::1'],
    ['loopback', '::ffff:127.0.0.1'],
    ['private', '::ffff:192.168.1.1'],
    ['uniqueLocal', 'fd00::1'],
    ['carrierGradeNat', '100.64.0.1'],
    ['unspecified', '0.0.0.0'],
  ])('a name resolving to a %s address (%s), under the default policy', async (range, address) => {
    const error = await expectRefused(at('/manifesto'), defaultPolicy({ 'evidence.test': [address] }), 'address-not-public');
    expect(error.message).toContain(address);
    expect(error.message).toContain(range);
    expect(connections).toBe(0);
  });

  it.each([['127.0.0.1'], ['[::1]'], ['[::ffff:127.0.0.1]'], ['169.254.169.254']])('an address written as the IP %s', async (host) => {
    await expectRefused(`https://${host}:${port}/manifesto`, defaultPolicy({}), 'address-not-public');
    expect(connections).toBe(0);
  });

  it('a name that resolves differently on the next hop (DNS rebinding)', async () => {
    const answers = [['127.0.0.1'], ['10.1.2.3']];
    const asked: string[] = [];
    const resolve = async (hostname: string) => {
      asked.push(hostname);
      return hosts({ [hostname]: answers.shift() ?? [] })!(hostname);
    };
    const error = await expectRefused(at(`/redirect?to=${encodeURIComponent('/manifesto')}`), reachable({ resolve }), 'address-not-public');
    expect(error.url).toBe(at('/manifesto'));
    // One lookup per connection, and the connection used it: no second answer to be rebound.
    expect(asked).toEqual(['evidence.test', 'evidence.test']);
    expect(seen.map(({ path }) => path)).toEqual(['/redirect']);
  });

  it('checks the connected address again before sending anything', async () => {
    // A policy that says yes to the lookup and no afterwards: the second guard alone refuses.
    let answers = 0;
    const allowAddress = (address: string) => address === '127.0.0.1' && (answers += 1) === 1;
    await expectRefused(at('/manifesto'), reachable({ allowAddress }), 'address-not-public');
    expect(answers).toBe(2);
    expect(seen).toEqual([]);
  });

  it('a name resolving to one public and one private address', async () => {
    // 127.0.0.1 is "public" in this test: the fetch would succeed through it alone.
    await expectRefused(at('/manifesto'), reachable({ resolve: hosts({ 'evidence.test': ['127.0.0.1', '10.1.2.3'] }) }), 'address-not-public');
    expect(connections).toBe(0);
  });
});

describe('classifies addresses with ipaddr.js', () => {
  it.each([
    ['93.184.215.14', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['::ffff:93.184.215.14', 'public'],
    ['64:ff9b::93.184.215.14', 'public'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::7f00:1', 'notGlobalUnicast'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:0:4136:e378::1', 'teredo'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['not-an-address', 'invalid'],
  ])('%s is %s', (address, range) => {
    expect(addressRange(address)).toBe(range);
    expect(isPublicAddress(address)).toBe(range === 'public');
  });
});

describe('redirects', () => {
  it('checks each hop: a redirect to a name resolving to a private address', async () => {
    const target = `https://internal.test:${port}/admin`;
    const error = await expectRefused(at(`/redirect?to=${encodeURIComponent(target)}`), reachable(), 'address-not-public');
    expect(error).toMatchObject({ url: target, redirects: [target] });
    expect(seen.map(({ path }) => path)).toEqual(['/redirect']);
  });

  it('checks each hop: a redirect to a private address written as an IP', async () => {
    const target = `https://10.1.2.3:${port}/admin`;
    const error = await expectRefused(at(`/redirect?to=${encodeURIComponent(target)}`), reachable(), 'address-not-public');
    expect(error.url).toBe(target);
  });

  it('refuses a redirect to http://', async () => {
    const target = `http://evidence.test:${port}/manifesto`;
    const error = await expectRefused(at(`/redirect?to=${encodeURIComponent(target)}`), reachable(), 'not-https');
    expect(error.url).toBe(target);
  });

  it('refuses a redirect to something that is not an address', async () => {
    await expectRefused(at(`/redirect?to=${encodeURIComponent('https://')}`), reachable(), 'bad-redirect');
  });

  it('refuses more than five redirects', async () => {
    const error = await expectRefused(at('/loop/0'), reachable(), 'too-many-redirects');
    expect(error.redirects).toHaveLength(5);
    expect(seen.map(({ path }) => path)).toEqual(['/loop/0', '/loop/1', '/loop/2', '/loop/3', '/loop/4', '/loop/5']);
  });

  it('sends no cookie, even to a site that sets one and redirects back to itself', async () => {
    await fetchEvidence(at(`/redirect?to=${encodeURIComponent('/manifesto')}`), reachable());
    expect(seen.map(({ path }) => path)).toEqual(['/redirect', '/manifesto']);
    for (const { headers } of seen) expect(headers.cookie).toBeUndefined();
  });
});

describe('limits', () => {
  it('stops reading an endless body at the size limit', async () => {
    await expectRefused(at('/big'), reachable({ maxBytes: 256 * 1024 }), 'too-large');
    await bigClosed;
    // The server writes ahead into socket buffers (about 400 KB here), but nowhere near "endless".
    expect(bigBytesSent).toBeLessThan(4 * 1024 * 1024);
  });

  it('refuses a body whose declared length is over the limit without reading it', async () => {
    await expectRefused(at('/declared-big'), reachable({ maxBytes: 1024 * 1024 }), 'too-large');
  });

  it('counts decompressed bytes: a gzip bomb is too large', async () => {
    expect(BOMB.length).toBeLessThan(1024 * 1024);
    await expectRefused(at('/bomb'), reachable({ maxBytes: 1024 * 1024 }), 'too-large');
  });

  it('counts the compressed bytes too: a body that inflates to nothing still ends', async () => {
    await expectRefused(at('/hollow'), reachable({ maxBytes: 50 * 1024 }), 'too-large');
  });

  it('gives up on a site that does not answer within the time limit', async () => {
    const started = Date.now();
    await expectRefused(at('/silent'), reachable({ timeoutMs: 300 }), 'timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives up on a body that trickles in past the time limit', async () => {
    await expectRefused(at('/dribble'), reachable({ timeoutMs: 300 }), 'timeout');
  });
});

describe('network and certificate failures', () => {
  it('refuses a certificate no trusted authority signed', async () => {
    await expectRefused(at('/manifesto'), reachable({ ca: undefined }), 'tls-failed');
    await expectRefused(at('/manifesto'), reachable({ ca: otherCert }), 'tls-failed');
  });

  it('refuses a certificate for another name', async () => {
    const error = await expectRefused(at('/manifesto', 'wrong-name.test'), reachable(), 'tls-failed');
    expect(error.message).toContain('wrong-name.test');
  });

  it('says when a name does not resolve', async () => {
    await expectRefused(at('/manifesto', 'nowhere.test'), reachable(), 'dns-failed');
  });

  it('says when nothing answers on the address', async () => {
    const closed = https.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expectRefused(`https://evidence.test:${closedPort}/`, reachable({ ports: [closedPort] }), 'connection-failed');
  });
});

describe('bad responses', () => {
  it('refuses a body in an encoding it does not read', async () => {
    await expectRefused(at('/zstd'), reachable(), 'bad-response');
  });

  it('refuses a body that breaks off before its declared length', async () => {
    await expectRefused(at('/cut-off'), reachable(), 'bad-response');
  });

  it('refuses a compressed body that breaks off', async () => {
    await expectRefused(at('/broken-gzip'), reachable(), 'bad-response');
  });
});

it('shows every reason code refused by a test above', () => {
  expect([...reasonsShown].sort()).toEqual([...EVIDENCE_FETCH_REASONS].sort());
});
