/**
 * What every request needs from the running process: the database and the configuration.
 * The node:http front creates it once at start; Astro pages reach it as `Astro.locals.app`.
 * It is kept on globalThis because the front (run by Node) and the pages (bundled by Astro)
 * load separate copies of this module but must share one database connection.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ResetRequestQueue } from './auth/forgot-password.ts';
import type { ReminderWorker } from './server/reminder-worker.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { EvidenceFetchOptions } from './domain/evidence-fetch.ts';
import type { BoardVersion } from './server/board-version.ts';
import type { DatabaseHealth } from './server/database-health.ts';
import type { MailWorker } from './server/mail-sender.ts';

export interface AppContext {
  database: Database;
  config: Config;
  /** The public board's version: cached public pages are valid for one version. */
  boardVersion: BoardVersion;
  /** Whether the database answers; while it does not, cached pages are served marked stale. */
  health: DatabaseHealth;
  /** Delivers the outbox (or, without SMTP_URL, marks it held); stopped before the database closes. */
  mail: MailWorker;
  /** "Forgot password" requests answered and waiting for their lookup and mail (drained after each response). */
  resetRequests: ResetRequestQueue;
  /** Sends scheduled reminders once a minute; started once the server listens (it needs the site's address). */
  reminders?: ReminderWorker;
  /**
   * The site's own address for links in mail: PUBLIC_URL, else the address it listens on (set
   * once it listens). Never the request's Host: a forged one would put an attacker's address
   * in a real mail from the campaign, and a reset link is an account.
   */
  siteUrl?: string;
  /**
   * Tests only (tests/helpers/site.ts): how the evidence fetcher reaches the test's own https
   * server. No setting or variable sets it: in production the fetcher keeps its defaults.
   */
  evidenceFetch?: EvidenceFetchOptions;
}

const KEY = Symbol.for('pledgeboard.app-context');
type Holder = { [KEY]?: AppContext };

export function setAppContext(context: AppContext | undefined): void {
  (globalThis as Holder)[KEY] = context;
}

export function getAppContext(): AppContext {
  const context = (globalThis as Holder)[KEY];
  if (!context) {
    throw new Error('No app context: Pledgeboard pages are served by src/server/entry.ts (npm start).');
  }
  return context;
}

const CLIENT_IP_KEY = Symbol.for('pledgeboard.client-ip');
type IpHolder = { [CLIENT_IP_KEY]?: AsyncLocalStorage<string> };

/**
 * The client's address as the front worked it out (proxy-aware), for the request being handled.
 * The front also hands it to Astro in `locals`, but @astrojs/node passes `locals` on only for
 * addresses that match a page file: the English addresses (which the middleware rewrites to
 * the Dutch pages) got none, and their sign-in and reset limits counted the proxy's address.
 * The middleware reads it from here. Shared through globalThis, as the app context is.
 */
export function clientIpScope(): AsyncLocalStorage<string> {
  const holder = globalThis as IpHolder;
  return (holder[CLIENT_IP_KEY] ??= new AsyncLocalStorage<string>());
}

const AFTER_RESPONSE_KEY = Symbol.for('pledgeboard.after-response');
type AfterHolder = { [AFTER_RESPONSE_KEY]?: AsyncLocalStorage<AfterResponseTasks> };

/**
 * The tasks one request leaves for after its response. `run` (the front calls it when the
 * response closes) starts them; a task added after that starts on the next turn, so none is
 * stranded (the client may drop before the page adds one). Each task runs on its own: one that
 * throws or rejects is logged, and neither stops the others nor reaches the server.
 */
export class AfterResponseTasks {
  readonly #tasks: (() => unknown)[] = [];
  readonly #log: (line: string) => void;
  #ran = false;

  constructor(log: (line: string) => void = console.error) {
    this.#log = log;
  }

  /** Tasks for no request: each starts on the next turn. */
  static ran(log?: (line: string) => void): AfterResponseTasks {
    const tasks = new AfterResponseTasks(log);
    tasks.run();
    return tasks;
  }

  add(task: () => unknown): void {
    if (this.#ran) setImmediate(() => this.#start(task));
    else this.#tasks.push(task);
  }

  run(): void {
    this.#ran = true;
    for (const task of this.#tasks.splice(0)) this.#start(task);
  }

  #start(task: () => unknown): void {
    const failed = (error: unknown) => this.#log(`A task after a response failed: ${error instanceof Error ? error.message : String(error)}`);
    try {
      void Promise.resolve(task()).catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}

/**
 * The tasks to run once the response to the request being handled is finished: the front runs
 * each request in this scope and runs its tasks when the response closes. Shared through
 * globalThis, as the app context is.
 */
export function afterResponseScope(): AsyncLocalStorage<AfterResponseTasks> {
  const holder = globalThis as AfterHolder;
  return (holder[AFTER_RESPONSE_KEY] ??= new AsyncLocalStorage<AfterResponseTasks>());
}

/**
 * Runs a task once the current request's response has gone out (work whose cost must not show
 * in the answer, such as a reset request's lookup); outside a request, on the next turn.
 */
export function afterResponse(task: () => unknown): void {
  (afterResponseScope().getStore() ?? AfterResponseTasks.ran()).add(task);
}
