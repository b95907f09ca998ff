/**
 * The work a "forgot password" request does after its answer (requestPasswordReset, the one
 * function the queue calls for every request) has the same shape whatever the address: the
 * same statements on the same tables in the same order, in one transaction, for an enabled
 * account, an unknown address and a disabled account. Only the first stores a link and a mail.
 * (Timings are not asserted: the shape is what makes them alike.)
 */
import type { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import * as schema from '../../src/db/schema.ts';
import { SYSTEM_ACTOR } from '../../src/domain/actors.ts';
import { requestPasswordReset } from '../../src/domain/password-resets.ts';
import { setUserDisabled } from '../../src/domain/users.ts';
import { mailContextFor } from '../../src/i18n/routes.ts';
import { createAccount } from '../helpers/accounts.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/engines.ts';
import { databaseFingerprint } from '../helpers/fingerprint.ts';

const mail = mailContextFor({ nl: 'Campagne', en: 'Campaign' }, 'http://localhost:4321', false);

/** "verb table" of a statement, e.g. "insert account_links". */
function shapeOf(query: string): string {
  const q = query.toLowerCase().replace(/"/g, '');
  const verb = q.split(/\s+/)[0]!;
  const table = verb === 'insert' ? /^insert into (\w+)/.exec(q)?.[1] : verb === 'update' ? /^update (\w+)/.exec(q)?.[1] : /\bfrom (\w+)/.exec(q)?.[1];
  return `${verb} ${table}`;
}

describe.each(ENGINES)('the work after a reset request, on %s', (engine) => {
  let test: TestDatabase;
  let statements: string[];
  let recorded: Db;

  beforeAll(async () => {
    test = await createTestDatabase(engine);
    statements = [];
    const logger = { logQuery: (query: string) => void statements.push(shapeOf(query)) };
    const client = (test.database.db as unknown as { $client: unknown }).$client;
    const db = (engine === 'pglite'
      ? drizzlePglite({ client: client as PGlite, schema, logger })
      : drizzlePostgres({ client: client as Sql, schema, logger })) as unknown as Db;
    // Transactions begin outside the logger: count them here.
    const transaction = db.transaction.bind(db);
    db.transaction = ((work: Parameters<Db['transaction']>[0]) => {
      statements.push('transaction');
      return transaction(work);
    }) as Db['transaction'];
    recorded = db;
    await createAccount(test.database.db, { email: 'bekend@partij.example' });
    const disabled = await createAccount(test.database.db, { email: 'uit@partij.example' });
    await setUserDisabled(test.database.db, disabled.user.id, true, SYSTEM_ACTOR);
  });
  afterAll(() => test?.drop());

  async function shape(email: string) {
    statements.length = 0;
    const outcome = await requestPasswordReset(recorded, email, { locale: 'nl', mail });
    return { outcome, statements: statements.slice() };
  }

  it('runs the same statements for a known, an unknown and a disabled address', async () => {
    const known = await shape('bekend@partij.example');
    expect(known.outcome).toBe('mailed');
    expect(known.statements).toEqual([
      'select users',
      'transaction',
      'update account_links',
      'insert account_links',
      'select outbox',
      'insert outbox',
      'insert audit_log',
    ]);
    const unknown = await shape('niemand@nergens.example');
    expect(unknown.outcome).toBe('no-account');
    expect(unknown.statements).toEqual(known.statements);
    const disabled = await shape('uit@partij.example');
    expect(disabled.outcome).toBe('disabled');
    expect(disabled.statements).toEqual(known.statements);
  });

  it('stores nothing for an unknown address, and only the audit line for a disabled account', async () => {
    const db = test.database.db;
    const before = await databaseFingerprint(db);
    await requestPasswordReset(db, 'ook-niemand@nergens.example', { locale: 'nl', mail });
    expect(await databaseFingerprint(db)).toEqual(before);
    const [disabled] = await db.select().from(schema.users).where(eq(schema.users.email, 'uit@partij.example'));
    const linksBefore = await db.select().from(schema.accountLinks).where(eq(schema.accountLinks.userId, disabled!.id));
    const beforeDisabled = await databaseFingerprint(db, { except: ['audit_log'] });
    await requestPasswordReset(db, 'uit@partij.example', { locale: 'nl', mail });
    expect(await databaseFingerprint(db, { except: ['audit_log'] })).toEqual(beforeDisabled);
    const audit = await db.select().from(schema.auditLog).where(eq(schema.auditLog.subject, 'uit@partij.example'));
    expect(audit.at(-1)!.details).toEqual({ mailed: false, reason: 'disabled' });
    expect(await db.select().from(schema.accountLinks).where(eq(schema.accountLinks.userId, disabled!.id))).toEqual(linksBefore);
    expect((await db.select().from(schema.outbox).where(eq(schema.outbox.toAddress, 'uit@partij.example'))).length).toBe(0);
  });
});
