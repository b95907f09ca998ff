/**
 * A campaign's own addresses (src/i18n/routes.ts): its pages under /campagnes/<slug>
 * (/en/campaigns/<slug>) and its open-data files under /api/v1/campaigns/<slug>/.
 */
import { describe, expect, it } from 'vitest';
import { campaignApiPath, matchPath, pathTo, splitCampaignApiPath, splitCampaignPath } from '../../src/i18n/routes.ts';

describe('campaign addresses', () => {
  it('puts a campaign page under the campaign, in each language, and leaves other pages alone', () => {
    expect(pathTo('scoreboard', 'nl', {}, 'tk-2025')).toBe('/campagnes/tk-2025');
    expect(pathTo('scoreboard', 'en', {}, 'tk-2025')).toBe('/en/campaigns/tk-2025');
    expect(pathTo('statement', 'en', { slug: 'a', goal: 'b' }, 'tk-2025')).toBe('/en/campaigns/tk-2025/parties/a/goals/b');
    expect(pathTo('imageParty', 'nl', { slug: 'a' }, 'tk-2025')).toBe('/campagnes/tk-2025/afbeelding/partij/a.png');
    expect(pathTo('signIn', 'nl', {}, 'tk-2025')).toBe('/inloggen');
    expect(pathTo('adminAccounts', 'en', {}, 'tk-2025')).toBe('/en/admin/accounts');
    expect(pathTo('party', 'nl', { slug: 'a' }, null)).toBe('/partijen/a');
  });

  it('reads a campaign address back as the page without it, naming the campaign', () => {
    expect(splitCampaignPath('/campagnes/tk-2025')).toEqual({ campaign: 'tk-2025', rest: '/' });
    expect(splitCampaignPath('/campagnes/tk-2025/')).toEqual({ campaign: 'tk-2025', rest: '/' });
    expect(splitCampaignPath('/en/campaigns/tk-2025')).toEqual({ campaign: 'tk-2025', rest: '/en' });
    expect(splitCampaignPath('/en/campaigns/tk-2025/parties/a')).toEqual({ campaign: 'tk-2025', rest: '/en/parties/a' });
    expect(splitCampaignPath('/campagnes/')).toBeNull();
    expect(splitCampaignPath('/partijen/a')).toBeNull();
    expect(matchPath('/en/campaigns/tk-2025/parties/a')).toEqual({ name: 'party', locale: 'en', params: { slug: 'a' }, campaign: 'tk-2025' });
    expect(matchPath('/campagnes/tk-2025/beheer/partijen')).toMatchObject({ name: 'adminParties', campaign: 'tk-2025' });
    // Pages that are not a campaign's do not live under one.
    expect(matchPath('/campagnes/tk-2025/inloggen')).toBeNull();
    expect(matchPath('/campagnes/tk-2025/beheer/accounts')).toBeNull();
  });

  it("serves only a campaign's own files under /api/v1/campaigns/<slug>/", () => {
    expect(campaignApiPath('tk-2025', 'scoreboard.json')).toBe('/api/v1/campaigns/tk-2025/scoreboard.json');
    expect(splitCampaignApiPath('/api/v1/campaigns/tk-2025/scoreboard.json')).toEqual({ campaign: 'tk-2025', rest: '/api/v1/scoreboard.json' });
    expect(splitCampaignApiPath('/api/v1/campaigns/tk-2025/pledges.csv')).toEqual({ campaign: 'tk-2025', rest: '/api/v1/pledges.csv' });
    for (const path of [
      '/api/v1/campaigns/tk-2025/openapi.json',
      '/api/v1/campaigns/tk-2025/campaigns.json',
      '/api/v1/campaigns/tk-2025/a/scoreboard.json',
      '/api/v1/campaigns.json',
    ]) {
      expect(splitCampaignApiPath(path), path).toBeNull();
    }
  });
});
