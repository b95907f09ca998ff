/**
 * A private Postgres cluster for a test that has to stop and start its database server: made
 * with initdb in a temporary folder, listening on a free port on 127.0.0.1 (socket in the same
 * folder), and removed at the end. The machine's own server is never touched.
 * As root the Postgres programs run as the `postgres` OS user (initdb refuses root).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed Postgres's bin folder that has initdb and pg_ctl, if any. */
export function findPostgresBin(): string | undefined {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN;
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((name) => existsSync(path.join(PG_ROOT, name, 'bin', 'initdb')) && existsSync(path.join(PG_ROOT, name, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(PG_ROOT, versions[0], 'bin') : undefined;
}

/** Why a throwaway cluster cannot be made here, or undefined when it can. */
export function throwawayPostgresUnavailable(): string | undefined {
  if (!findPostgresBin()) return `no initdb/pg_ctl under ${PG_ROOT}/<version>/bin (apt-get install postgresql, or set POSTGRES_BIN)`;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'pipe' });
    } catch {
      return 'running as root, and there is no `postgres` OS user to run initdb as';
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ThrowawayPostgres {
  /** Admin URL of the cluster's `postgres` database. */
  url: string;
  port: number;
  /** Starts the server and waits until it accepts connections. */
  start(): void;
  /** Stops the server (fast shutdown: open connections are cut, as in a crash of the link). */
  stop(): void;
  /** Stops the server if it runs and deletes the folder. Safe to call twice. */
  remove(): void;
}

export async function createThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const unavailable = throwawayPostgresUnavailable();
  if (unavailable) throw new Error(`cannot make a throwaway Postgres cluster: ${unavailable}`);
  const bin = findPostgresBin()!;
  const asRoot = process.getuid?.() === 0;
  const run = (program: string, args: string[]) => {
    const command = path.join(bin, program);
    // runuser keeps the arguments as they are (no shell quoting to get wrong).
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe', cwd: tmpdir() });
    else execFileSync(command, args, { stdio: 'pipe' });
  };

  const folder = mkdtempSync(path.join(tmpdir(), 'pb-outage-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(folder, uid, gid);
  }
  const dataDir = path.join(folder, 'data');
  const logFile = path.join(folder, 'server.log');
  const port = await freePort();
  let running = false;
  let removed = false;

  const stopNow = (mode: 'fast' | 'immediate') => {
    if (!running) return;
    run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
    running = false;
  };
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off('exit', onExit);
    try {
      stopNow('immediate');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  };
  // If the test process ends without its afterAll (a crash, a kill by the runner), the cluster
  // goes with it rather than being left running on the machine.
  const onExit = () => {
    try {
      remove();
    } catch {
      /* the process is ending; nothing more can be done */
    }
  };
  process.on('exit', onExit);

  try {
    run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
  } catch (error) {
    remove();
    throw error;
  }
  const cluster: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start() {
      if (running) return;
      // fsync off: the data is thrown away, and the machine is shared.
      run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', `-k ${folder} -c listen_addresses=127.0.0.1 -p ${port} -c fsync=off`, 'start']);
      running = true;
    },
    stop() {
      stopNow('fast');
    },
    remove,
  };
  try {
    cluster.start();
  } catch (error) {
    remove();
    throw error;
  }
  return cluster;
}
