/**
 * The limits on "forgot password" requests (claimResetRequest in src/auth/rate-limit.ts), on
 * every engine: per address and per IP in a sliding hour, parallel requests never slipping past
 * the count, and the sign-in limits' pruning leaving the hour's counts alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../src/auth/login.ts';
import { claimResetRequest, RESET_REQUESTS_PER_ADDRESS, RESET_REQUESTS_PER_IP } from '../../src/auth/rate-limit.ts';
import type { Db } from '../../src/db/client.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';

const MINUTE = 60 * 1000;

describe.each(ENGINES)('reset request limits on %s', (engine) => {
  let test: TestDatabase;
  const db = (): Db => test.database.db;

  beforeAll(async () => {
    test = await createTestDatabase(engine);
  });
  afterAll(() => test?.drop());

  it('lets an address through 3 times an hour, from any IPs; the next is refused, once marked first', async () => {
    const start = new Date('2026-12-01T10:00:00Z');
    const claims = [];
    for (let i = 0; i < RESET_REQUESTS_PER_ADDRESS + 2; i++) {
      claims.push(await claimResetRequest(db(), { email: 'een@adres.example', ip: `192.0.2.${i + 1}` }, new Date(start.getTime() + i * MINUTE)));
    }
    expect(claims.slice(0, RESET_REQUESTS_PER_ADDRESS)).toEqual(Array(RESET_REQUESTS_PER_ADDRESS).fill({ allowed: true }));
    expect(claims.slice(RESET_REQUESTS_PER_ADDRESS)).toEqual([
      { allowed: false, limit: 'address', first: true },
      { allowed: false, limit: 'address', first: false },
    ]);
    // An hour (and the minute it started in) after the first, it counts no more.
    expect(await claimResetRequest(db(), { email: 'een@adres.example', ip: '192.0.2.9' }, new Date(start.getTime() + 62 * MINUTE))).toEqual({ allowed: true });
  });

  it('lets an IP (an IPv6 /64) through 20 times an hour, counting requests refused for their address too', async () => {
    const now = new Date('2026-12-01T12:00:00Z');
    for (let i = 0; i < RESET_REQUESTS_PER_IP; i++) {
      // The same address over and over: refused for it after 3, but each still counts for the IP.
      const claim = await claimResetRequest(db(), { email: 'hamer@adres.example', ip: `2001:db8:aa:1::${i + 1}` }, now);
      expect(claim.allowed || claim.limit).not.toBe('ip');
    }
    expect(await claimResetRequest(db(), { email: 'ander@adres.example', ip: '2001:db8:aa:1:ffff::1' }, now)).toEqual({
      allowed: false,
      limit: 'ip',
      first: true,
    });
    expect(await claimResetRequest(db(), { email: 'nog-een@adres.example', ip: '2001:db8:aa:1::77' }, now)).toEqual({
      allowed: false,
      limit: 'ip',
      first: false,
    });
    // An IP past its limit uses up nobody's requests: the address it asked for is untouched.
    expect(await claimResetRequest(db(), { email: 'ander@adres.example', ip: '203.0.113.5' }, now)).toEqual({ allowed: true });
    expect(await claimResetRequest(db(), { email: 'iemand@adres.example', ip: '2001:db8:aa:2::1' }, now)).toEqual({ allowed: true });
  });

  it('lets no more than 3 through when many come at once', async () => {
    const now = new Date('2026-12-01T14:00:00Z');
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) => claimResetRequest(db(), { email: 'tegelijk@adres.example', ip: `198.51.100.${i + 1}` }, now)),
    );
    expect(claims.filter((c) => c.allowed)).toHaveLength(RESET_REQUESTS_PER_ADDRESS);
  });

  it('keeps the hour’s counts when sign-in prunes its own (older than 30 minutes)', async () => {
    const start = new Date('2026-12-01T16:00:00Z');
    for (let i = 0; i < RESET_REQUESTS_PER_ADDRESS; i++) await claimResetRequest(db(), { email: 'blijft@adres.example', ip: '192.0.2.200' }, start);
    // A sign-in 40 minutes later prunes (at most once a minute per process): the reset counts stay.
    await signIn(db(), { email: 'niemand@adres.example', password: 'fout', ip: '192.0.2.201', now: new Date(start.getTime() + 40 * MINUTE) });
    expect(await claimResetRequest(db(), { email: 'blijft@adres.example', ip: '192.0.2.200' }, new Date(start.getTime() + 41 * MINUTE))).toMatchObject({
      allowed: false,
      limit: 'address',
    });
  });
});
