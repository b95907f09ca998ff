/**
 * Password hashes: argon2id with OWASP's minimum parameters. What a new password must be is a
 * rule of its own (src/domain/password-rules.ts).
 */
import { hash, verify } from '@node-rs/argon2';

// algorithm: argon2id is @node-rs/argon2's default; these are OWASP's recommended costs.
const OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

/** A real hash of nothing in particular: unknown accounts cost as much time as known ones. */
let decoyHash: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword('decoy password for unknown accounts');
  await verifyPassword(await decoyHash, password);
  return false;
}
