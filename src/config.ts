/**
 * Configuration from environment variables, checked once at start. A bad value stops the
 * process with a message that names the variable and says what it should be; it never
 * surfaces later as a crash.
 */
import { isIP } from 'node:net';
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

const TRUST_PROXY_PROBLEM =
  'must be the addresses of the proxies in front, comma-separated (e.g. 127.0.0.1,::1 or 10.0.0.0/8), 1/true for a proxy on this machine, or 0/false';
/** TRUST_PROXY=1 (or true/yes): a reverse proxy on this machine, talking to us over loopback. */
const LOOPBACK_PROXIES = ['127.0.0.1', '::1'];

/** An IP address, or a network in CIDR notation (10.0.0.0/8, fd00::/8). */
function isAddressOrNetwork(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

const trustedProxyList = z.preprocess(
  (value) => {
    const text = (typeof value === 'string' ? value : '').trim().toLowerCase();
    if (['', '0', 'false', 'no'].includes(text)) return [];
    if (['1', 'true', 'yes'].includes(text)) return LOOPBACK_PROXIES;
    return text.split(',').map((entry) => entry.trim());
  },
  z.array(z.string().refine(isAddressOrNetwork, TRUST_PROXY_PROBLEM)),
);

const SMTP_URL_PROBLEM = 'must be smtp://user:password@host:port or smtps://user:password@host:port (user and password are optional)';

function isSmtpUrl(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- a line break in a URL is a mistake, never meant
  if (/[\s\u0000-\u001f]/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '' && (url.pathname === '' || url.pathname === '/') && url.hash === '';
  } catch {
    return false;
  }
}

/** One plain address (no display name, no line breaks: it goes into a header). */
function isMailAddress(value: string): boolean {
  return value.length <= 254 && z.email().safeParse(value).success;
}

/** What a message may show of a setting: a URL's password never appears in a log. */
function shownValue(name: string, given: string | undefined): string {
  if (name !== 'SMTP_URL' || !given) return given ?? '';
  try {
    const url = new URL(given);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return given.replace(/\/\/.*@/s, '//***@');
  }
}

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
  DATABASE_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres://user@host:port/database URL' }).optional()),
  DATA_DIR: z.preprocess(emptyAsUnset, z.string().default('./data')),
  /** The public address of the site, for absolute links and canonical URLs. */
  PUBLIC_URL: z.preprocess(emptyAsUnset, z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional()),
  NODE_ENV: z.preprocess(emptyAsUnset, z.enum(['development', 'production', 'test']).default('production')),
  /** A throwaway in-memory board of fictional parties (npm run demo). */
  DEMO: booleanFlag,
  /**
   * Behind reverse proxies: their addresses (or networks). X-Forwarded-For is believed only on
   * a connection from one of them, and the client is the right-most entry that is not one of
   * them. A count of proxies (the old meaning) is refused: it would trust anyone's header.
   */
  TRUST_PROXY: trustedProxyList,
  /** A name for this instance, sent as X-Served-By (useful behind a load balancer). */
  INSTANCE_NAME: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[\w.-]{1,64}$/, 'use letters, digits, dots, dashes (at most 64)')
      .optional(),
  ),
  /** Seconds to let open requests finish after SIGTERM before closing anyway. */
  SHUTDOWN_TIMEOUT: z.preprocess(emptyAsUnset, z.coerce.number({ error: 'must be a number of seconds' }).min(0).max(600).default(10)),
  /** Where mail goes out: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465. */
  SMTP_URL: z.preprocess(emptyAsUnset, z.string().refine(isSmtpUrl, SMTP_URL_PROBLEM).optional()),
  /** The sender's address; the sender's name is the campaign's (content/campaign.yaml). */
  MAIL_FROM: z.preprocess(emptyAsUnset, z.string().refine(isMailAddress, 'must be one email address, such as campagne@example.org').optional()),
  /** The Tweede Kamer's OData service root for import-zaak (the public API unless set; tests serve their own). */
  TK_ODATA_URL: z.preprocess(
    emptyAsUnset,
    z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL, e.g. https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/' }).optional(),
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
  /** Addresses (or CIDR networks) of the proxies in front whose X-Forwarded-For is believed; empty: none. */
  trustProxy: string[];
  /**
   * Outgoing mail: without an SMTP URL nothing is sent and every mail stays in the outbox
   * (status held), readable in Beheer and with `npm run cli -- outbox`.
   */
  mail: MailConfig;
  /** Where Zaken are imported from (TK_ODATA_URL); undefined: the Tweede Kamer's public API. */
  tkODataUrl: string | undefined;
}

export interface MailConfig {
  smtpUrl: string | undefined;
  /** The sender's address (MAIL_FROM); set whenever smtpUrl is. */
  from: string | undefined;
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
        return `${name}=${JSON.stringify(shownValue(name, env[name]))}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.SMTP_URL && !e.MAIL_FROM) {
    throw new ConfigError(['MAIL_FROM="": must be set when SMTP_URL is: the address mail is sent from, such as campagne@example.org']);
  }
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
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    tkODataUrl: e.TK_ODATA_URL,
  };
}
