/**
 * What this instance knows of the board's version. It learns of changes three ways: its own
 * writes (refresh() right after a successful form), Postgres NOTIFY from any instance or tool
 * (LISTEN on its own connection, which postgres.js re-opens after an outage), and a re-read
 * whenever that connection comes back (notifications sent while it was away are lost).
 */
import postgres from 'postgres';
import type { Database, DatabaseTarget } from '../db/client.ts';
import { BOARD_CHANNEL, readBoardVersion } from '../domain/board-version.ts';

export interface BoardVersion {
  /** The latest version this instance has seen. */
  readonly current: number;
  /** Reads the version from the database now (after a write of our own). */
  refresh(): Promise<number>;
  close(): Promise<void>;
}

export async function trackBoardVersion(database: Database, target: DatabaseTarget, log: (line: string) => void = console.log): Promise<BoardVersion> {
  let current = await readBoardVersion(database.db);
  // Versions only grow: a late or repeated message never moves it back.
  const see = (version: number) => {
    if (Number.isFinite(version) && version > current) current = version;
    return current;
  };
  const refresh = async () => see(await readBoardVersion(database.db));

  let listener: postgres.Sql | null = null;
  if (target.engine === 'postgres') {
    listener = postgres(target.url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    let connectedBefore = false;
    await listener.listen(
      BOARD_CHANNEL,
      (payload) => see(Number(payload)),
      () => {
        if (connectedBefore) log('Board version: listening again after a lost connection.');
        connectedBefore = true;
        refresh().catch(() => {});
      },
    );
  }
  return {
    get current() {
      return current;
    },
    refresh,
    close: async () => {
      await listener?.end({ timeout: 2 });
    },
  };
}
