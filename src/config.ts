/**
 * Configuration from environment variables, checked once at start. A bad value stops the
 * process with a message that names the variable and says what it should be; it never
 * surfaces later as a crash.
 */
import path from 'node:path';
import { z } from 'zod';
import type { DatabaseTarget } from './db/client.ts';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const booleanFlag = z.preprocess(
  emptyAsUnset,
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no'], { error: 'must be 1/0, true/false or yes/no' })
    .optional()
    .transform((v) => v === '1' || v === 'true' || v === 'yes'),
);

const TRUST_PROXY_PROBLEM = 'must be the number of proxies in front (0 to 5), or true/false';

const envSchema = z.object({
  PORT: z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535 (0 picks a free port)')
      .max(65535, 'must be between 0 and 65535 (0 picks a free port)')
      .default(4321),
  ),
  HOST: z.preprocess(emptyAsUnset, z.string().min(1).default('localhost')),
  DATABASE_URL: z.preprocess(
    emptyAsUnset,
    z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres://user@host:port/database URL' })
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyAsUnset, z.string().default('./data')),
  /** The public address of the site, for absolute links and canonical URLs. */
  PUBLIC_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional()),
  NODE_ENV: z.preprocess(emptyAsUnset, z.enum(['development', 'production', 'test']).default('production')),
  /** A throwaway in-memory board of fictional parties (npm run demo). */
  DEMO: booleanFlag,
  /**
   * Behind reverse proxies: how many of them (1 = nginx alone, 2 = a CDN and nginx) added an
   * X-Forwarded-For entry that can be trusted; the client is the entry that many from the end.
   * `true`/`yes` mean 1, `false`/`no` 0.
   */
  TRUST_PROXY: z.preprocess(
    (value) => ({ '': undefined, true: '1', yes: '1', false: '0', no: '0' } as Record<string, string | undefined>)[String(value)] ?? value,
    z.coerce.number({ error: TRUST_PROXY_PROBLEM }).int(TRUST_PROXY_PROBLEM).min(0, TRUST_PROXY_PROBLEM).max(5, TRUST_PROXY_PROBLEM).default(0),
  ),
  /** A name for this instance, sent as X-Served-By (useful behind a load balancer). */
  INSTANCE_NAME: z.preprocess(emptyAsUnset, z.string().regex(/^[\w.-]{1,64}$/, 'use letters, digits, dots, dashes (at most 64)').optional()),
  /** Seconds to let open requests finish after SIGTERM before closing anyway. */
  SHUTDOWN_TIMEOUT: z.preprocess(
    emptyAsUnset,
    z.coerce.number({ error: 'must be a number of seconds' }).min(0).max(600).default(10),
  ),
});

export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  publicUrl: string | undefined;
  production: boolean;
  demo: boolean;
  shutdownTimeoutMs: number;
  instanceName: string | undefined;
  /** How many proxies in front add a trustworthy X-Forwarded-For entry (0: none, use the socket). */
  trustProxy: number;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const given = env[name];
        return `${name}=${JSON.stringify(given ?? '')}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const database: DatabaseTarget = e.DEMO
    ? { engine: 'pglite', dataDir: null }
    : e.DATABASE_URL
      ? { engine: 'postgres', url: e.DATABASE_URL }
      : { engine: 'pglite', dataDir: path.resolve(cwd, e.DATA_DIR) };
  return {
    port: e.PORT,
    host: e.HOST,
    database,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    production: e.NODE_ENV === 'production',
    demo: e.DEMO,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT * 1000,
    instanceName: e.INSTANCE_NAME,
    trustProxy: e.TRUST_PROXY,
  };
}
