declare namespace App {
  interface Locals {
    app: import('./app-context.ts').AppContext;
    /** The signed-in person and their session; null for anonymous visitors. */
    auth: import('./auth/policy.ts').Auth | null;
    /** The client's address as the front saw it (X-Forwarded-For with TRUST_PROXY). */
    clientIp?: string;
    /** The reader's language, from the address (English under /en/). */
    locale: import('./domain/campaign.ts').Locale;
    /** The campaign this request is for: the one its address names, else the current one. */
    campaign: import('./domain/campaigns.ts').CampaignWithGoals;
    /** Which page this is, in which language, with its parameters; null for unknown paths. */
    route: import('./i18n/routes.ts').RouteMatch | null;
  }
}
