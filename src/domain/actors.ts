/**
 * Who does something: a signed-in person (admin or party representative), the command line,
 * or the system itself (first-start import, demo data). Every write names its actor, so the
 * history and the audit log can say who did what.
 */
export interface Actor {
  /** null for the command line and the system. */
  userId: number | null;
  /** The display name the public history shows. */
  name: string;
  role: 'rep' | 'admin' | 'system' | 'candidate';
  /** A representative's party; null for everyone else. */
  partyId: number | null;
  /** A candidate's own candidate row (they sign for themselves only); absent for everyone else. */
  candidateId?: number | null;
  /** For the audit log: the account's address, or "cli" / "system". */
  label: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, name: 'Pledgeboard', role: 'system', partyId: null, label: 'system' };
export const CLI_ACTOR: Actor = { userId: null, name: 'Pledgeboard', role: 'system', partyId: null, label: 'cli' };
/** Whoever sends a form without being signed in (a sign-in, a reset request): for the audit log. */
export const ANONYMOUS_ACTOR: Pick<Actor, 'userId' | 'label'> = { userId: null, label: 'anonymous' };

/** A fictional actor for demo data and tests, never a real person. */
export function systemActorNamed(name: string): Actor {
  return { ...SYSTEM_ACTOR, name };
}
