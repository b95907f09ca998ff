/**
 * Reads the campaign's files in content/ and checks them against the domain schemas. Astro's
 * content collections use it at build time, the server at start (party import, demo), so a
 * malformed file is refused with the same message naming the file and the field.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { campaignSchema, goalSchema, GOAL_SLUG, type CampaignDefinition, type Goal, type Locale } from './domain/campaign.ts';
import { partyListSchema, type PartyEntry } from './domain/parties.ts';
import { terminologyListSchema, type TerminologyList } from './domain/terminology-list.ts';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** content/ in the project, or CONTENT_DIR (relative to the project) for another campaign. */
export const CONTENT_DIR = path.resolve(PROJECT_ROOT, process.env.CONTENT_DIR ?? 'content');

export class ContentError extends Error {
  constructor(file: string, problems: string[]) {
    super(`${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ContentError';
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : '(whole file)';
  return `${where}: ${issue.message}`;
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/** Parses YAML text and checks it, throwing a ContentError that names the file and each field. */
function parseContent<S extends z.ZodType>(file: string, text: string, schema: S): z.output<S> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ContentError(relative(file), [`not valid YAML: ${(error as Error).message}`]);
  }
  const result = schema.safeParse(data);
  if (!result.success) throw new ContentError(relative(file), result.error.issues.map(describe));
  return result.data;
}

export async function readCampaign(dir = CONTENT_DIR): Promise<CampaignDefinition> {
  const file = path.join(dir, 'campaign.yaml');
  return parseContent(file, await readFile(file, 'utf8'), campaignSchema);
}

export async function readParties(dir = CONTENT_DIR): Promise<PartyEntry[]> {
  const file = path.join(dir, 'parties.yaml');
  return parseContent(file, await readFile(file, 'utf8'), partyListSchema);
}

/** The reviewed list of terms to avoid or take care with (content/terminology.yaml). */
export async function readTerminology(dir = CONTENT_DIR): Promise<TerminologyList> {
  const file = path.join(dir, 'terminology.yaml');
  return parseContent(file, await readFile(file, 'utf8'), terminologyListSchema);
}

/** Splits a Markdown file into its YAML front matter and its body. */
function splitFrontMatter(text: string): { frontMatter: string; body: string } | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  return match ? { frontMatter: match[1]!, body: match[2]! } : null;
}

/** The goals of one language, in campaign order; a file's body is the goal's summary. */
export async function readGoals(locale: Locale, dir = CONTENT_DIR): Promise<Goal[]> {
  const folder = path.join(dir, 'goals', locale);
  const names = (await readdir(folder)).filter((n) => n.endsWith('.md')).sort();
  const goals: Goal[] = [];
  for (const name of names) {
    const file = path.join(folder, name);
    const slug = name.slice(0, -'.md'.length);
    if (!GOAL_SLUG.test(slug)) {
      throw new ContentError(relative(file), ['file name: use lower-case letters, digits and hyphens']);
    }
    const parts = splitFrontMatter(await readFile(file, 'utf8'));
    if (!parts) throw new ContentError(relative(file), ['front matter: the file must start with a --- block']);
    goals.push({ ...parseContent(file, parts.frontMatter, goalSchema), slug, locale, summary: parts.body.trim() });
  }
  return goals.sort((a, b) => a.number - b.number);
}
