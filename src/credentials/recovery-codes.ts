/**
 * Recovery codes: when the phone with the authenticator app is lost, one of these stands in for
 * a TOTP code, once. Ten per set, each 12 characters of Crockford's base32 (60 random bits),
 * shown as `7k2m-9xqp-4d8z`. Typing is forgiving: spaces, dashes and case do not matter, and the
 * letters people confuse with digits (o, i, l) read as 0 and 1.
 *
 * Only SHA-256(account id, code) is stored. A fast hash is enough for 60 random bits (no
 * dictionary to try, and 2^60 guesses per code offline), and it lets one UPDATE find and use up
 * a code: `used_at` is set only where it is still null, so of two requests racing with the same
 * code exactly one gets the row back.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { recoveryCodes } from '../db/schema.ts';

const RECOVERY_CODE_COUNT = 10;
const CODE_LENGTH = 12;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A fresh code as it is shown: lower case, in groups of four. */
function generateRecoveryCode(): string {
  const bytes = new Uint8Array(CODE_LENGTH);
  crypto.getRandomValues(bytes);
  // 256 is a multiple of 32: every character is equally likely.
  const plain = Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
  return `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`;
}

/**
 * The code as stored (12 characters of the alphabet), or null when the text cannot be one:
 * spaces and dashes are dropped, case is ignored, o/i/l are read as 0/1/1.
 */
export function normaliseRecoveryCode(input: string): string | null {
  const plain = input
    .replace(/[\s\-‐‑–]/g, '')
    .toLowerCase()
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
  if (plain.length !== CODE_LENGTH) return null;
  for (const char of plain) if (!ALPHABET.includes(char)) return null;
  return plain;
}

function hashRecoveryCode(userId: number, normalised: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`${userId}:${normalised}`)));
}

/** A new set for the account: the old one, used or not, stops working. Returns the codes to show once. */
export async function replaceRecoveryCodes(db: Db, userId: number, now = new Date()): Promise<string[]> {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(generateRecoveryCode());
  const shown = [...codes];
  await db.transaction(async (tx) => {
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.insert(recoveryCodes).values(shown.map((code) => ({ userId, codeHash: hashRecoveryCode(userId, normaliseRecoveryCode(code)!), createdAt: now })));
  });
  return shown;
}

/**
 * Uses up a code: true when it was one of the account's unused codes (and now is used). Atomic:
 * of concurrent uses of one code, only one is true.
 */
export async function useRecoveryCode(db: Db, userId: number, normalised: string, now = new Date()): Promise<boolean> {
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashRecoveryCode(userId, normalised)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length === 1;
}

/** How many codes of the account can still be used. */
export async function countUnusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return Number(row?.n ?? 0);
}

/** The account's second factor is gone (an admin's reset): its codes go with it. */
export async function deleteRecoveryCodes(db: Db, userId: number): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}
