/**
 * Every action that changes something, tried by everyone: anonymous, a representative of
 * party A acting on party B, a candidate on party A's list (who signs only for themselves), a disabled user (with the cookie they had), an admin who has not
 * set up the second step, an admin who has but did not enter the code, and a full admin. Only
 * the allowed ones may succeed, checked by the status and by the database (a refused request
 * leaves every table as it was; an allowed one leaves its line in the audit log). Refused calls
 * are tried both as a form post and at Astro's action endpoint (`/_actions/<name>`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountLinks,
  auditLog,
  campaignGoals,
  campaignParties,
  campaigns,
  candidates,
  followUpRatings,
  fractionMappings,
  parliamentItems,
  parliamentItemUnlinks,
  candidateSignatures,
  evidenceSnapshots,
  outbox,
  partyReplies,
  pledgeChecks,
  parties,
  pledges,
  recoveryCodes,
  reminderSchedule,
  replyModerations,
  statementModerations,
  users,
} from '../../src/db/schema.ts';
import { currentTotpCode, generateTotpKey } from '../../src/auth/totp.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { createAdminSetupLink } from '../../src/domain/admin-setup-links.ts';
import { makeCurrent } from '../../src/domain/campaigns.ts';
import { recordCheck } from '../../src/domain/checks.ts';
import { rateFollowUp } from '../../src/domain/follow-up.ts';
import { linkZaak } from '../../src/domain/parliament/items.ts';
import { parseZaakResponse } from '../../src/domain/parliament/zaak.ts';
import { addReply } from '../../src/domain/replies.ts';
import { createInvite } from '../../src/domain/invites.ts';
import { addTestCandidates } from '../fixtures/candidates.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { verifyPassword } from '../../src/credentials/passwords.ts';
import { setUserDisabled } from '../../src/domain/users.ts';
import { readGoals } from '../../src/content-files.ts';
import { createAccount, createCandidateAccount, signInOverHttp, type TestAccount } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';
import { FormClient, type FormEncoding, type FormFields } from '../helpers/form-client.ts';
import { pledgeFormFields } from '../helpers/pledge-form.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { addTestParties, TEST_CAMPAIGN_ID, TEST_PARTIES } from '../fixtures/board.ts';
import { addTestCampaign, newCampaignForm } from '../fixtures/campaigns.ts';
// The actions object Astro serves (this file runs with Astro's Vite configuration, see vitest.config.ts).
import { server as siteActions } from '../../src/actions/index.ts';

type Role = 'anonymous' | 'repOfA' | 'candidateOfA' | 'disabled' | 'adminWithoutSecondStep' | 'adminCodeNotEntered' | 'admin';
const ROLES: Role[] = ['anonymous', 'repOfA', 'candidateOfA', 'disabled', 'adminWithoutSecondStep', 'adminCodeNotEntered', 'admin'];

const goals = await readGoals('nl');

const EMAILS: Record<Exclude<Role, 'anonymous'>, string> = {
  repOfA: 'rep-a@partij-a.example',
  candidateOfA: 'kandidaat@partij-a.example',
  disabled: 'weg@partij-a.example',
  adminWithoutSecondStep: 'nieuw@campagne.example',
  adminCodeNotEntered: 'halverwege@campagne.example',
  admin: 'admin@campagne.example',
};
const goal = goals[0]!.slug;

interface Case {
  action: string;
  page: string;
  /** Where a role's own form for the action lives, when it is not `page` (a representative's, an admin's). */
  pageFor?: Partial<Record<Role, string>>;
  allowed: Role[];
  /** The audit log line an allowed call leaves. */
  audit: string;
  /** Valid input, unique per role so that an allowed call really does something. */
  fields(role: Role, ids: Ids): FormFields;
  /**
   * The statuses a refused call may get besides 401 and 403: a draft campaign's address is a
   * 404 for anyone who is not an admin (the draft does not exist for them).
   */
  refusedAlso?: number[];
  /** How the role's own form sends it (a file upload is multipart); urlencoded unless said. */
  encoding?: FormEncoding;
  /** Whether the call took effect. */
  tookEffect(site: TestSite, role: Role, ids: Ids): Promise<boolean>;
}

interface Ids {
  inviteId: number;
  resendInviteId: number;
  setupLinkId: number;
  targetUserId: number;
  // --- reminders ---
  reminderId: number;
  /** Candidates on party A's list: the one with an account (candidateOfA), and one without. */
  ownCandidateId: number;
  uninvitedCandidateId: number;
  /** On party B's list, with an account of their own. */
  candidateOfBId: number;
  /** The campaign's check of party A's pledge (its source could not be fetched: no internet here). */
  checkId: number;
  /** A follow-up rating of party A's pledge in the follow-up campaign. */
  ratingId: number;
  /** Party A's reply to that check, for the campaign to hide. */
  replyId: number;
}

const exists = async (rows: Promise<unknown[]>) => (await rows).length > 0;

/** A Kiesraad CSV with party C's list (no candidates otherwise) of one candidate, named for the role that uploads it. */
const candidateFile = (role: Role) =>
  [
    'Kieskring;Lijstnummer;Politieke Groepering;Type;Publiceer geslacht;Taal;Nr.;Tussenvoegsel;Achternaam;Voorletters;Roepnaam;Geslacht;Woonplaats;Land',
    `1;3;Testpartij C;stel gelijkluidende lijsten;nee;nl;1;;Geupload ${role};G.;Gea;;Proefdorp;`,
  ].join('\r\n');

/** Actions of one's own sign-in, or authorised by a one-time link rather than a role. */
const NOT_IN_MATRIX = {
  signIn: 'public: for anonymous visitors (integration/sign-in-limits, http/accounts-flow)',
  verifySecondFactor: 'the code step of one’s own sign-in (http/accounts-flow: "an admin must pass the second step…")',
  enrolSecondFactor: 'one’s own set-up (http/accounts-flow: "a new admin sets up TOTP first…"; below: "a stolen password cannot replace…")',
  signOut: 'ends only the caller’s own session (http/accounts-flow: "signing out ends the session…")',
  acceptLink: 'authorised by its one-time link (integration/account-links: "works once only", "expires 7 days…")',
  resetPassword: 'authorised by its one-time link (integration/account-links: "a reset link sets a new password once…")',
};

/** A saved Tweede Kamer response (fictional parties) under a number of the role's own. */
const MOTION = readFileSync(path.resolve(import.meta.dirname, '../fixtures/tk/motion.json'), 'utf8');
const zaakNumberFor = (role: Role) => `2031Z0100${ROLES.indexOf(role)}`;
const zaakFileFor = (role: Role) => MOTION.replaceAll('2031Z01234', zaakNumberFor(role));
/** An item linked in the setup for each role to unlink. */
const linkedNumberFor = (role: Role) => `2031Z0200${ROLES.indexOf(role)}`;

const CASES: Case[] = [
  {
    action: 'savePledge',
    audit: 'pledge.corrected',
    page: '/beheer/partijen/testpartij-b',
    allowed: ['admin'],
    fields: (role) => ({
      party: 'testpartij-b',
      goal,
      baseVersion: '0',
      stance: 'committed',
      statement: `door ${role}`,
      evidenceUrl: '',
      evidencePage: '',
      correctionReason: 'Verkeerd overgenomen.',
    }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(pledges)
          .where(eq(pledges.statement, `door ${role}`)),
      ),
  },
  {
    // The representatives' form for all goals; for another party only an admin (a correction).
    action: 'savePledges',
    audit: 'pledge.corrected',
    page: '/beheer/partijen/testpartij-b',
    allowed: ['admin'],
    fields: (role) => ({ ...pledgeFormFields('testpartij-b', goals[2]!.slug, { statement: `alles door ${role}` }), correctionReason: 'Verkeerd overgenomen.' }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(pledges)
          .where(eq(pledges.statement, `alles door ${role}`)),
      ),
  },
  {
    action: 'changePassword',
    audit: 'password.changed',
    page: '/account',
    allowed: ['repOfA', 'candidateOfA', 'admin'],
    fields: () => ({ currentPassword: 'een heel geheim wachtwoord', newPassword: 'een heel geheim wachtwoord 2' }),
    tookEffect: async (site, role) => {
      if (role === 'anonymous') return false;
      const [user] = await site.db.select().from(users).where(eq(users.email, EMAILS[role]));
      return verifyPassword(user!.passwordHash, 'een heel geheim wachtwoord 2');
    },
  },
  {
    action: 'createParty',
    audit: 'party.created',
    page: '/beheer/partijen',
    allowed: ['admin'],
    fields: (role) => ({ slug: `nieuw-${role.toLowerCase()}`, name: `Nieuwe Partij ${role}`, abbreviation: 'NP', seats: '0', website: '' }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(parties)
          .where(eq(parties.slug, `nieuw-${role.toLowerCase()}`)),
      ),
  },
  {
    action: 'updateParty',
    audit: 'party.updated',
    page: '/beheer/partijen/testpartij-b',
    allowed: ['admin'],
    fields: (role) => ({ slug: 'testpartij-b', name: `Hernoemd door ${role}`, abbreviation: 'TPB', seats: '20', website: '' }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(parties)
          .where(eq(parties.name, `Hernoemd door ${role}`)),
      ),
  },
  {
    action: 'setPartyRetired',
    audit: 'party.retired',
    page: '/beheer/partijen/testpartij-c',
    allowed: ['admin'],
    fields: () => ({ slug: 'testpartij-c', retired: 'true', confirm: 'ja' }),
    tookEffect: (site) =>
      exists(
        site.db
          .select()
          .from(campaignParties)
          .innerJoin(parties, eq(parties.id, campaignParties.partyId))
          .where(and(eq(parties.slug, 'testpartij-c'), isNotNull(campaignParties.retiredAt))),
      ),
  },
  {
    action: 'createInvite',
    audit: 'invite.created',
    page: '/beheer/uitnodigingen',
    allowed: ['admin'],
    fields: (role) => ({ party: 'testpartij-b', emails: `${role.toLowerCase()}@uitgenodigd.example`, locale: 'nl' }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(accountLinks)
          .where(eq(accountLinks.email, `${role.toLowerCase()}@uitgenodigd.example`)),
      ),
  },
  {
    // A representative invites candidates of their own party's list; an admin any candidate.
    action: 'inviteCandidate',
    audit: 'candidate.invited',
    page: '/mijn-partij',
    pageFor: { admin: '/beheer/partijen/testpartij-a' },
    allowed: ['repOfA', 'admin'],
    fields: (role, ids) => ({ candidate: String(ids.uninvitedCandidateId), email: `${role.toLowerCase()}@kandidaat.example`, locale: 'nl' }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(accountLinks)
          .where(eq(accountLinks.email, `${role.toLowerCase()}@kandidaat.example`)),
      ),
  },
  {
    // The Kiesraad's candidate file, uploaded in Beheer: admins only (multipart, a file field).
    action: 'importCandidateFile',
    audit: 'candidates.imported',
    page: '/beheer/kandidaten',
    allowed: ['admin'],
    encoding: 'multipart',
    fields: (role) => ({ file: new File([candidateFile(role)], 'kandidaten.csv') }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(candidates)
          .where(eq(candidates.lastName, `Geupload ${role}`)),
      ),
  },
  {
    // After the election: who was elected, marked by an admin only.
    action: 'setCandidateElected',
    audit: 'candidate.elected',
    page: '/beheer/kandidaten',
    allowed: ['admin'],
    fields: (_role, ids) => ({ candidate: String(ids.uninvitedCandidateId), elected: 'true' }),
    tookEffect: (site, _role, ids) =>
      exists(
        site.db
          .select()
          .from(candidates)
          .where(and(eq(candidates.id, ids.uninvitedCandidateId), isNotNull(candidates.electedAt))),
      ),
  },
  {
    // Only the candidate's own account signs for them: not their party's representative, not an admin.
    action: 'signGoals',
    audit: 'candidate.signed',
    page: '/mijn-handtekening',
    allowed: ['candidateOfA'],
    fields: (role, ids) => signatureFields(ids.ownCandidateId, `getekend door ${role}`),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(candidateSignatures)
          .where(eq(candidateSignatures.statement, `getekend door ${role}`)),
      ),
  },
  {
    action: 'revokeInvite',
    audit: 'invite.revoked',
    page: '/beheer/uitnodigingen',
    allowed: ['admin'],
    fields: (_, ids) => ({ id: String(ids.inviteId) }),
    tookEffect: (site, _, ids) =>
      exists(
        site.db
          .select()
          .from(accountLinks)
          .where(and(eq(accountLinks.id, ids.inviteId), isNotNull(accountLinks.revokedAt))),
      ),
  },
  {
    // A fresh link by mail for an open invitation (the old link is revoked).
    action: 'resendInvite',
    audit: 'invite.resent',
    page: '/beheer/uitnodigingen',
    allowed: ['admin'],
    fields: (_, ids) => ({ id: String(ids.resendInviteId) }),
    tookEffect: (site) => exists(site.db.select().from(outbox).where(eq(outbox.toAddress, 'nog-eens@partij-b.example'))),
  },
  {
    action: 'setUserDisabled',
    audit: 'user.disabled',
    page: '/beheer/accounts',
    allowed: ['admin'],
    fields: (_, ids) => ({ userId: String(ids.targetUserId), disabled: 'true', confirm: 'ja' }),
    tookEffect: (site, _, ids) =>
      exists(
        site.db
          .select()
          .from(users)
          .where(and(eq(users.id, ids.targetUserId), isNotNull(users.disabledAt))),
      ),
  },
  {
    action: 'createResetLink',
    audit: 'password.reset-link.created',
    page: '/beheer/accounts',
    allowed: ['admin'],
    fields: (_, ids) => ({ userId: String(ids.targetUserId) }),
    tookEffect: (site, _, ids) => exists(site.db.select().from(accountLinks).where(eq(accountLinks.userId, ids.targetUserId))),
  },
  {
    action: 'revokeAccountLink',
    audit: 'account-link.revoked',
    page: '/beheer/accounts',
    allowed: ['admin'],
    fields: (_, ids) => ({ linkId: String(ids.setupLinkId) }),
    tookEffect: (site, _, ids) =>
      exists(
        site.db
          .select()
          .from(accountLinks)
          .where(and(eq(accountLinks.id, ids.setupLinkId), isNotNull(accountLinks.revokedAt))),
      ),
  },
  {
    action: 'moderateStatement',
    audit: 'statement.hidden',
    page: '/beheer/partijen/testpartij-a',
    allowed: ['admin'],
    fields: () => ({ party: 'testpartij-a', goal, hide: 'true', reason: 'Bevat persoonsgegevens' }),
    tookEffect: (site) => exists(site.db.select().from(statementModerations)),
  },
  // --- checks and replies (issue 15); refetchEvidence first: checkPledge's check has no address to fetch ---
  {
    action: 'refetchEvidence',
    audit: 'evidence.refetched',
    page: '/beheer/partijen/testpartij-a',
    allowed: ['admin'],
    fields: () => ({ party: 'testpartij-a', goal }),
    // The setup's check kept one snapshot (a refusal: no internet here); fetching again adds one.
    tookEffect: async (site) => (await site.db.select().from(evidenceSnapshots)).length > 1,
  },
  {
    action: 'checkPledge',
    audit: 'pledge.checked',
    page: '/beheer/partijen/testpartij-a',
    allowed: ['admin'],
    // The confirm step's post (a dispute is recorded only with confirm=ja).
    fields: (role) => ({ party: 'testpartij-a', goal, verdict: 'disputed', reason: `door ${role}`, quote: '', page: '', checkedUrl: '', confirm: 'ja' }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(pledgeChecks)
          .where(eq(pledgeChecks.reason, `door ${role}`)),
      ),
  },
  {
    action: 'replyToCheck',
    audit: 'reply.added',
    page: '/mijn-partij',
    allowed: ['repOfA'],
    fields: (role, ids) => ({ check: String(ids.checkId), text: `door ${role}` }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(partyReplies)
          .where(eq(partyReplies.text, `door ${role}`)),
      ),
  },
  {
    action: 'moderateReply',
    audit: 'reply.hidden',
    page: '/beheer/partijen/testpartij-a',
    allowed: ['admin'],
    fields: (_, ids) => ({ party: 'testpartij-a', reply: String(ids.replyId), hide: 'true', reason: 'Bevat persoonsgegevens' }),
    tookEffect: (site, _, ids) => exists(site.db.select().from(replyModerations).where(eq(replyModerations.replyId, ids.replyId))),
  },
  {
    action: 'setPledging',
    audit: 'pledging.closed',
    page: '/beheer',
    allowed: ['admin'],
    fields: () => ({ state: 'closed', confirm: 'ja' }),
    tookEffect: (site) =>
      exists(
        site.db
          .select()
          .from(campaigns)
          .where(and(eq(campaigns.id, TEST_CAMPAIGN_ID), eq(campaigns.pledgingOverride, 'closed'))),
      ),
  },
  {
    action: 'setDeadline',
    audit: 'pledging.deadline-set',
    page: '/beheer',
    allowed: ['admin'],
    // A day per role, a month ahead: each call's deadline is its own.
    fields: (role) => ({ date: deadlineDay(role), time: '18:00' }),
    tookEffect: async (site, role) => {
      const [row] = await site.db.select().from(campaigns).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
      return row?.pledgeDeadline?.toISOString().startsWith(`${deadlineDay(role)}T17:00`) ?? false;
    },
  },
  {
    // Runs after setDeadline's cases: by then the admin has set a deadline to clear.
    action: 'clearDeadline',
    audit: 'pledging.deadline-cleared',
    page: '/beheer',
    allowed: ['admin'],
    // No confirmation step any more: removing a deadline never closes pledging.
    fields: () => ({}),
    tookEffect: (site) => exists(site.db.select().from(auditLog).where(eq(auditLog.action, 'pledging.deadline-cleared'))),
  },
  {
    action: 'createRecoveryCodes',
    audit: 'recovery-codes.created',
    page: '/account/herstelcodes',
    // Anyone fully signed in with a second factor, for their own account only.
    allowed: ['repOfA', 'candidateOfA', 'admin'],
    // The sign-in used this step's code: the app's next one proves the new set.
    fields: (role) => ({ code: totpKeys[role] ? currentTotpCode(totpKeys[role], new Date(Date.now() + 30_000)) : '123456' }),
    tookEffect: async (site, role) => {
      if (role === 'anonymous') return false;
      const [user] = await site.db.select().from(users).where(eq(users.email, EMAILS[role]));
      return exists(site.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user!.id)));
    },
  },
  // --- forgot-password ---
  {
    // Open to everyone (whoever forgot a password is not signed in): each role asks for another
    // enabled account, so that each allowed call mails a link (and stays within the limits).
    action: 'requestPasswordReset',
    audit: 'password.reset-requested',
    page: '/wachtwoord-vergeten',
    allowed: ROLES,
    fields: (role) => ({ email: FORGETFUL[role] }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(outbox)
          .where(and(eq(outbox.toAddress, FORGETFUL[role]), eq(outbox.kind, 'password-reset'))),
      ),
  },
  // --- end forgot-password ---
  // --- reminders ---
  {
    action: 'addReminder',
    audit: 'reminder.scheduled',
    page: '/beheer/herinneringen',
    allowed: ['admin'],
    fields: (role) => ({ daysBefore: String(20 + ROLES.indexOf(role)) }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(reminderSchedule)
          .where(eq(reminderSchedule.daysBefore, 20 + ROLES.indexOf(role))),
      ),
  },
  {
    action: 'removeReminder',
    audit: 'reminder.unscheduled',
    page: '/beheer/herinneringen',
    allowed: ['admin'],
    fields: (_, ids) => ({ reminder: String(ids.reminderId) }),
    tookEffect: async (site, _, ids) => !(await exists(site.db.select().from(reminderSchedule).where(eq(reminderSchedule.id, ids.reminderId)))),
  },
  {
    // Only a party's representative chooses notices; an admin has no party to hear about.
    action: 'setMailPreferences',
    audit: 'account.notifications-changed',
    page: '/account',
    allowed: ['repOfA'],
    fields: () => ({ colleagueChanges: 'on', locale: 'en' }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(users)
          .where(and(eq(users.email, role === 'anonymous' ? '' : EMAILS[role]), eq(users.notifyColleagueChanges, true))),
      ),
  },
  // --- campaigns in Beheer ---
  {
    action: 'createCampaign',
    audit: 'campaign.created',
    page: '/beheer/campagnes/nieuw',
    allowed: ['admin'],
    fields: (role) =>
      Object.fromEntries(
        Object.entries(newCampaignForm('', `matrix-${role.toLowerCase()}`, { terminologyNl: 'Zeg CSAM.', terminologyEn: 'Say CSAM.' })).map(([k, v]) => [
          k,
          v ?? '',
        ]),
      ),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(campaigns)
          .where(eq(campaigns.slug, `matrix-${role.toLowerCase()}`)),
      ),
  },
  {
    action: 'setCampaignState',
    audit: 'campaign.published',
    page: '/beheer/campagnes',
    allowed: ['admin'],
    fields: () => ({ campaign: 'matrix-publiceren', step: 'publish', confirm: 'ja' }),
    tookEffect: (site) =>
      exists(
        site.db
          .select()
          .from(campaigns)
          .where(and(eq(campaigns.slug, 'matrix-publiceren'), eq(campaigns.state, 'open'))),
      ),
  },
  {
    // Restored after the matrix ("the first campaign is current again").
    action: 'makeCampaignCurrent',
    audit: 'campaign.made-current',
    page: '/beheer/campagnes',
    allowed: ['admin'],
    fields: () => ({ campaign: 'matrix-andere', confirm: 'ja' }),
    tookEffect: (site) =>
      exists(
        site.db
          .select()
          .from(campaigns)
          .where(and(eq(campaigns.slug, 'matrix-andere'), eq(campaigns.isCurrent, true))),
      ),
  },
  {
    action: 'updateCampaign',
    refusedAlso: [404],
    audit: 'campaign.updated',
    page: '/campagnes/matrix-concept/beheer/campagne',
    allowed: ['admin'],
    fields: (role) => {
      const form: Record<string, string> = {};
      for (const [k, v] of Object.entries(
        newCampaignForm('', 'matrix-concept', { nameNl: `Naam door ${role}`, terminologyNl: 'Zeg CSAM.', terminologyEn: 'Say CSAM.' }),
      ))
        form[k] = v ?? '';
      for (const k of ['slug', 'copyGoalsFrom', 'partiesFrom']) delete form[k];
      return form;
    },
    tookEffect: async (site, role) =>
      JSON.stringify((await site.db.select().from(campaigns).where(eq(campaigns.slug, 'matrix-concept')))[0]?.profile).includes(`Naam door ${role}`),
  },
  {
    action: 'updateGoal',
    refusedAlso: [404],
    audit: 'campaign.goal-updated',
    page: '/campagnes/matrix-concept/beheer/campagne',
    allowed: ['admin'],
    fields: (role) => ({ goal: 'veilige-apps', ...matrixGoalTexts(`Doel door ${role}`) }),
    tookEffect: async (site, role) =>
      JSON.stringify(await site.db.select().from(campaignGoals).where(eq(campaignGoals.slug, 'veilige-apps'))).includes(`Doel door ${role}`),
  },
  {
    action: 'addGoal',
    refusedAlso: [404],
    audit: 'campaign.goal-added',
    page: '/campagnes/matrix-concept/beheer/campagne',
    allowed: ['admin'],
    fields: (role) => ({ slug: `doel-${role.toLowerCase()}`, number: String(10 + ROLES.indexOf(role)), ...matrixGoalTexts(`Nieuw door ${role}`) }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(campaignGoals)
          .where(eq(campaignGoals.slug, `doel-${role.toLowerCase()}`)),
      ),
  },
  {
    action: 'deleteGoal',
    refusedAlso: [404],
    audit: 'campaign.goal-deleted',
    page: '/campagnes/matrix-concept/beheer/campagne',
    allowed: ['admin'],
    fields: () => ({ goal: 'hulp-op-school', confirm: 'ja' }),
    // The other matrix campaigns have a goal of that slug too: only the draft's counts.
    tookEffect: async (site) =>
      !(await exists(
        site.db
          .select()
          .from(campaignGoals)
          .innerJoin(campaigns, eq(campaigns.id, campaignGoals.campaignId))
          .where(and(eq(campaignGoals.slug, 'hulp-op-school'), eq(campaigns.slug, 'matrix-concept'))),
      )),
  },
  // --- follow-up after the election: an admin rates, links a Zaak, maps a fraction ---
  {
    action: 'rateFollowUp',
    audit: 'follow-up.rated',
    page: '/campagnes/matrix-opvolging/beheer/opvolging',
    allowed: ['admin'],
    fields: (role) => ({
      party: 'testpartij-a',
      goal: 'veilige-apps',
      status: 'kept',
      citationUrl: 'https://example.org/bron',
      explanation: `Beoordeeld door ${role}`,
    }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(followUpRatings)
          .where(eq(followUpRatings.explanation, `Beoordeeld door ${role}`)),
      ),
  },
  {
    action: 'replyToFollowUp',
    audit: 'reply.added',
    page: '/campagnes/matrix-opvolging/mijn-partij',
    allowed: ['repOfA'],
    fields: (role, ids) => ({ rating: String(ids.ratingId), text: `op beoordeling door ${role}` }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(partyReplies)
          .where(eq(partyReplies.text, `op beoordeling door ${role}`)),
      ),
  },
  {
    action: 'importZaak',
    audit: 'parliament.item-linked',
    page: '/campagnes/matrix-opvolging/beheer/opvolging',
    allowed: ['admin'],
    encoding: 'multipart',
    fields: (role) => ({ goal: 'veilige-apps', effect: 'advances', file: new File([zaakFileFor(role)], 'zaak.json') }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(parliamentItems)
          .where(eq(parliamentItems.zaakNumber, zaakNumberFor(role))),
      ),
  },
  {
    action: 'unlinkItem',
    audit: 'parliament.item-unlinked',
    page: '/campagnes/matrix-opvolging/beheer/opvolging',
    allowed: ['admin'],
    fields: (role) => ({ goal: 'veilige-apps', number: linkedNumberFor(role), reason: `Ontkoppeld door ${role}`, confirm: 'ja' }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(parliamentItemUnlinks)
          .where(eq(parliamentItemUnlinks.reason, `Ontkoppeld door ${role}`)),
      ),
  },
  {
    action: 'mapFraction',
    audit: 'parliament.fraction-mapped',
    page: '/campagnes/matrix-opvolging/beheer/opvolging',
    allowed: ['admin'],
    fields: (role) => ({ fraction: `Fractie ${role}`, party: 'testpartij-a' }),
    tookEffect: (site, role) =>
      exists(
        site.db
          .select()
          .from(fractionMappings)
          .where(eq(fractionMappings.fraction, `Fractie ${role}`)),
      ),
  },
];

/** A goal's texts in both languages, as the goal forms send them. */
function matrixGoalTexts(tag: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const suffix of ['Nl', 'En']) {
    fields[`title${suffix}`] = `${tag} ${suffix}`;
    fields[`shortTitle${suffix}`] = `Kort ${suffix}`;
    fields[`summary${suffix}`] = '';
    fields[`measures${suffix}`] = 'Een maatregel';
    fields[`manifestoText${suffix}`] = 'Een modeltekst.';
  }
  return fields;
}

/** A candidate's signing form: every goal committed, with one statement. */
function signatureFields(candidateId: number, statement: string): Record<string, string> {
  return {
    candidate: String(candidateId),
    ...Object.fromEntries(
      goals.flatMap((g) => [
        [`${g.slug}.committed`, 'yes'],
        [`${g.slug}.statement`, statement],
      ]),
    ),
  };
}

/** Winter time (UTC+1) in Amsterdam: 18:00 there is 17:00Z. */
function deadlineDay(role: Role): string {
  const day = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 10 + ROLES.indexOf(role)));
  return day.toISOString().slice(0, 10);
}

/** The TOTP keys of the accounts that have one (filled in beforeAll). */
const totpKeys: Partial<Record<Role, string>> = {};

/** Whose reset each role asks for (requestPasswordReset): enabled accounts (one twice, within its limit). */
const FORGETFUL: Record<Role, string> = {
  // Not the target account: setUserDisabled's case disables it, and a disabled account gets no mail.
  anonymous: EMAILS.repOfA,
  repOfA: EMAILS.adminWithoutSecondStep,
  candidateOfA: EMAILS.candidateOfA,
  disabled: EMAILS.adminCodeNotEntered,
  adminWithoutSecondStep: EMAILS.admin,
  adminCodeNotEntered: EMAILS.repOfA,
  admin: EMAILS.adminWithoutSecondStep,
};

it('the matrix covers every action the site defines', () => {
  const defined = Object.keys(siteActions).sort();
  const covered = [...CASES.map((c) => c.action), ...Object.keys(NOT_IN_MATRIX)].sort();
  expect(defined.length).toBeGreaterThan(10);
  expect(covered).toEqual(defined);
});

describe.each(ENGINES)('who may do what, on %s', (engine) => {
  let site: TestSite;
  const clients = {} as Record<Role, FormClient>;
  const ids = {} as Ids;
  let adminCodeNotEnteredKey = '';
  let candidateOfB: TestAccount;
  const auditLines = async (action: string) => (await site.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, action)))[0]!.n;

  beforeAll(async () => {
    site = await startTestSite(engine);
    const { db } = site;
    const { importInitialParties } = await import('../../src/domain/parties.ts');
    await importInitialParties(db, TEST_CAMPAIGN_ID, []);
    const partyIds = await addTestParties(db, TEST_PARTIES);
    // Party A has a pledge, so there is a statement to moderate.
    await savePledge(db, {
      campaignId: TEST_CAMPAIGN_ID,
      partySlug: 'testpartij-a',
      goalSlug: goal,
      goalSlugs: goals.map((g) => g.slug),
      baseVersion: 0,
      input: { stance: 'committed', statement: 'A' },
      actor: SYSTEM_ACTOR,
    });
    // The campaign checked it; its source could not be fetched (no internet in the tests).
    const check = await recordCheck(
      db,
      TEST_CAMPAIGN_ID,
      { partySlug: 'testpartij-a', goalSlug: goal, verdict: 'disputed', reason: 'Staat niet in het programma.', checkedUrl: 'https://bron.test/programma' },
      { actor: { ...SYSTEM_ACTOR, role: 'admin' } },
    );
    ids.checkId = check.status === 'done' ? check.checkId : -1;
    const reply = await addReply(
      db,
      TEST_CAMPAIGN_ID,
      { subject: 'check', subjectId: ids.checkId, text: 'Het staat er wel.' },
      { actor: { ...SYSTEM_ACTOR, role: 'rep', partyId: partyIds.get('testpartij-a')! } },
    );
    ids.replyId = reply.status === 'done' ? reply.id : -1;
    // Candidates: two on party A's list (one signs in), one on party B's (signs in too).
    [ids.ownCandidateId, ids.uninvitedCandidateId, ids.candidateOfBId] = (await addTestCandidates(db, TEST_CAMPAIGN_ID, [
      { partyId: partyIds.get('testpartij-a')!, firstName: 'Anna', lastName: 'Voorbeeld' },
      { partyId: partyIds.get('testpartij-a')!, firstName: 'Bram', lastName: 'Bedacht' },
      { partyId: partyIds.get('testpartij-b')!, firstName: 'Dirk', lastName: 'Denkbeeld' },
    ])) as [number, number, number];

    const accounts: Record<Exclude<Role, 'anonymous'>, TestAccount> = {
      // With a second factor, so that its recovery codes are its own to renew.
      repOfA: await createAccount(db, { email: EMAILS.repOfA, party: 'testpartij-a', totp: true }),
      // With a second factor too (a candidate may set one up), so that its recovery codes are its own to renew.
      candidateOfA: await createCandidateAccount(db, { email: EMAILS.candidateOfA, candidateId: ids.ownCandidateId, totp: true }),
      disabled: await createAccount(db, { email: EMAILS.disabled, party: 'testpartij-a' }),
      adminWithoutSecondStep: await createAccount(db, { email: EMAILS.adminWithoutSecondStep }),
      adminCodeNotEntered: await createAccount(db, { email: EMAILS.adminCodeNotEntered, totp: true }),
      admin: await createAccount(db, { email: EMAILS.admin, totp: true }),
    };
    const target = await createAccount(db, { email: 'doelwit@partij-b.example', party: 'testpartij-b' });
    ids.targetUserId = target.user.id;
    candidateOfB = await createCandidateAccount(db, { email: 'kandidaat@partij-b.example', candidateId: ids.candidateOfBId });
    const invite = await createInvite(db, { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-b', email: 'open@partij-b.example' }, { actor: SYSTEM_ACTOR });
    ids.inviteId = invite.status === 'created' ? invite.link.id : -1;
    const toResend = await createInvite(
      db,
      { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-b', email: 'nog-eens@partij-b.example' },
      { actor: SYSTEM_ACTOR },
    );
    ids.resendInviteId = toResend.status === 'created' ? toResend.link.id : -1;
    // An open setup link for a named address (a reset link would be replaced by createResetLink's case).
    await createAdminSetupLink(db, { email: 'nog-te-maken@campagne.example' }, { actor: SYSTEM_ACTOR });
    ids.setupLinkId = (await db.select().from(accountLinks).where(eq(accountLinks.email, 'nog-te-maken@campagne.example')))[0]!.id;
    // --- reminders ---
    ids.reminderId = (await db.insert(reminderSchedule).values({ campaignId: TEST_CAMPAIGN_ID, daysBefore: 3 }).returning())[0]!.id;
    // --- campaigns in Beheer: a draft to edit, a draft to publish, an open one to make current ---
    await addTestCampaign(db, { slug: 'matrix-concept', state: 'draft' });
    await addTestCampaign(db, { slug: 'matrix-publiceren', state: 'draft' });
    await addTestCampaign(db, { slug: 'matrix-andere' });
    // --- follow-up: a campaign after the election, with party A ---
    const followUpId = await addTestCampaign(db, { slug: 'matrix-opvolging', state: 'follow-up' });
    await addTestParties(db, TEST_PARTIES.slice(0, 1), followUpId);
    const rated = await rateFollowUp(
      db,
      followUpId,
      { partySlug: 'testpartij-a', goalSlug: 'veilige-apps', status: 'stalled', citationUrl: 'https://example.org/kamerbrief', explanation: 'Staat stil.' },
      { actor: { ...SYSTEM_ACTOR, role: 'admin' } },
    );
    ids.ratingId = rated.status === 'done' ? rated.rating.id : -1;
    for (const role of ROLES) {
      const item = parseZaakResponse(JSON.parse(MOTION.replaceAll('2031Z01234', linkedNumberFor(role))));
      await linkZaak(db, followUpId, { goalSlug: 'veilige-apps', item }, { actor: SYSTEM_ACTOR });
    }

    for (const role of ['repOfA', 'candidateOfA', 'adminCodeNotEntered', 'admin'] as const) totpKeys[role] = accounts[role].totpKey!;
    for (const role of ROLES) clients[role] = new FormClient(site.url);
    for (const role of ['repOfA', 'candidateOfA', 'disabled', 'admin'] as const) await signInOverHttp(clients[role], accounts[role]);
    // Password only: the admin still owes the TOTP set-up.
    const pending = await clients.adminWithoutSecondStep.submit('/inloggen', 'signIn', {
      email: EMAILS.adminWithoutSecondStep,
      password: accounts.adminWithoutSecondStep.password,
    });
    expect(pending.headers.get('location')).toBe('/account/tweestapsverificatie');
    // Password right, code never entered (as someone who stole only the password).
    const halfway = await clients.adminCodeNotEntered.submit('/inloggen', 'signIn', {
      email: EMAILS.adminCodeNotEntered,
      password: accounts.adminCodeNotEntered.password,
    });
    expect(halfway.headers.get('location')).toBe('/inloggen/code');
    adminCodeNotEnteredKey = accounts.adminCodeNotEntered.totpKey!;
    // Disabled after signing in: the cookie they hold must no longer work.
    await setUserDisabled(db, accounts.disabled.user.id, true, SYSTEM_ACTOR);
  });

  afterAll(() => site?.close());

  // First, before the matrix: valid input from another site, in each encoding a form may use
  // and at the action endpoint, is refused even for a full admin, and writes nothing.
  for (const testCase of CASES) {
    it(`${testCase.action} by admin from a forged origin is refused (urlencoded, multipart, text, /_actions)`, async () => {
      const before = await databaseFingerprint(site.db);
      const fields = testCase.fields('admin', ids);
      for (const encoding of ['urlencoded', 'multipart', 'text'] as const) {
        const response = await clients.admin.submit(testCase.page, testCase.action, fields, { origin: 'https://kwaadwillend.example', encoding });
        expect(response.status, encoding).toBe(403);
      }
      expect((await clients.admin.callAction(testCase.action, fields, { origin: 'https://kwaadwillend.example' })).status).toBe(403);
      expect(await testCase.tookEffect(site, 'admin', ids)).toBe(false);
      expect(await databaseFingerprint(site.db)).toEqual(before);
    });
  }

  for (const testCase of CASES) {
    for (const role of ROLES) {
      const allowed = testCase.allowed.includes(role);
      it(`${testCase.action} by ${role} is ${allowed ? 'allowed' : 'refused'}`, async () => {
        const before = await databaseFingerprint(site.db, { except: ['audit_log'] });
        const auditBefore = await auditLines(testCase.audit);
        const response = await clients[role].submit(testCase.pageFor?.[role] ?? testCase.page, testCase.action, testCase.fields(role, ids), {
          encoding: testCase.encoding,
        });
        if (allowed) {
          expect(response.status, await response.text()).toBeLessThan(400);
          // What an action leaves for after its answer (a reset request's lookup and mail) is done.
          await site.app.resetRequests.idle();
          expect(await testCase.tookEffect(site, role, ids)).toBe(true);
          expect(await auditLines(testCase.audit)).toBe(auditBefore + 1);
        } else {
          expect([401, 403, ...(testCase.refusedAlso ?? [])]).toContain(response.status);
          // Astro's own endpoint for the same action runs the same checks.
          const viaEndpoint = await clients[role].callAction(testCase.action, testCase.fields(role, ids));
          expect([401, 403], await viaEndpoint.clone().text()).toContain(viaEndpoint.status);
          expect(await testCase.tookEffect(site, role, ids)).toBe(false);
          expect(await databaseFingerprint(site.db, { except: ['audit_log'] })).toEqual(before);
          expect(await auditLines(testCase.audit)).toBe(auditBefore);
        }
      });
    }
  }

  it('the first campaign is current again (after makeCampaignCurrent)', async () => {
    const [first] = await site.db.select().from(campaigns).where(eq(campaigns.slug, 'tweede-kamer-2025'));
    expect(await makeCurrent(site.db, first!.id, { actor: SYSTEM_ACTOR })).toBe('done');
    await site.app.boardVersion.refresh();
  });

  it('a stolen password cannot replace an admin’s TOTP key: setting up a new app needs the code step first', async () => {
    const [before] = await site.db.select().from(users).where(eq(users.email, EMAILS.adminCodeNotEntered));
    const attackerKey = generateTotpKey();
    const fields = { key: attackerKey, code: currentTotpCode(attackerKey, new Date()) };
    const response = await clients.adminCodeNotEntered.submit('/account/tweestapsverificatie', 'enrolSecondFactor', fields);
    expect(response.status).toBe(401);
    expect((await clients.adminCodeNotEntered.callAction('enrolSecondFactor', fields)).status).toBe(401);
    const [after] = await site.db.select().from(users).where(eq(users.email, EMAILS.adminCodeNotEntered));
    expect(after!.totpKey).toBe(adminCodeNotEnteredKey);
    expect(after!.totpKey).toBe(before!.totpKey);
    // And the session still opens no admin page.
    expect((await clients.adminCodeNotEntered.get('/beheer')).status).toBe(303);
  });

  it('a representative pledges for their own party', async () => {
    // The matrix closed pledging (setPledging by admin): follow the (absent) deadline again.
    await setPledgingOverride(site.db, TEST_CAMPAIGN_ID, null, SYSTEM_ACTOR);
    await site.app.boardVersion.refresh();
    const response = await clients.repOfA.submit(
      '/mijn-partij',
      'savePledges',
      pledgeFormFields('testpartij-a', goals[1]!.slug, { stance: 'partial', statement: 'Eigen partij' }),
    );
    expect(response.status).toBe(303);
    const [saved] = await site.db.select().from(pledges).where(eq(pledges.statement, 'Eigen partij'));
    expect(saved?.updatedByRole).toBe('rep');
  });

  it('a candidate of list A cannot sign for a candidate of list B, nor a representative or admin for anyone', async () => {
    await setPledgingOverride(site.db, TEST_CAMPAIGN_ID, null, SYSTEM_ACTOR);
    const before = await databaseFingerprint(site.db);
    for (const [role, candidateId] of [
      ['candidateOfA', ids.candidateOfBId],
      ['repOfA', ids.ownCandidateId],
      ['admin', ids.candidateOfBId],
    ] as const) {
      const fields = signatureFields(candidateId, `namens ${role}`);
      expect((await clients[role].submit('/mijn-handtekening', 'signGoals', fields)).status, role).toBe(403);
      expect((await clients[role].callAction('signGoals', fields)).status, role).toBe(403);
    }
    expect(await databaseFingerprint(site.db)).toEqual(before);
    // And candidate B, signed in, does sign for themselves.
    const clientB = new FormClient(site.url);
    await signInOverHttp(clientB, candidateOfB);
    expect((await clientB.submit('/mijn-handtekening', 'signGoals', signatureFields(ids.candidateOfBId, 'zelf getekend'))).status).toBe(303);
  });

  it('a representative cannot invite a candidate of another party; a candidate cannot pledge for their party', async () => {
    const before = await databaseFingerprint(site.db);
    const invite = { candidate: String(ids.candidateOfBId), email: 'niet-van-a@kandidaat.example', locale: 'nl' };
    expect((await clients.repOfA.submit('/mijn-partij', 'inviteCandidate', invite)).status).toBe(403);
    const pledge = pledgeFormFields('testpartij-a', goals[1]!.slug, { stance: 'committed', statement: 'Door een kandidaat' });
    expect((await clients.candidateOfA.submit('/mijn-partij', 'savePledges', pledge)).status).toBe(403);
    expect(await databaseFingerprint(site.db)).toEqual(before);
  });

  it('a candidate reaches their signing page only: no Beheer, no Mijn partij; others not theirs', async () => {
    for (const path of ['/beheer', '/beheer/partijen/testpartij-a', '/mijn-partij', '/en/my-party']) {
      expect((await clients.candidateOfA.get(path)).status, path).toBe(403);
    }
    const own = await clients.candidateOfA.get('/mijn-handtekening');
    expect(own.status).toBe(200);
    expect(own.headers.get('cache-control')).toContain('no-store');
    expect(await own.text()).toContain('Anna Voorbeeld');
    for (const role of ['repOfA', 'admin'] as const) expect((await clients[role].get('/en/my-signature')).status, role).toBe(403);
    expect((await clients.anonymous.get('/mijn-handtekening')).status).toBe(303);
    // Signing in, a candidate lands on their signing page.
    const fresh = new FormClient(site.url);
    const signIn = await fresh.submit('/inloggen', 'signIn', { email: candidateOfB.email, password: candidateOfB.password });
    expect(signIn.headers.get('location')).toBe('/mijn-handtekening');
  });

  it('an archived campaign refuses every candidate write, even the allowed ones', async () => {
    await site.db.update(campaigns).set({ state: 'archived' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    try {
      const before = await databaseFingerprint(site.db);
      const invite = { candidate: String(ids.uninvitedCandidateId), email: 'te-laat@kandidaat.example', locale: 'nl' };
      expect((await clients.admin.callAction('inviteCandidate', invite)).status).toBe(403);
      expect((await clients.repOfA.callAction('inviteCandidate', invite)).status).toBe(403);
      expect((await clients.candidateOfA.callAction('signGoals', signatureFields(ids.ownCandidateId, 'te laat'))).status).toBe(403);
      expect((await clients.admin.callAction('importCandidateFile', { file: new File([candidateFile('admin')], 'laat.csv') })).status).toBe(409);
      expect((await clients.admin.callAction('setCandidateElected', { candidate: String(ids.ownCandidateId), elected: 'true' })).status).toBe(409);
      expect(await databaseFingerprint(site.db)).toEqual(before);
    } finally {
      await site.db.update(campaigns).set({ state: 'open' }).where(eq(campaigns.id, TEST_CAMPAIGN_ID));
    }
  });

  // --- status-board ---
  // Not an action (a GET), but the status board's CSV holds the campaign's working state:
  // every role tries it, only a full admin gets the file.
  for (const role of ROLES) {
    const allowed = role === 'admin';
    it(`the status board's CSV (/beheer?export=csv) for ${role} is ${allowed ? 'allowed' : 'refused'}`, async () => {
      for (const path of ['/beheer?export=csv', '/en/admin?export=csv']) {
        const response = await clients[role].get(path);
        const body = await response.text();
        if (allowed) {
          expect(response.status, path).toBe(200);
          expect(response.headers.get('content-type'), path).toBe('text/csv; charset=utf-8');
          expect(body).toContain('party_slug,party_name,first_asked_at');
        } else {
          expect([303, 403], path).toContain(response.status);
          expect(response.headers.get('content-type') ?? '', path).not.toContain('text/csv');
          expect(body, path).not.toContain('party_slug');
        }
      }
    });
  }
  // --- end status-board ---

  it('an anonymous POST to the open-data API is refused', async () => {
    const response = await fetch(new URL('/api/v1/scoreboard.json', site.url), { method: 'POST', headers: { origin: site.origin } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
