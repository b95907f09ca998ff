/**
 * The version of the public board: database triggers move it on every change to parties,
 * pledges or moderation (see drizzle/0005_*). Equal versions mean equal public pages.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { boardState } from '../db/schema.ts';

export const BOARD_CHANNEL = 'pledgeboard_board';

export async function readBoardVersion(db: Db): Promise<number> {
  const [row] = await db.select({ version: boardState.version }).from(boardState).where(eq(boardState.id, 1));
  return row?.version ?? 0;
}
