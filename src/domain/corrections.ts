/**
 * An admin's correction, as the public sees it: a pledge whose current version the campaign
 * saved on the party's behalf (savePledge records the actor's role and the public reason on the
 * pledge row and on its history event, and a `pledge.corrected` audit entry with the reason). It is shown wherever the stance is, not
 * only in the history: a reader must never take the campaign's words for the party's.
 * When the party saves again, the correction is no longer the current version and the mark goes.
 */
import type { Pledge } from './pledges.ts';

export interface CampaignCorrection {
  /** When the campaign saved the version that is shown. */
  at: Date;
  /**
   * Why, in the campaign's public words: every correction records one (savePledge refuses an
   * admin's save without it); null only for corrections made before reasons were recorded.
   */
  reason: string | null;
}

type CorrectablePledge = Pick<Pledge, 'updatedByRole' | 'updatedAt' | 'correctionReason'>;

/** The one rule: a version saved by an admin is the campaign's correction. */
export function isCampaignCorrection(pledge: Pick<Pledge, 'updatedByRole'>): boolean {
  return pledge.updatedByRole === 'admin';
}

/** The version shown is the campaign's: when, and why (the reason saved with that version). */
export function campaignCorrectionOf(pledge: CorrectablePledge | null): CampaignCorrection | null {
  if (!pledge || !isCampaignCorrection(pledge)) return null;
  return { at: pledge.updatedAt, reason: pledge.correctionReason };
}
