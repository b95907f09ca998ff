/**
 * Behind a TLS-terminating proxy (PUBLIC_URL=https://…, TRUST_PROXY=1, i.e. a proxy on
 * loopback): forms sent from the public https address pass the origin check, forged ones
 * still fail, and sign-in limits count the client's address as the proxy appended it to
 * X-Forwarded-For, not the proxy's own nor one the client wrote there itself. A client that
 * reaches the instance directly cannot choose its address with the header.
 */
import { request } from 'node:http';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAttemptCounts } from '../../src/db/schema.ts';
import { clientIpOf, trustedProxies } from '../../src/server/client-ip.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';

describe('behind a reverse proxy', () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite('pglite', { PUBLIC_URL: 'https://board.example', TRUST_PROXY: '1' });
  });
  afterAll(() => site?.close());

  const signIn = (origin: string, forwardedFor?: string) =>
    fetch(new URL('/inloggen?_action=signIn', site.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin,
        ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
      },
      body: 'email=niemand%40nergens.example&password=fout',
      redirect: 'manual',
    });

  it('accepts forms from the public https address and refuses others', async () => {
    expect((await signIn('https://board.example', '203.0.113.5')).status).toBe(401);
    expect((await signIn('https://kwaad.example', '203.0.113.5')).status).toBe(403);
  });

  it('counts sign-in attempts by the address the proxy added, not one the client made up', async () => {
    // nginx appends the real client address to whatever X-Forwarded-For the client sent.
    await signIn('https://board.example', '192.0.2.99, 198.51.100.23');
    await signIn('https://board.example', '192.0.2.100, 198.51.100.23');
    const attemptsFrom = async (ip: string) =>
      (
        await site.db
          .select({ n: sql<number>`coalesce(sum(${loginAttemptCounts.failures}), 0)`.mapWith(Number) })
          .from(loginAttemptCounts)
          .where(eq(loginAttemptCounts.ip, ip))
      )[0]!.n;
    expect(await attemptsFrom('198.51.100.23')).toBe(2);
    expect(await attemptsFrom('192.0.2.99')).toBe(0);
    expect(await attemptsFrom('192.0.2.100')).toBe(0);
  });

  /** A sign-in sent from another loopback address than the proxy's: a client reaching the instance directly. */
  const signInDirectly = (email: string, forwardedFor: string) =>
    new Promise<number>((resolve, reject) => {
      const body = `email=${encodeURIComponent(email)}&password=fout`;
      const url = new URL('/inloggen?_action=signIn', site.url);
      const req = request(
        url,
        {
          method: 'POST',
          localAddress: '127.0.0.2',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            origin: 'https://board.example',
            'x-forwarded-for': forwardedFor,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('does not let a client that reaches the instance directly choose its address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      statuses.push(await signInDirectly(`direct${i}@nergens.example`, `198.18.${Math.floor(i / 250)}.${i % 250}`));
    }
    // All 60 come from 127.0.0.2: past the IP's limit of 30 the guesses get 429.
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
  });

  it('takes the right-most X-Forwarded-For address that is not a trusted proxy, and only from a trusted proxy', () => {
    const from = (peer: string, forwardedFor?: string) =>
      ({ headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress: peer } }) as never;
    const loopback = trustedProxies(['127.0.0.1', '::1']);
    const none = trustedProxies([]);
    // Client wrote 192.0.2.7; nginx on loopback appended the client's real address.
    expect(clientIpOf(from('127.0.0.1', '192.0.2.7, 203.0.113.50'), { trustedProxies: loopback })).toBe('203.0.113.50');
    expect(clientIpOf(from('::ffff:127.0.0.1', '192.0.2.7, 203.0.113.50'), { trustedProxies: loopback })).toBe('203.0.113.50');
    expect(clientIpOf(from('::1', '203.0.113.51'), { trustedProxies: loopback })).toBe('203.0.113.51');
    // A proxy that writes a port (or brackets) still names the client; an entry no one can read
    // is never skipped to reach what the client wrote left of it.
    expect(clientIpOf(from('127.0.0.1', '192.0.2.7, 203.0.113.50:4711'), { trustedProxies: loopback })).toBe('203.0.113.50');
    expect(clientIpOf(from('127.0.0.1', '192.0.2.7, [2001:db8::1]:443'), { trustedProxies: loopback })).toBe('2001:db8::1');
    expect(clientIpOf(from('127.0.0.1', '192.0.2.7, onbekend'), { trustedProxies: loopback })).toBe('127.0.0.1');
    // Without trusted proxies, or from a peer that is not one, the header is ignored.
    expect(clientIpOf(from('127.0.0.1', '203.0.113.50'), { trustedProxies: none })).toBe('127.0.0.1');
    expect(clientIpOf(from('198.51.100.4', '203.0.113.50'), { trustedProxies: loopback })).toBe('198.51.100.4');
    // A CDN in front of nginx: its range is listed too, so the client is the entry before it.
    const cdn = trustedProxies(['127.0.0.1', '173.245.48.0/20']);
    expect(clientIpOf(from('127.0.0.1', '192.0.2.7, 198.51.100.1, 173.245.48.9'), { trustedProxies: cdn })).toBe('198.51.100.1');
    // Only proxies in the header (or none at all): the left-most, then the peer.
    expect(clientIpOf(from('127.0.0.1', '173.245.48.9'), { trustedProxies: cdn })).toBe('173.245.48.9');
    expect(clientIpOf(from('127.0.0.1'), { trustedProxies: cdn })).toBe('127.0.0.1');
    // Garbage in the header is not an address.
    expect(clientIpOf(from('127.0.0.1', 'hallo'), { trustedProxies: loopback })).toBe('127.0.0.1');
  });
});
