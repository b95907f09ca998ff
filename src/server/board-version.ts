/**
 * What this instance knows of the board's version. It learns of changes three ways: its own
 * writes (refresh() right after a successful form), Postgres NOTIFY from any instance or tool
 * (LISTEN on its own connection, which postgres.js re-opens after an outage), and a re-read
 * whenever that connection comes back (notifications sent while it was away are lost).
 * It also remembers when it learnt of each recent version, so that the front can tell how long
 * a cached copy has been out of date (it serves one for a moment while the new one renders).
 */
import postgres from 'postgres';
import type { Database, DatabaseTarget } from '../db/client.ts';
import { BOARD_CHANNEL, readBoardVersions, type BoardVersions } from '../domain/board-version.ts';

/**
 * Whose pages: one campaign's (by slug), the campaign marked current (the addresses without a
 * campaign), or anything at all (a page that may show any campaign, such as oEmbed).
 */
export type BoardScope = { campaign: string } | 'current' | 'any';

export interface BoardVersion {
  /** The latest version this instance has seen. */
  readonly current: number;
  /**
   * The version of the last change that pages of this scope show: a copy made at that version
   * or later is still good. While this instance has heard of a change it has not read yet,
   * that change may be anyone's: the answer is then the latest version.
   */
  changedAt(scope: BoardScope): number;
  /**
   * When (performance.now()) this instance learnt of a version newer than `version`: how long
   * a copy of that version has been out of date. Undefined while it is current; -Infinity
   * when it is older than what is remembered (long ago, as far as anyone need know).
   */
  supersededAt(version: number): number | undefined;
  /** Reads the version from the database now (after a write of our own). */
  refresh(): Promise<number>;
  close(): Promise<void>;
}

/** How many changes are remembered: at five writes a second, most of a minute. */
const REMEMBERED_CHANGES = 256;

/**
 * The versions an instance has seen and when, oldest first: what `supersededAt` answers from.
 * Starts with the version read at start, seen "long ago" (a copy older than it is).
 */
export class VersionHistory {
  private changes: { version: number; at: number }[];
  /** Copies older than this were superseded before the first change still remembered. */
  private forgottenBelow = -Infinity;

  private latest: number;

  constructor(initial: number) {
    this.latest = initial;
    this.changes = [{ version: initial, at: -Infinity }];
  }

  /** The latest version seen. */
  get current(): number {
    return this.latest;
  }

  /** Versions only grow: a late or repeated message never moves it back. */
  see(version: number, at = performance.now()): number {
    if (Number.isFinite(version) && version > this.current) {
      this.latest = version;
      this.changes.push({ version, at });
      if (this.changes.length > REMEMBERED_CHANGES) this.forgottenBelow = this.changes.shift()!.version;
    }
    return this.current;
  }

  supersededAt(version: number): number | undefined {
    if (version >= this.current) return undefined;
    if (version < this.forgottenBelow) return -Infinity;
    // The first change past `version`; the copies asked about are mostly a version or two
    // behind, so look from the newest end.
    let i = this.changes.length - 1;
    while (i > 0 && this.changes[i - 1]!.version > version) i--;
    return this.changes[i]!.at;
  }
}

/** What changed where, as last read from the database, against what this instance has heard since. */
export function changedAtIn(read: BoardVersions | null, latest: number, scope: BoardScope): number {
  if (!read || read.version < latest || scope === 'any') return latest;
  const slug = scope === 'current' ? read.current : scope.campaign;
  const own = slug === null ? undefined : read.campaigns.get(slug);
  return own === undefined ? latest : Math.max(read.sharedChangedAt, own);
}

export async function trackBoardVersion(database: Database, target: DatabaseTarget, log: (line: string) => void = console.log): Promise<BoardVersion> {
  let read = await readBoardVersions(database.db);
  const history = new VersionHistory(read.version);
  const see = (version: number) => history.see(version);
  const refresh = async () => {
    const fresh = await readBoardVersions(database.db);
    if (fresh.version >= read.version) read = fresh;
    return see(fresh.version);
  };

  let listener: postgres.Sql | null = null;
  if (target.engine === 'postgres') {
    listener = postgres(target.url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    let connectedBefore = false;
    await listener.listen(
      BOARD_CHANNEL,
      (payload) => {
        // The version at once (so that copies stop being good now), then where it changed.
        see(Number(payload));
        refresh().catch(() => {});
      },
      () => {
        if (connectedBefore) log('Board version: listening again after a lost connection.');
        connectedBefore = true;
        refresh().catch(() => {});
      },
    );
  }
  return {
    get current() {
      return history.current;
    },
    changedAt: (scope) => changedAtIn(read, history.current, scope),
    supersededAt: (version) => history.supersededAt(version),
    refresh,
    close: async () => {
      await listener?.end({ timeout: 2 });
    },
  };
}
