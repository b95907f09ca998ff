import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('defaults to port 4321 on localhost and PGlite in ./data', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({ port: 4321, host: 'localhost', database: { engine: 'pglite', dataDir: '/srv/app/data' } });
  });

  it('uses Postgres when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/pledges' }, '/srv/app');
    expect(config.database).toEqual({ engine: 'postgres', url: 'postgres://u@db:5432/pledges' });
  });

  it('keeps the demo board in memory, even with a DATABASE_URL', () => {
    const config = loadConfig({ DEMO: '1', DATABASE_URL: 'postgres://u@db/pledges' }, '/srv/app');
    expect(config.database).toEqual({ engine: 'pglite', dataDir: null });
    expect(config.demo).toBe(true);
  });

  it('names PORT and its value when it is not a number', () => {
    const problems = problemsOf({ PORT: 'abc' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT="abc": /);
  });

  it.each(['-1', '65536', '80.5'])('refuses PORT=%s', (port) => {
    expect(problemsOf({ PORT: port })[0]).toMatch(/^PORT=/);
  });

  it('refuses a DATABASE_URL that is not a Postgres URL', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://root@localhost/db' })[0]).toMatch(/^DATABASE_URL=.*postgres/);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'x', DEMO: 'maybe', NODE_ENV: 'staging' });
    expect(problems.map((p) => p.split('=')[0]).sort()).toEqual(['DEMO', 'NODE_ENV', 'PORT']);
  });

  it('reads TRUST_PROXY as the addresses of the proxies in front; 1/true means loopback', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: 'no' }).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toEqual(['127.0.0.1', '::1']);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toEqual(['127.0.0.1', '::1']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.0.6' }).trustProxy).toEqual(['10.0.0.5', '10.0.0.6']);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1,::1,173.245.48.0/20' }).trustProxy).toEqual(['127.0.0.1', '::1', '173.245.48.0/20']);
  });

  it('refuses a TRUST_PROXY that is not a list of addresses, with a hint', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'nginx' })).toThrow(/TRUST_PROXY="nginx".*addresses of the proxies/);
    // It used to be a number of proxies: a count says nothing about who may send the header.
    expect(() => loadConfig({ TRUST_PROXY: '2' })).toThrow(/TRUST_PROXY="2".*addresses of the proxies/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.5,' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, '/srv/app')).toMatchObject({ port: 4321, database: { engine: 'pglite' } });
  });

  it('reads SMTP_URL and MAIL_FROM; without SMTP_URL mail is only kept', () => {
    expect(loadConfig({}).mail).toEqual({ smtpUrl: undefined, from: undefined });
    expect(loadConfig({ SMTP_URL: 'smtp://user:geheim@mail.example.org:587', MAIL_FROM: 'campagne@example.org' }).mail).toEqual({
      smtpUrl: 'smtp://user:geheim@mail.example.org:587',
      from: 'campagne@example.org',
    });
    expect(loadConfig({ SMTP_URL: 'smtps://mail.example.org', MAIL_FROM: 'campagne@example.org' }).mail.smtpUrl).toBe('smtps://mail.example.org');
  });

  it.each(['http://mail.example.org', 'smtp://', 'smtp://mail.example.org/pad', 'mail.example.org:587', 'smtp://mail.example.org\r\nX: y'])(
    'refuses SMTP_URL=%j',
    (url) => {
      expect(problemsOf({ SMTP_URL: url, MAIL_FROM: 'a@example.org' })[0]).toMatch(/^SMTP_URL=.*smtp:\/\/user:password@host:port/);
    },
  );

  it('never prints the SMTP password, even in a refused URL', () => {
    const problems = problemsOf({ SMTP_URL: 'ftp://user:zeergeheim@mail.example.org', MAIL_FROM: 'a@example.org' }).join('\n');
    expect(problems).toMatch(/SMTP_URL/);
    expect(problems).not.toMatch(/zeergeheim/);
    const unparsable = problemsOf({ SMTP_URL: 'smtp://user:zeer geheim@mail example', MAIL_FROM: 'a@example.org' }).join('\n');
    expect(unparsable).toMatch(/SMTP_URL/);
    expect(unparsable).not.toMatch(/geheim/);
  });

  it('needs MAIL_FROM with SMTP_URL, and refuses a MAIL_FROM that is not one plain address', () => {
    expect(problemsOf({ SMTP_URL: 'smtp://mail.example.org' })[0]).toMatch(/^MAIL_FROM="": must be set when SMTP_URL is/);
    for (const from of ['Campagne <campagne@example.org>', 'campagne@example.org\r\nBcc: x@y.example', 'geen adres']) {
      expect(problemsOf({ MAIL_FROM: from })[0]).toMatch(/^MAIL_FROM=.*one email address/);
    }
  });
});
