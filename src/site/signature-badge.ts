/**
 * A candidate's signature on a goal as icon + words: committed (the check disc), not committed
 * (the cross) or not signed (the dashed ring), drawn with the stance symbols every layout
 * carries (stance-badge.ts), so it reads without colour and in greyscale print.
 */
import type { Locale } from '../domain/campaign.ts';
import type { SignatureState } from '../domain/candidates.ts';
import type { BoardStance } from '../domain/stances.ts';
import { escapeHtml } from '../domain/escape.ts';
import { translator } from '../i18n/ui.ts';

const SHAPE: Record<SignatureState, BoardStance> = { committed: 'committed', declined: 'declined', unsigned: 'none' };

export function signatureWords(locale: Locale, state: SignatureState): string {
  return translator(locale)(`candidates.state.${state}`);
}

export function signatureBadgeHtml(locale: Locale, state: SignatureState): string {
  const shape = SHAPE[state];
  return (
    `<span class="stance stance--${shape}" data-signature="${state}"><svg class="stance__icon" width="20" height="20" aria-hidden="true" focusable="false">` +
    `<use href="#stance-${shape}"></use></svg><span class="stance__label">${escapeHtml(signatureWords(locale, state))}</span></span>`
  );
}
