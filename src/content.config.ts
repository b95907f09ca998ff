/**
 * content/ as Astro collections. The first campaign (campaign.yaml, goals/) and the party list
 * are imported into the database at the first start (src/server/boot.ts); they are collections
 * too so that `astro build` fails on a malformed file with a message that names the file and
 * the field (the schemas come from src/domain, read by the same reader the server uses).
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { goalSchema, textPageSchema } from './domain/campaign.ts';
import { CONTENT_DIR, readCampaign, readParties, readTerminology } from './content-files.ts';

const campaign = defineCollection({
  loader: async () => [{ id: 'campaign', ...(await readCampaign()) }],
});

/** Only the initial list: after the first start parties live in the database. */
const parties = defineCollection({
  loader: async () => (await readParties()).map((party) => ({ id: party.slug, ...party })),
});

/** content/goals/<locale>/<slug>.md: front matter per goalSchema, body = the summary. */
const goals = defineCollection({
  loader: glob({ pattern: '*/*.md', base: pathToFileURL(path.join(CONTENT_DIR, 'goals') + '/') }),
  schema: goalSchema,
});

/** content/pages/<locale>/<slug>.md: pages of text such as "about", in each language. */
const pages = defineCollection({
  loader: glob({ pattern: '*/*.md', base: pathToFileURL(path.join(CONTENT_DIR, 'pages') + '/') }),
  schema: textPageSchema,
});

/** content/terminology.yaml: the choice of words, for /woordkeuze and the statement warning. */
const terminology = defineCollection({
  loader: async () => [{ id: 'terminology', ...(await readTerminology()) }],
});

export const collections = { campaign, parties, goals, pages, terminology };
