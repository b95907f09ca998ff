/**
 * Every action that changes something, tried by everyone: anonymous, a representative of
 * party A acting on party B, a disabled user (with the cookie they had), an admin who has not
 * passed the second step, and a full admin. Only the allowed ones may succeed, checked by the
 * status and by the database (a refused request leaves every table as it was).
 */
import { readFile } from 'node:fs/promises';
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountLinks, appSettings, parties, pledges, statementModerations, users } from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { createInvite } from '../../src/domain/account-links.ts';
import { savePledge } from '../../src/domain/pledges.ts';
import { setPledgingOverride } from '../../src/domain/pledging-window.ts';
import { verifyPassword } from '../../src/auth/password.ts';
import { setUserDisabled } from '../../src/domain/users.ts';
import { readGoals } from '../../src/content-files.ts';
import { PROJECT_ROOT } from '../../src/server/build.ts';
import { createAccount, signInOverHttp, type TestAccount } from '../helpers/accounts.ts';
import { ENGINES } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';
import { FormClient } from '../helpers/form-client.ts';
import { startTestSite, type TestSite } from '../helpers/site.ts';
import { TEST_PARTIES } from '../fixtures/board.ts';
import path from 'node:path';

type Role = 'anonymous' | 'repOfA' | 'disabled' | 'adminWithoutSecondStep' | 'admin';
const ROLES: Role[] = ['anonymous', 'repOfA', 'disabled', 'adminWithoutSecondStep', 'admin'];

const goals = await readGoals('nl');

const EMAILS: Record<Exclude<Role, 'anonymous'>, string> = {
  repOfA: 'rep-a@partij-a.example',
  disabled: 'weg@partij-a.example',
  adminWithoutSecondStep: 'nieuw@campagne.example',
  admin: 'admin@campagne.example',
};
const goal = goals[0]!.slug;

interface Case {
  action: string;
  page: string;
  allowed: Role[];
  /** Valid input, unique per role so that an allowed call really does something. */
  fields(role: Role, ids: Ids): Record<string, string>;
  /** Whether the call took effect. */
  tookEffect(site: TestSite, role: Role, ids: Ids): Promise<boolean>;
}

interface Ids {
  inviteId: number;
  targetUserId: number;
}

const exists = async (rows: Promise<unknown[]>) => (await rows).length > 0;

/** Actions reached by the session-level tests below, or by anyone holding a one-time link. */
const NOT_IN_MATRIX = {
  signIn: 'public: signing in is for anonymous visitors (rate limit tests cover it)',
  verifySecondFactor: 'the second step of a sign-in, tested in sessions.test.ts',
  enrolSecondFactor: 'the second step of a sign-in, tested in sessions.test.ts',
  signOut: 'ends only the caller’s own session, tested in sessions.test.ts',
  acceptLink: 'authorised by its one-time link, tested in account-links tests',
  resetPassword: 'authorised by its one-time link, tested in account-links tests',
};

const CASES: Case[] = [
  {
    action: 'savePledge',
    page: '/beheer/partijen/testpartij-b',
    allowed: ['admin'],
    fields: (role) => ({ party: 'testpartij-b', goal, baseVersion: '0', stance: 'committed', statement: `door ${role}`, evidenceUrl: '', evidencePage: '' }),
    tookEffect: (site, role) => exists(site.db.select().from(pledges).where(eq(pledges.statement, `door ${role}`))),
  },
  {
    action: 'changePassword',
    page: '/account',
    allowed: ['repOfA', 'admin'],
    fields: () => ({ currentPassword: 'een heel geheim wachtwoord', newPassword: 'een heel geheim wachtwoord 2' }),
    tookEffect: async (site, role) => {
      if (role === 'anonymous') return false;
      const [user] = await site.db.select().from(users).where(eq(users.email, EMAILS[role]));
      return verifyPassword(user!.passwordHash, 'een heel geheim wachtwoord 2');
    },
  },
  {
    action: 'createParty',
    page: '/beheer/partijen',
    allowed: ['admin'],
    fields: (role) => ({ slug: `nieuw-${role.toLowerCase()}`, name: `Nieuwe Partij ${role}`, abbreviation: 'NP', seats: '0', website: '' }),
    tookEffect: (site, role) => exists(site.db.select().from(parties).where(eq(parties.slug, `nieuw-${role.toLowerCase()}`))),
  },
  {
    action: 'updateParty',
    page: '/beheer/partijen/testpartij-b',
    allowed: ['admin'],
    fields: (role) => ({ slug: 'testpartij-b', name: `Hernoemd door ${role}`, abbreviation: 'TPB', seats: '20', website: '' }),
    tookEffect: (site, role) => exists(site.db.select().from(parties).where(eq(parties.name, `Hernoemd door ${role}`))),
  },
  {
    action: 'setPartyRetired',
    page: '/beheer/partijen/testpartij-c',
    allowed: ['admin'],
    fields: () => ({ slug: 'testpartij-c', retired: 'true' }),
    tookEffect: (site) => exists(site.db.select().from(parties).where(and(eq(parties.slug, 'testpartij-c'), isNotNull(parties.retiredAt)))),
  },
  {
    action: 'createInvite',
    page: '/beheer/uitnodigingen',
    allowed: ['admin'],
    fields: (role) => ({ party: 'testpartij-b', email: `${role.toLowerCase()}@uitgenodigd.example` }),
    tookEffect: (site, role) => exists(site.db.select().from(accountLinks).where(eq(accountLinks.email, `${role.toLowerCase()}@uitgenodigd.example`))),
  },
  {
    action: 'revokeInvite',
    page: '/beheer/uitnodigingen',
    allowed: ['admin'],
    fields: (_, ids) => ({ id: String(ids.inviteId) }),
    tookEffect: (site, _, ids) => exists(site.db.select().from(accountLinks).where(and(eq(accountLinks.id, ids.inviteId), isNotNull(accountLinks.revokedAt)))),
  },
  {
    action: 'setUserDisabled',
    page: '/beheer/accounts',
    allowed: ['admin'],
    fields: (_, ids) => ({ userId: String(ids.targetUserId), disabled: 'true' }),
    tookEffect: (site, _, ids) => exists(site.db.select().from(users).where(and(eq(users.id, ids.targetUserId), isNotNull(users.disabledAt)))),
  },
  {
    action: 'createResetLink',
    page: '/beheer/accounts',
    allowed: ['admin'],
    fields: (_, ids) => ({ userId: String(ids.targetUserId) }),
    tookEffect: (site, _, ids) => exists(site.db.select().from(accountLinks).where(eq(accountLinks.userId, ids.targetUserId))),
  },
  {
    action: 'moderateStatement',
    page: '/beheer/partijen/testpartij-a',
    allowed: ['admin'],
    fields: () => ({ party: 'testpartij-a', goal, hide: 'true', reason: 'Bevat persoonsgegevens' }),
    tookEffect: (site) => exists(site.db.select().from(statementModerations)),
  },
  {
    action: 'setPledging',
    page: '/beheer',
    allowed: ['admin'],
    fields: () => ({ state: 'closed' }),
    tookEffect: (site) => exists(site.db.select().from(appSettings).where(eq(appSettings.key, 'pledging.override'))),
  },
];

it('the matrix covers every action the site defines', async () => {
  const source = await readFile(path.join(PROJECT_ROOT, 'src', 'actions', 'index.ts'), 'utf8');
  const defined = [...source.matchAll(/^ {2}(\w+): defineAction\(/gm)].map((m) => m[1]!).sort();
  const covered = [...CASES.map((c) => c.action), ...Object.keys(NOT_IN_MATRIX)].sort();
  expect(defined.length).toBeGreaterThan(10);
  expect(covered).toEqual(defined);
});

describe.each(ENGINES)('who may do what, on %s', (engine) => {
  let site: TestSite;
  const clients = {} as Record<Role, FormClient>;
  const ids = {} as Ids;

  beforeAll(async () => {
    site = await startTestSite(engine);
    const { db } = site;
    const { importInitialParties } = await import('../../src/domain/parties.ts');
    await importInitialParties(db, []);
    await db.insert(parties).values(TEST_PARTIES);
    // Party A has a pledge, so there is a statement to moderate.
    await savePledge(db, { partySlug: 'testpartij-a', goalSlug: goal, goalSlugs: goals.map((g) => g.slug), baseVersion: 0, input: { stance: 'committed', statement: 'A' }, actor: SYSTEM_ACTOR, deadline: null });

    const accounts: Record<Exclude<Role, 'anonymous'>, TestAccount> = {
      repOfA: await createAccount(db, { email: EMAILS.repOfA, party: 'testpartij-a' }),
      disabled: await createAccount(db, { email: EMAILS.disabled, party: 'testpartij-a' }),
      adminWithoutSecondStep: await createAccount(db, { email: EMAILS.adminWithoutSecondStep }),
      admin: await createAccount(db, { email: EMAILS.admin, totp: true }),
    };
    const target = await createAccount(db, { email: 'doelwit@partij-b.example', party: 'testpartij-b' });
    ids.targetUserId = target.user.id;
    const invite = await createInvite(db, { partySlug: 'testpartij-b', email: 'open@partij-b.example' }, { actor: SYSTEM_ACTOR });
    ids.inviteId = invite.status === 'created' ? invite.link.id : -1;

    for (const role of ROLES) clients[role] = new FormClient(site.url);
    for (const role of ['repOfA', 'disabled', 'admin'] as const) await signInOverHttp(clients[role], accounts[role]);
    // Password only: the admin still owes the TOTP set-up.
    const pending = await clients.adminWithoutSecondStep.submit('/inloggen', 'signIn', { email: EMAILS.adminWithoutSecondStep, password: accounts.adminWithoutSecondStep.password });
    expect(pending.headers.get('location')).toBe('/account/tweestapsverificatie');
    // Disabled after signing in: the cookie they hold must no longer work.
    await setUserDisabled(db, accounts.disabled.user.id, true, SYSTEM_ACTOR);
  });

  afterAll(() => site?.close());

  for (const testCase of CASES) {
    for (const role of ROLES) {
      const allowed = testCase.allowed.includes(role);
      it(`${testCase.action} by ${role} is ${allowed ? 'allowed' : 'refused'}`, async () => {
        const before = await databaseFingerprint(site.db, { except: ['audit_log'] });
        const response = await clients[role].submit(testCase.page, testCase.action, testCase.fields(role, ids));
        if (allowed) {
          expect(response.status, await response.text()).toBeLessThan(400);
          expect(await testCase.tookEffect(site, role, ids)).toBe(true);
        } else {
          expect([401, 403]).toContain(response.status);
          expect(await testCase.tookEffect(site, role, ids)).toBe(false);
          expect(await databaseFingerprint(site.db, { except: ['audit_log'] })).toEqual(before);
        }
      });
    }
  }

  it('a representative pledges for their own party', async () => {
    // The matrix closed pledging (setPledging by admin): follow the (absent) deadline again.
    await setPledgingOverride(site.db, null, SYSTEM_ACTOR);
    const response = await clients.repOfA.submit('/mijn-partij', 'savePledge', {
      party: 'testpartij-a',
      goal: goals[1]!.slug,
      baseVersion: '0',
      stance: 'partial',
      statement: 'Eigen partij',
      evidenceUrl: '',
      evidencePage: '',
    });
    expect(response.status).toBe(303);
    const [saved] = await site.db.select().from(pledges).where(eq(pledges.statement, 'Eigen partij'));
    expect(saved?.updatedByRole).toBe('rep');
  });

  it('an anonymous POST to the open-data API is refused', async () => {
    const response = await fetch(new URL('/api/v1/scoreboard.json', site.url), { method: 'POST', headers: { origin: site.origin } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
