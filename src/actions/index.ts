/**
 * Every form of the site is an Astro Action (works without JavaScript). Each one parses its
 * input, checks who is asking, calls the domain and turns the outcome into data or a 4xx
 * error with a message key. No rules live here. Astro finds them all in `server`, by name
 * (`actions.signIn`, `/_actions/signIn`); they are written per audience.
 */
import { accountActions } from './account.ts';
import { adminActions } from './admin.ts';
import { campaignActions } from './campaigns.ts';
import { checkActions } from './checks.ts';
import { candidateAdminActions } from './candidate-admin.ts';
import { candidateActions } from './candidates.ts';
import { followUpActions } from './follow-up.ts';
import { pledgingActions } from './pledging.ts';
import { reminderActions } from './reminders.ts';

export const server = {
  ...accountActions,
  ...pledgingActions,
  ...adminActions,
  ...reminderActions,
  ...candidateActions,
  ...candidateAdminActions,
  ...campaignActions,
  ...followUpActions,
  ...checkActions,
};
