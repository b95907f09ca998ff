/**
 * Bad input on every form, sent by someone who may use the form: too long, wrong type,
 * missing, unknown goal or party, a non-https link, a forged origin. Each gets a 4xx and a
 * clear message on the page, and nothing is written (security events in the audit log aside).
 */
import http from 'node:http';
import { format } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SESSION_COOKIE } from '../../src/credentials/sessions.ts';
import { pledges } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { createInvite } from '../../src/domain/invites.ts';
import { createPasswordResetLink } from '../../src/domain/password-resets.ts';
import { importInitialParties } from '../../src/domain/parties.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { readGoals } from '../../src/content-files.ts';
import { createAccount, signInOverHttp, type TestAccount } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { strictXmlErrors } from '../helpers/strict-xml.ts';
import { TEST_PARTIES, TEST_CAMPAIGN_ID, addTestParties } from '../fixtures/board.ts';
import { pledgeFormFields } from '../helpers/pledge-form.ts';

const goals = await readGoals('nl');
const goal = goals[0]!.slug;

type Who = 'anonymous' | 'rep' | 'admin';

interface BadCase {
  name: string;
  who: Who;
  page: string;
  action: string;
  fields: Record<string, string>;
  status: number;
  /** Text the page must show: the clear message. */
  message: string;
}

/** The representative's form for all goals, with one goal filled in (see tests/helpers/pledge-form.ts). */
const pledge = ({ party: partySlug = 'testpartij-a', goal: goalSlug = goal, ...fields }: Record<string, string>) =>
  pledgeFormFields(partySlug, goalSlug, { statement: 'Tekst', ...fields });
const party = (fields: Record<string, string>) => ({ slug: 'nieuwe-partij', name: 'Nieuwe Partij', abbreviation: 'NP', seats: '3', website: '', ...fields });

/** The message for characters XML forbids (control characters, U+FFFF …). */
const FORBIDDEN_CHARACTER = 'onzichtbaar stuurteken';

const CASES: BadCase[] = [
  // Sign-in and accounts
  {
    name: 'sign-in without an address',
    who: 'anonymous',
    page: '/inloggen',
    action: 'signIn',
    fields: { password: 'x' },
    status: 400,
    message: 'Vul dit veld in.',
  },
  {
    name: 'sign-in with a 300-character address',
    who: 'anonymous',
    page: '/inloggen',
    action: 'signIn',
    fields: { email: `${'a'.repeat(290)}@x.example`, password: 'x' },
    status: 400,
    message: 'Deze tekst is te lang.',
  },
  {
    name: 'sign-in with a wrong password',
    who: 'anonymous',
    page: '/inloggen',
    action: 'signIn',
    fields: { email: 'rep@partij-a.example', password: 'fout' },
    status: 401,
    message: 'Dit e-mailadres en wachtwoord horen niet bij elkaar.',
  },
  {
    name: 'an unknown invitation',
    who: 'anonymous',
    page: '/uitnodiging/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    action: 'acceptLink',
    fields: { token: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', displayName: 'Iemand', password: 'een lang wachtwoord' },
    status: 404,
    message: 'Deze link bestaat niet.',
  },
  {
    name: 'an invitation with a short password',
    who: 'anonymous',
    page: '/uitnodiging/TOKEN',
    action: 'acceptLink',
    fields: { token: 'TOKEN', displayName: 'Iemand', password: 'kort' },
    status: 400,
    message: 'Kies een wachtwoord van minstens 10 tekens.',
  },
  {
    name: 'an invitation without a name',
    who: 'anonymous',
    page: '/uitnodiging/TOKEN',
    action: 'acceptLink',
    fields: { token: 'TOKEN', password: 'een lang wachtwoord' },
    status: 400,
    message: 'Vul dit veld in.',
  },
  {
    name: 'a reset with an unknown link',
    who: 'anonymous',
    page: '/wachtwoord-herstellen/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    action: 'resetPassword',
    fields: { token: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', password: 'een lang wachtwoord' },
    status: 404,
    message: 'Deze link bestaat niet.',
  },
  {
    name: 'a reset with a short password',
    who: 'anonymous',
    page: '/wachtwoord-herstellen/RESET',
    action: 'resetPassword',
    fields: { token: 'RESET', password: 'kort' },
    status: 400,
    message: 'Kies een wachtwoord van minstens 10 tekens.',
  },
  {
    name: 'a reset to a common password',
    who: 'anonymous',
    page: '/wachtwoord-herstellen/RESET',
    action: 'resetPassword',
    fields: { token: 'RESET', password: 'wachtwoord' },
    status: 400,
    message: 'Dit wachtwoord is te makkelijk te raden.',
  },
  {
    name: 'a second step without a code',
    who: 'rep',
    page: '/inloggen/code',
    action: 'verifySecondFactor',
    fields: {},
    status: 400,
    message: 'Vul dit veld in.',
  },
  {
    name: 'a password change with a wrong current password',
    who: 'rep',
    page: '/account',
    action: 'changePassword',
    fields: { currentPassword: 'fout', newPassword: 'een ander lang wachtwoord' },
    status: 400,
    message: 'Je huidige wachtwoord klopt niet.',
  },
  {
    name: 'a password change to a common password',
    who: 'rep',
    page: '/account',
    action: 'changePassword',
    fields: { currentPassword: 'een heel geheim wachtwoord', newPassword: 'wachtwoord' },
    status: 400,
    message: 'Dit wachtwoord is te makkelijk te raden.',
  },
  {
    name: 'a TOTP set-up with a forged key',
    who: 'rep',
    page: '/account/tweestapsverificatie',
    action: 'enrolSecondFactor',
    fields: { key: 'niet-base64', code: '123456' },
    status: 400,
    message: 'Dit formulier is niet (meer) geldig.',
  },
  {
    name: 'a TOTP set-up with a wrong code',
    who: 'rep',
    page: '/account/tweestapsverificatie',
    action: 'enrolSecondFactor',
    fields: { key: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=', code: '12' },
    status: 400,
    message: 'Deze code klopt niet',
  },
  {
    name: 'a second step that is not owed',
    who: 'rep',
    page: '/inloggen/code',
    action: 'verifySecondFactor',
    fields: { code: '123456' },
    status: 400,
    message: 'Je hoeft nu geen code in te vullen.',
  },
  {
    name: 'sign-in with a NUL in the address',
    who: 'anonymous',
    page: '/inloggen',
    action: 'signIn',
    fields: { email: 'rep\u0000@partij-a.example', password: 'x' },
    status: 400,
    message: FORBIDDEN_CHARACTER,
  },
  // Pledges
  {
    name: 'a statement of 1,001 characters',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ statement: 'x'.repeat(1001) }),
    status: 400,
    message: 'De toelichting is 1 teken te lang. Gebruik hoogstens 1.000 tekens; er is niets afgeknipt.',
  },
  {
    name: 'a statement of 6,000 characters',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ statement: 'x'.repeat(6000) }),
    status: 400,
    message: 'De toelichting is 5.000 tekens te lang.',
  },
  { name: 'no stance', who: 'rep', page: '/mijn-partij', action: 'savePledges', fields: pledge({ stance: '' }), status: 400, message: 'Kies een standpunt.' },
  {
    name: 'an unknown stance',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ stance: 'misschien' }),
    status: 400,
    message: 'Kies een standpunt.',
  },
  {
    name: 'a link that is not an address',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ evidenceUrl: 'ons programma, blz. 4' }),
    status: 400,
    message: 'begint met https://',
  },
  {
    name: 'a javascript: link',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ evidenceUrl: 'javascript:alert(1)' }),
    status: 400,
    message: 'begint met https://',
  },
  {
    name: 'a statement with a NUL',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ statement: 'Ja\u0000nee' }),
    status: 400,
    message: FORBIDDEN_CHARACTER,
  },
  {
    name: 'a statement with an escape character (U+001B)',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ statement: 'Ja\u001B[31m' }),
    status: 400,
    message: FORBIDDEN_CHARACTER,
  },
  {
    name: 'a statement with U+FFFF',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ statement: 'Ja\uFFFF' }),
    status: 400,
    message: FORBIDDEN_CHARACTER,
  },
  {
    name: 'an evidence link https:host, without slashes',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ evidenceUrl: 'https:evil.example' }),
    status: 400,
    message: 'begint met https://',
  },
  {
    name: 'an evidence link https:/host',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ evidenceUrl: 'https:/evil.example' }),
    status: 400,
    message: 'begint met https://',
  },
  {
    name: 'an evidence link https:\\\\host',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ evidenceUrl: 'https:\\\\evil.example' }),
    status: 400,
    message: 'begint met https://',
  },
  {
    name: 'a page number that is not a number',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ evidencePage: 'twaalf' }),
    status: 400,
    message: 'Vul een paginanummer in',
  },
  {
    name: 'a version that is not a number',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ baseVersion: 'x' }),
    status: 400,
    message: 'Laad de pagina opnieuw.',
  },
  {
    name: 'an unknown goal',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ goal: 'verzonnen-doel' }),
    status: 400,
    message: 'Laad de pagina opnieuw.',
  },
  {
    name: 'an unknown party',
    who: 'admin',
    page: '/beheer/partijen/testpartij-a',
    action: 'savePledge',
    fields: {
      party: 'verzonnen-partij',
      goal,
      baseVersion: '0',
      stance: 'committed',
      statement: 'Tekst',
      evidenceUrl: '',
      evidencePage: '',
      correctionReason: 'Reden',
    },
    status: 404,
    message: 'Deze partij bestaat niet.',
  },
  {
    name: 'a save from an outdated form',
    who: 'rep',
    page: '/mijn-partij',
    action: 'savePledges',
    fields: pledge({ goal: goals[1]!.slug, baseVersion: '0' }),
    status: 409,
    message: 'Iemand anders van je partij heeft deze doelstelling opgeslagen nadat je de pagina opende.',
  },
  // Parties
  {
    name: 'a party slug with spaces',
    who: 'admin',
    page: '/beheer/partijen',
    action: 'createParty',
    fields: party({ slug: 'Nieuwe Partij' }),
    status: 400,
    message: 'Gebruik kleine letters, cijfers en streepjes',
  },
  {
    name: 'a party slug that exists',
    who: 'admin',
    page: '/beheer/partijen',
    action: 'createParty',
    fields: party({ slug: 'testpartij-a' }),
    status: 400,
    message: 'Er is al een partij met deze korte naam.',
  },
  {
    name: 'seats that are not a number',
    who: 'admin',
    page: '/beheer/partijen',
    action: 'createParty',
    fields: party({ seats: 'veel' }),
    status: 400,
    message: 'Vul het aantal zetels in (0 tot 150).',
  },
  {
    name: 'a party website that is not an address',
    who: 'admin',
    page: '/beheer/partijen',
    action: 'createParty',
    fields: party({ website: 'partij punt nl' }),
    status: 400,
    message: 'begint met https://, of laat het leeg.',
  },
  {
    name: 'a party name of 300 characters',
    who: 'admin',
    page: '/beheer/partijen',
    action: 'createParty',
    fields: party({ name: 'N'.repeat(300) }),
    status: 400,
    message: 'Deze tekst is te lang.',
  },
  {
    name: 'a party name with an escape character',
    who: 'admin',
    page: '/beheer/partijen',
    action: 'createParty',
    fields: party({ name: 'Nieuwe\u001BPartij' }),
    status: 400,
    message: FORBIDDEN_CHARACTER,
  },
  {
    name: 'a party website https:host',
    who: 'admin',
    page: '/beheer/partijen',
    action: 'createParty',
    fields: party({ website: 'https:partij.example' }),
    status: 400,
    message: 'begint met https://, of laat het leeg.',
  },
  {
    name: 'an edit of an unknown party',
    who: 'admin',
    page: '/beheer/partijen/testpartij-a',
    action: 'updateParty',
    fields: { ...party({}), slug: 'verzonnen' },
    status: 404,
    message: 'Deze partij bestaat niet.',
  },
  {
    name: 'an edit with a 300-character name',
    who: 'admin',
    page: '/beheer/partijen/testpartij-a',
    action: 'updateParty',
    fields: party({ slug: 'testpartij-a', name: 'N'.repeat(300) }),
    status: 400,
    message: 'Deze tekst is te lang.',
  },
  {
    name: 'an edit with a website that is not an address',
    who: 'admin',
    page: '/beheer/partijen/testpartij-a',
    action: 'updateParty',
    fields: party({ slug: 'testpartij-a', website: 'partij punt nl' }),
    status: 400,
    message: 'begint met https://, of laat het leeg.',
  },
  {
    name: 'retiring with a made-up value',
    who: 'admin',
    page: '/beheer/partijen/testpartij-a',
    action: 'setPartyRetired',
    fields: { slug: 'testpartij-a', retired: 'misschien' },
    status: 400,
    message: 'Dit formulier is niet (meer) geldig.',
  },
  // Invitations and accounts
  {
    name: 'an invitation to a bad address',
    who: 'admin',
    page: '/beheer/uitnodigingen',
    action: 'createInvite',
    fields: { party: 'testpartij-a', emails: 'geen adres', locale: 'nl' },
    status: 400,
    message: 'Vul een geldig e-mailadres in.',
  },
  {
    name: 'an invitation to an unknown party',
    who: 'admin',
    page: '/beheer/uitnodigingen',
    action: 'createInvite',
    fields: { party: 'verzonnen', emails: 'x@partij.example', locale: 'nl' },
    status: 400,
    message: 'Deze partij bestaat niet.',
  },
  {
    name: 'an invitation for an address with an account',
    who: 'admin',
    page: '/beheer/uitnodigingen',
    action: 'createInvite',
    fields: { party: 'testpartij-a', emails: 'rep@partij-a.example', locale: 'nl' },
    status: 400,
    message: 'Er bestaat al een account met dit e-mailadres.',
  },
  {
    name: 'revoking a made-up invitation id',
    who: 'admin',
    page: '/beheer/uitnodigingen',
    action: 'revokeInvite',
    fields: { id: 'abc' },
    status: 400,
    message: 'Dit formulier is niet (meer) geldig.',
  },
  {
    name: 'revoking an invitation that is not open',
    who: 'admin',
    page: '/beheer/uitnodigingen',
    action: 'revokeInvite',
    fields: { id: '999999' },
    status: 409,
    message: 'Deze uitnodiging is al gebruikt, verlopen of ingetrokken.',
  },
  {
    name: 'disabling an unknown account',
    who: 'admin',
    page: '/beheer/accounts',
    action: 'setUserDisabled',
    fields: { userId: '999999', disabled: 'true', confirm: 'ja' },
    status: 404,
    message: 'Dit account bestaat niet.',
  },
  {
    name: 'disabling yourself',
    who: 'admin',
    page: '/beheer/accounts',
    action: 'setUserDisabled',
    fields: { userId: 'ADMIN_ID', disabled: 'true', confirm: 'ja' },
    status: 400,
    message: 'Je kunt je eigen account niet uitschakelen.',
  },
  {
    name: 'disabling an account id that is not a number',
    who: 'admin',
    page: '/beheer/accounts',
    action: 'setUserDisabled',
    fields: { userId: 'abc', disabled: 'true' },
    status: 400,
    message: 'Dit formulier is niet (meer) geldig.',
  },
  {
    name: 'a reset link for an account id that is not a number',
    who: 'admin',
    page: '/beheer/accounts',
    action: 'createResetLink',
    fields: { userId: 'abc' },
    status: 400,
    message: 'Dit formulier is niet (meer) geldig.',
  },
  {
    name: 'a reset link for an unknown account',
    who: 'admin',
    page: '/beheer/accounts',
    action: 'createResetLink',
    fields: { userId: '999999' },
    status: 404,
    message: 'Dit account bestaat niet.',
  },
  {
    name: 'a reset link for an account id past the largest id',
    who: 'admin',
    page: '/beheer/accounts',
    action: 'createResetLink',
    fields: { userId: '99999999999' },
    status: 400,
    message: 'Dit formulier is niet (meer) geldig.',
  },
  {
    name: 'disabling an account id past the largest id',
    who: 'admin',
    page: '/beheer/accounts',
    action: 'setUserDisabled',
    fields: { userId: '99999999999', disabled: 'true' },
    status: 400,
    message: 'Dit formulier is niet (meer) geldig.',
  },
  {
    name: 'revoking an invitation id past the largest id',
    who: 'admin',
    page: '/beheer/uitnodigingen',
    action: 'revokeInvite',
    fields: { id: '99999999999' },
    status: 400,
    message: 'Dit formulier is niet (meer) geldig.',
  },
  {
    name: 'revoking a link id past the largest id',
    who: 'admin',
    page: '/beheer/accounts',
    action: 'revokeAccountLink',
    fields: { linkId: '99999999999' },
    status: 400,
    message: 'Dit formulier is niet (meer) geldig.',
  },
  // Moderation and pledging
  {
    name: 'hiding without a reason',
    who: 'admin',
    page: '/beheer/partijen/testpartij-a',
    action: 'moderateStatement',
    fields: { party: 'testpartij-a', goal: goals[1]!.slug, hide: 'true', reason: '' },
    status: 400,
    message: 'Vul dit veld in.',
  },
  {
    name: 'hiding with a reason of 301 characters',
    who: 'admin',
    page: '/beheer/partijen/testpartij-a',
    action: 'moderateStatement',
    fields: { party: 'testpartij-a', goal: goals[1]!.slug, hide: 'true', reason: 'r'.repeat(301) },
    status: 400,
    message: 'Geef een openbare reden (3 tot 300 tekens).',
  },
  {
    name: 'hiding a statement that does not exist',
    who: 'admin',
    page: '/beheer/partijen/testpartij-a',
    action: 'moderateStatement',
    fields: { party: 'testpartij-b', goal, hide: 'true', reason: 'Een reden' },
    status: 404,
    message: 'nog geen standpunt',
  },
  {
    name: 'hiding with a reason with a NUL',
    who: 'admin',
    page: '/beheer/partijen/testpartij-a',
    action: 'moderateStatement',
    fields: { party: 'testpartij-a', goal: goals[1]!.slug, hide: 'true', reason: 'Een\u0000reden' },
    status: 400,
    message: FORBIDDEN_CHARACTER,
  },
  {
    name: 'an invitation to an address with a NUL',
    who: 'admin',
    page: '/beheer/uitnodigingen',
    action: 'createInvite',
    fields: { party: 'testpartij-a', emails: 'x\u0000@partij.example', locale: 'nl' },
    status: 400,
    message: FORBIDDEN_CHARACTER,
  },
  {
    name: 'an unknown pledging state',
    who: 'admin',
    page: '/beheer',
    action: 'setPledging',
    fields: { state: 'misschien' },
    status: 400,
    message: 'Dit formulier is niet (meer) geldig.',
  },
];

describe.each(ENGINES)('bad input on every form, on %s', (engine) => {
  let site: TestSite;
  const clients = {} as Record<Who, FormClient>;
  let inviteToken = '';
  let resetToken = '';
  let adminId = 0;

  beforeAll(async () => {
    site = await startTestSite(engine);
    const { db } = site;
    await importInitialParties(db, TEST_CAMPAIGN_ID, []);
    await addTestParties(db, TEST_PARTIES);
    // Goal 2 of party A is at version 1, so a save from version 0 is outdated.
    await savePledge(db, {
      partySlug: 'testpartij-a',
      goalSlug: goals[1]!.slug,
      goalSlugs: goals.map((g) => g.slug),
      baseVersion: 0,
      input: { stance: 'partial', statement: 'Bestaand' },
      actor: SYSTEM_ACTOR,
      campaignId: TEST_CAMPAIGN_ID,
    });
    const rep: TestAccount = await createAccount(db, { email: 'rep@partij-a.example', party: 'testpartij-a' });
    await createAccount(db, { email: 'terug@partij-a.example', party: 'testpartij-a' });
    const admin: TestAccount = await createAccount(db, { email: 'beheer@campagne.example', totp: true });
    adminId = admin.user.id;
    const invite = await createInvite(
      db,
      { campaignId: TEST_CAMPAIGN_ID, partySlug: 'testpartij-b', email: 'uitgenodigd@partij-b.example' },
      { actor: SYSTEM_ACTOR },
    );
    if (invite.status === 'created') inviteToken = invite.token;
    const reset = await createPasswordResetLink(db, rep.user.id, { actor: SYSTEM_ACTOR });
    if (reset.status === 'created') resetToken = reset.token;
    clients.anonymous = new FormClient(site.url);
    clients.rep = new FormClient(site.url);
    clients.admin = new FormClient(site.url);
    await signInOverHttp(clients.rep, rep);
    await signInOverHttp(clients.admin, admin);
  });
  afterAll(() => site?.close());

  // Tables that record the refusal itself: the audit log, sign-in counts (a wrong password
  // counts towards the limit; a right one marks a known client), and the board's cache version (a refused party write may bump it:
  // the trigger fires per statement; that costs one re-render, never data).
  const RECORDS_OF_THE_REFUSAL = ['audit_log', 'login_attempt_counts', 'login_known_clients', 'board_state'];

  const fill = (value: string) => value.replace('TOKEN', inviteToken).replace('RESET', resetToken).replace('ADMIN_ID', String(adminId));

  for (const bad of CASES) {
    it(`${bad.name}: ${bad.status} with a clear message, nothing written`, async () => {
      const before = await databaseFingerprint(site.db, { except: RECORDS_OF_THE_REFUSAL });
      const fields = Object.fromEntries(Object.entries(bad.fields).map(([k, v]) => [k, fill(v)]));
      const response = await clients[bad.who].submit(fill(bad.page), bad.action, fields);
      const page = await response.text();
      expect(response.status).toBe(bad.status);
      expect(page).toContain(bad.message);
      expect(await databaseFingerprint(site.db, { except: RECORDS_OF_THE_REFUSAL })).toEqual(before);
    });
  }

  it('the 6th sign-in within 15 minutes gets 429 and says to wait', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await clients.anonymous.submit('/inloggen', 'signIn', { email: 'geraden@nergens.example', password: `gok ${i}` })).status).toBe(401);
    }
    const blocked = await clients.anonymous.submit('/inloggen', 'signIn', { email: 'geraden@nergens.example', password: 'gok 6' });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain('Te veel pogingen. Wacht een kwartier en probeer het dan opnieuw.');
  });

  it('keeps what was typed when a pledge form is refused', async () => {
    const response = await clients.rep.submit(
      '/mijn-partij',
      'savePledges',
      pledge({ statement: 'Mijn zorgvuldige tekst', evidenceUrl: 'oud.example, blz. 3' }),
    );
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('Mijn zorgvuldige tekst</textarea>');
    expect(page).toContain('value="oud.example, blz. 3"');
  });

  it('refuses every action from a forged origin with 403, writing nothing', async () => {
    const actions = [...new Set(CASES.map((c) => `${c.who} ${c.page} ${c.action}`))];
    for (const entry of actions) {
      const [who, page, action] = entry.split(' ') as [Who, string, string];
      const before = await databaseFingerprint(site.db);
      const valid = CASES.find((c) => c.action === action)!.fields;
      const response = await clients[who].submit(fill(page), action, valid, { origin: 'https://kwaadwillend.example' });
      expect(response.status, action).toBe(403);
      expect(await response.text()).toContain('Cross-site POST form submissions are forbidden');
      expect(await databaseFingerprint(site.db)).toEqual(before);
    }
  });

  /** A request as a script may send it: any method, any Host header. */
  const rawRequest = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const url = new URL(site.url);
      http
        .request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
          let body = '';
          res
            .setEncoding('utf8')
            .on('data', (chunk: string) => (body += chunk))
            .on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        })
        .on('error', reject)
        .end(body);
    });

  it('answers a body that is not the JSON it says it is with 400, not a 500', async () => {
    for (const path of ['/_actions/signIn', '/_actions/signOut', '/inloggen?_action=signIn']) {
      const response = await rawRequest('POST', path, { 'content-type': 'application/json', origin: site.origin }, '{kapot');
      expect(response.status, path).toBe(400);
      expect(response.body, path).not.toMatch(/SyntaxError|at .*\.js/);
    }
    // Larger than an action may be: refused for its size, not read whole first.
    const huge = await rawRequest('POST', '/_actions/signIn', { 'content-type': 'application/json', origin: site.origin }, `{${'x'.repeat(2 * 1024 * 1024)}`);
    expect(huge.status).toBe(413);
    // Only action requests are read: a JSON body posted to a page is the page's business.
    expect((await rawRequest('POST', '/over', { 'content-type': 'application/json', origin: site.origin }, '{kapot')).status).not.toBe(400);
  });

  it('answers OPTIONS outside the API with what it allows, not with the page', async () => {
    for (const path of ['/', '/partijen/testpartij-a', '*']) {
      const response = await rawRequest('OPTIONS', path);
      expect(response.status, path).toBe(204);
      expect(response.headers.allow, path).toBe('GET, HEAD, POST, OPTIONS');
      expect(response.body, path).toBe('');
    }
  });

  it('answers a request address that is no address with 400, not silence', async () => {
    for (const path of ['//a%zz', '//[', 'http://[x/']) {
      const response = await rawRequest('GET', path);
      expect(response.status, path).toBe(400);
      expect(response.headers['content-type'], path).toBe('text/plain; charset=utf-8');
    }
  });

  it('answers a Host header that is no host name with 400, not a 500', async () => {
    const port = new URL(site.url).port;
    for (const host of [`evil@127.0.0.1:${port}`, `127.0.0.1:${port}/pad`, `127.0.0.1:${port}?x`, '127.0.0.1:poort', 'a b']) {
      for (const [method, path] of [
        ['GET', '/'],
        ['GET', '/inloggen'],
        ['POST', '/inloggen?_action=signIn'],
        ['GET', '/api/v1/scoreboard.json'],
      ]) {
        const response = await rawRequest(method!, path!, { host });
        expect(response.status, `${method} ${path} Host: ${host}`).toBe(400);
        expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(response.body).toContain('Host');
      }
    }
    // Ordinary host names still work, with a port or without, names and addresses alike.
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'stemwijzer.example', `[::1]:${port}`]) {
      expect((await rawRequest('GET', '/', { host })).status, host).toBe(200);
    }
  });

  it('answers TRACE and other methods the site does not use with 405 and the ones it does', async () => {
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'PROPFIND']) {
      for (const path of ['/', '/api/v1/scoreboard.json', '/beheer']) {
        const response = await rawRequest(method, path);
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
        expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      }
    }
    expect((await rawRequest('OPTIONS', '/api/v1/scoreboard.json')).headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
  });

  it('refuses a POST without any origin header too', async () => {
    const response = await clients.admin.submit('/beheer', 'setPledging', { state: 'closed' }, { origin: null });
    expect(response.status).toBe(403);
  });

  it('saves an evidence link written HTTPS:// with its scheme in lower case', async () => {
    const response = await clients.rep.submit(
      '/mijn-partij',
      'savePledges',
      pledge({ goal: goals[2]!.slug, evidenceUrl: 'HTTPS://partij-a.example/Programma.pdf' }),
    );
    expect(response.status).toBe(303);
    const [saved] = await site.db.select().from(pledges).where(eq(pledges.goalSlug, goals[2]!.slug));
    expect(saved?.evidenceUrl).toBe('https://partij-a.example/Programma.pdf');
  });

  it('saves a statement pasted from Word (U+000B, U+000C) with newlines; every feed stays well-formed for a strict XML parser', async () => {
    const response = await clients.rep.submit(
      '/mijn-partij',
      'savePledges',
      pledge({ goal: goals[3]!.slug, statement: 'Regel een\u000Bregel twee\u000Cregel drie' }),
    );
    expect(response.status).toBe(303);
    const [saved] = await site.db.select().from(pledges).where(eq(pledges.goalSlug, goals[3]!.slug));
    expect(saved?.statement).toBe('Regel een\nregel twee\nregel drie');
    for (const path of ['/feed.xml', '/partijen/testpartij-a/feed.xml', `/doelen/${goals[3]!.slug}/feed.xml`, '/en/feed.xml']) {
      const feed = await fetch(new URL(path, site.url));
      expect(feed.status, path).toBe(200);
      expect(strictXmlErrors(await feed.text()), path).toEqual([]);
    }
  });

  describe('where to go after signing in (?terug=) is a path of this site, or the default', () => {
    it.each([
      ['a TAB before a second slash', '/%09/evil.example'],
      ['a scheme-relative address', '//evil.example'],
      ['a backslash', '/%5Cevil.example'],
      ['an absolute address', 'https://evil.example/'],
    ])('the second-step page does not send a signed-in person to %s', async (_what, back) => {
      const response = await clients.rep.get(`/inloggen/code?terug=${back}`);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/mijn-partij');
    });

    it.each([
      ['CR LF', '/x%0D%0ASet-Cookie:%20a=b'],
      ['LF', '/x%0Ay'],
      ['NUL', '/x%00y'],
      ['U+2028', '/x%E2%80%A8y'],
      ['a character outside Latin-1', '/%C4%B3s'],
      ['a TAB', '/%09/evil.example'],
    ])('a sign-in with %s in it lands on the default page, with its session cookie', async (_what, back) => {
      const client = new FormClient(site.url);
      const response = await client.submit(`/inloggen?terug=${back}`, 'signIn', { email: 'terug@partij-a.example', password: 'een heel geheim wachtwoord' });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/mijn-partij');
      expect(response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
    });

    it('still goes back to a path of this site', async () => {
      const client = new FormClient(site.url);
      const response = await client.submit('/inloggen?terug=%2Fpartijen%2Ftestpartij-a', 'signIn', {
        email: 'terug@partij-a.example',
        password: 'een heel geheim wachtwoord',
      });
      expect(response.headers.get('location')).toBe('/partijen/testpartij-a');
    });
  });

  describe('bad addresses and parameters get a 4xx, never a 500', () => {
    const AT_VALUES = ['0000-01-01T00:00Z', '0001-01-01T00:00%2B23:59', '2026-02-30T00:00Z', '1999-12-31T23:59Z'];
    const AT_PATHS = [
      '/',
      '/partijen/testpartij-a',
      `/doelen/${goal}`,
      '/vergelijk',
      '/embed/scoreboard',
      '/embed/partij/testpartij-a',
      `/embed/doel/${goal}`,
      '/api/v1/scoreboard.json',
      '/api/v1/events.json',
      '/api/v1/pledges.csv',
      '/afbeelding/scorebord.png',
      '/afbeelding/partij/testpartij-a.png',
    ];
    it.each(AT_VALUES)('?at=%s: 400 on every page and endpoint that reads it', async (at) => {
      for (const path of AT_PATHS) {
        const response = await fetch(new URL(`${path}?at=${at}`, site.url));
        expect(response.status, `${path}?at=${at}`).toBe(400);
      }
    });

    it('says why a moment before the board is refused', async () => {
      expect(await (await fetch(new URL('/?at=0001-01-01T00:00%2B23:59', site.url))).text()).toContain('ligt te ver');
      expect((await (await fetch(new URL('/api/v1/scoreboard.json?at=0000-01-01T00:00Z', site.url))).json()).error).toMatch(/2000/);
    });

    it.each([
      ['/partijen/%00', 404],
      ['/partijen/%00/feed.xml', 404],
      ['/embed/partij/%00', 404],
      ['/afbeelding/partij/%00.png', 404],
      ['/api/v1/events.json?party=%00', 400],
      ['/api/v1/events.json?party=Testpartij-A', 400],
    ])('%s: %i', async (path, status) => {
      const response = await fetch(new URL(path, site.url));
      expect(response.status).toBe(status);
    });

    it('an admin page of a party with a NUL in its address: 404', async () => {
      expect((await clients.admin.get('/beheer/partijen/%00')).status).toBe(404);
    });
  });

  it('an internal error in an action answers a reference, never the SQL; the log has both', async () => {
    // A real database error the form cannot foresee: a constraint only this test adds.
    await site.db.execute(sql`alter table parties add constraint test_no_boom check (name <> 'Boem')`);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const call of [
        () => clients.admin.callAction('createParty', party({ slug: 'boem-1', name: 'Boem' })),
        () => clients.admin.submit('/beheer/partijen', 'createParty', party({ slug: 'boem-2', name: 'Boem' })),
      ]) {
        logged.mockClear();
        const response = await call();
        const body = await response.text();
        expect(response.status).toBe(500);
        expect(body).not.toMatch(/insert into|test_no_boom|params/i);
        const reference = /\b([0-9a-f]{12})\b/.exec(body)?.[1];
        expect(reference, body.slice(0, 500)).toBeDefined();
        const log = logged.mock.calls.map((args) => format(...args)).join('\n'); // as console.error writes it
        expect(log).toContain(reference);
        expect(log).toContain('test_no_boom');
      }
    } finally {
      logged.mockRestore();
      await site.db.execute(sql`alter table parties drop constraint test_no_boom`);
    }
  });
});
