/**
 * Accounts for tests, made the way real ones are (a one-time link, redeemed), for fictional
 * people only; and signing in over HTTP, second step included.
 */
import { TEST_CAMPAIGN_ID } from '../fixtures/board.ts';
import { expect } from 'vitest';
import { currentTotpCode, generateTotpKey, totpStep } from '../../src/auth/totp.ts';
import type { Db } from '../../src/db/client.ts';
import { candidates } from '../../src/db/schema.ts';
import { eq } from 'drizzle-orm';
import { CLI_ACTOR } from '../../src/domain/actors.ts';
import { createAdminSetupLink } from '../../src/domain/admin-setup-links.ts';
import { inviteCandidate } from '../../src/domain/candidate-invites.ts';
import { createInvite } from '../../src/domain/invites.ts';
import { redeemAccountLink } from '../../src/domain/new-accounts.ts';
import { setTotp, type User } from '../../src/domain/users.ts';
import type { FormClient } from './form-client.ts';

export interface TestAccount {
  user: User;
  email: string;
  password: string;
  totpKey: string | null;
}

export async function createAccount(
  db: Db,
  {
    email,
    party,
    name = 'Test Persoon',
    password = 'een heel geheim wachtwoord',
    totp = false,
  }: { email: string; party?: string; name?: string; password?: string; totp?: boolean },
): Promise<TestAccount> {
  const link = party
    ? await createInvite(db, { campaignId: TEST_CAMPAIGN_ID, partySlug: party, email }, { actor: CLI_ACTOR })
    : await createAdminSetupLink(db, { email }, { actor: CLI_ACTOR });
  if (link.status !== 'created') throw new Error(`link for ${email}: ${link.status}`);
  const redeemed = await redeemAccountLink(db, link.token, { displayName: name, password });
  if (redeemed.status !== 'done') throw new Error(`account ${email}: ${JSON.stringify(redeemed)}`);
  let totpKey: string | null = null;
  if (totp) {
    totpKey = generateTotpKey();
    // As if enrolled a minute ago: today's codes are still unused.
    await setTotp(db, redeemed.user.id, totpKey, totpStep(new Date()) - 2);
  }
  return { user: redeemed.user, email, password, totpKey };
}

/** Signs in over HTTP; with a TOTP key also enters the current code. */
export async function signInOverHttp(client: FormClient, account: TestAccount): Promise<void> {
  const response = await client.submit('/inloggen', 'signIn', { email: account.email, password: account.password });
  expect(response.status, `sign in ${account.email}`).toBe(303);
  if (account.totpKey) {
    const code = await client.submit('/inloggen/code', 'verifySecondFactor', { code: currentTotpCode(account.totpKey, new Date()) });
    expect(code.status, `second factor ${account.email}`).toBe(303);
  }
}

/** A candidate's own account, made as a real one is: invited (by the command line) and accepted. */
export async function createCandidateAccount(
  db: Db,
  {
    email,
    candidateId,
    name = 'Kandidaat Test',
    password = 'een heel geheim wachtwoord',
    totp = false,
  }: { email: string; candidateId: number; name?: string; password?: string; totp?: boolean },
): Promise<TestAccount> {
  const [row] = await db.select({ campaignId: candidates.campaignId }).from(candidates).where(eq(candidates.id, candidateId));
  const invite = await inviteCandidate(db, { campaignId: row?.campaignId ?? 0, candidateId, email }, { actor: CLI_ACTOR });
  if (invite.status !== 'created') throw new Error(`candidate invitation for ${email}: ${invite.status}`);
  const redeemed = await redeemAccountLink(db, invite.token, { displayName: name, password });
  if (redeemed.status !== 'done') throw new Error(`candidate account ${email}: ${JSON.stringify(redeemed)}`);
  const totpKey = totp ? generateTotpKey() : null;
  if (totpKey) await setTotp(db, redeemed.user.id, totpKey, totpStep(new Date()) - 2);
  return { user: redeemed.user, email, password, totpKey };
}
