/**
 * Postgres errors by their SQLSTATE, through the layers that wrap them (drizzle puts the
 * driver's error in `cause`), the same on postgres.js and PGlite.
 */
export function hasSqlState(error: unknown, code: string): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === code) return true;
  }
  return false;
}

/** A write the database refused because its campaign is archived (drizzle/0020). */
export function isArchivedCampaignWrite(error: unknown): boolean {
  for (let e = error as { code?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23001' && e.message?.includes('is archived')) return true;
  }
  return false;
}
