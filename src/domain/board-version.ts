/**
 * The version of the public board: database triggers move it on every change the public can
 * see (drizzle/0005, 0021). Equal versions mean equal public pages. Next to it, the version of
 * the last change every campaign shows (the registry, the campaigns, settings, outreach) and of
 * the last change to each campaign's own data: a page of one campaign is still good while
 * neither has moved past the version it was made at.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { boardState, campaignBoardVersions, campaigns } from '../db/schema.ts';
import { rowsOf } from '../db/rows.ts';

export const BOARD_CHANNEL = 'pledgeboard_board';

export async function readBoardVersion(db: Db): Promise<number> {
  const [row] = await db.select({ version: boardState.version }).from(boardState).where(eq(boardState.id, 1));
  return row?.version ?? 0;
}

export interface BoardVersions {
  version: number;
  sharedChangedAt: number;
  /** Per campaign slug: the version of its last own change (0: none since versions were kept). */
  campaigns: Map<string, number>;
  /** The slug of the campaign marked current (what addresses without a campaign show), if any. */
  current: string | null;
}

/** All of it in one read, so that the parts agree with each other. */
export async function readBoardVersions(db: Db): Promise<BoardVersions> {
  type Row = { version: string | number; shared: string | number; slug: string | null; current: boolean | null; changed: string | number | null };
  const rows = rowsOf<Row>(
    await db.execute(sql`select b.version, b.shared_changed_at as shared, c.slug, c.is_current as current, v.changed_at as changed
        from ${boardState} b
        left join ${campaigns} c on true
        left join ${campaignBoardVersions} v on v.campaign_id = c.id
        where b.id = 1`),
  );
  const first = rows[0];
  const result: BoardVersions = { version: Number(first?.version ?? 0), sharedChangedAt: Number(first?.shared ?? 0), campaigns: new Map(), current: null };
  for (const row of rows) {
    if (row.slug === null) continue;
    result.campaigns.set(row.slug, Number(row.changed ?? 0));
    if (row.current) result.current = row.slug;
  }
  return result;
}
