/**
 * An admin's correction, as the public sees it: a pledge whose current version the campaign
 * saved on the party's behalf (savePledge records the actor's role on the pledge row and on its
 * history event, and a `pledge.corrected` audit entry). It is shown wherever the stance is, not
 * only in the history: a reader must never take the campaign's words for the party's.
 * When the party saves again, the correction is no longer the current version and the mark goes.
 */
import type { Pledge } from './pledges.ts';

export interface CampaignCorrection {
  /** When the campaign saved the version that is shown. */
  at: Date;
  /** Why, when one was recorded; corrections do not record one yet, so null for now. */
  reason: string | null;
}

type CorrectablePledge = Pick<Pledge, 'updatedByRole' | 'updatedAt'>;

/** The one rule: a version saved by an admin is the campaign's correction. */
export function isCampaignCorrection(pledge: Pick<Pledge, 'updatedByRole'>): boolean {
  return pledge.updatedByRole === 'admin';
}

export function campaignCorrectionOf(pledge: CorrectablePledge | null): CampaignCorrection | null {
  if (!pledge || !isCampaignCorrection(pledge)) return null;
  return { at: pledge.updatedAt, reason: null };
}
