/**
 * Behind a TLS-terminating proxy (PUBLIC_URL=https://…, TRUST_PROXY=1): forms sent from the
 * public https address pass the origin check, forged ones still fail, and sign-in limits
 * count the client's address as the proxy appended it to X-Forwarded-For, not the proxy's own
 * nor one the client wrote there itself.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAttempts } from '../../src/db/schema.ts';
import { clientIpOf } from '../../src/server/front.ts';
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
      (await site.db.select({ n: count() }).from(loginAttempts).where(eq(loginAttempts.ip, ip)))[0]!.n;
    expect(await attemptsFrom('198.51.100.23')).toBe(2);
    expect(await attemptsFrom('192.0.2.99')).toBe(0);
    expect(await attemptsFrom('192.0.2.100')).toBe(0);
  });

  it('ignores X-Forwarded-For unless told to trust the proxies, and then trusts as many entries as there are proxies', () => {
    // Client wrote 192.0.2.7; a CDN added the client's real address; nginx added the CDN's.
    const req = { headers: { 'x-forwarded-for': '192.0.2.7, 198.51.100.1, 203.0.113.50' }, socket: { remoteAddress: '127.0.0.1' } } as never;
    expect(clientIpOf(req, { trustProxy: 0 })).toBe('127.0.0.1');
    expect(clientIpOf(req, { trustProxy: 1 })).toBe('203.0.113.50');
    expect(clientIpOf(req, { trustProxy: 2 })).toBe('198.51.100.1');
    const short = { headers: { 'x-forwarded-for': '198.51.100.9' }, socket: { remoteAddress: '127.0.0.1' } } as never;
    expect(clientIpOf(short, { trustProxy: 2 })).toBe('198.51.100.9');
    const none = { headers: {}, socket: { remoteAddress: '127.0.0.1' } } as never;
    expect(clientIpOf(none, { trustProxy: 1 })).toBe('127.0.0.1');
  });
});
