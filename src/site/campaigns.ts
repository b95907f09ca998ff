/**
 * The campaigns as pages need them: read once per board version (a campaign's change moves
 * the version, drizzle/0018), and the one a request is for.
 */
import type { AppContext } from '../app-context.ts';
import { bySlug, currentOf, loadCampaigns, type CampaignWithGoals } from '../domain/campaigns.ts';
import { isCampaignSlug, isPublished } from '../domain/campaign.ts';

const cache = new WeakMap<AppContext, { version: number; campaigns: Promise<CampaignWithGoals[]> }>();

/** Every campaign with its goals, newest first; the same array until the board's version moves. */
export function campaignDirectory(app: AppContext): Promise<CampaignWithGoals[]> {
  const version = app.boardVersion.current;
  const held = cache.get(app);
  if (held && held.version === version) return held.campaigns;
  const campaigns = loadCampaigns(app.database.db);
  cache.set(app, { version, campaigns });
  // A failed read is not kept: the next request tries again.
  campaigns.catch(() => cache.get(app)?.campaigns === campaigns && cache.delete(app));
  return campaigns;
}

/**
 * The campaign an address names, or (without one) the current campaign. Undefined for a slug
 * that names none, or a draft the reader may not see (admins may preview a draft).
 */
export async function campaignForRequest(app: AppContext, slug: string | null, isAdmin: boolean): Promise<CampaignWithGoals | undefined> {
  const all = await campaignDirectory(app);
  if (slug === null) return currentOf(all) ?? all[all.length - 1];
  if (!isCampaignSlug(slug)) return undefined;
  const found = bySlug(all, slug);
  return found && (isPublished(found.campaign) || isAdmin) ? found : undefined;
}
