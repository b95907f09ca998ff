/**
 * Behind a TLS-terminating proxy (PUBLIC_URL=https://…, TRUST_PROXY=1): forms sent from the
 * public https address pass the origin check, forged ones still fail, and sign-in limits
 * count the client's address from X-Forwarded-For rather than the proxy's.
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

  it('counts sign-in attempts by the forwarded client address', async () => {
    await signIn('https://board.example', '198.51.100.23, 10.0.0.1');
    const [row] = await site.db.select({ n: count() }).from(loginAttempts).where(eq(loginAttempts.ip, '198.51.100.23'));
    expect(row!.n).toBe(1);
  });

  it('ignores X-Forwarded-For unless told to trust the proxy', () => {
    const req = { headers: { 'x-forwarded-for': '198.51.100.1' }, socket: { remoteAddress: '127.0.0.1' } } as never;
    expect(clientIpOf(req, { trustProxy: false })).toBe('127.0.0.1');
    expect(clientIpOf(req, { trustProxy: true })).toBe('198.51.100.1');
  });
});
