/**
 * Lighthouse (mobile: its default emulated phone, simulated slow 4G and 4× CPU slowdown) on
 * every public page type of a demo board, with Debian's Chromium: performance and
 * accessibility scores, total blocking time, largest contentful paint and layout shift.
 *
 * Part of `npm run bench` (`npm run bench -- lighthouse` for this part only), or on its own:
 * `node bench/lighthouse.ts [base URL]` (without one, a demo server is started here).
 * Headless and without a sandbox, so that it runs as root in a CI container too.
 *
 * Lighthouse's blocking time is the main thread's observed work, scaled by the CPU slowdown:
 * on a machine that is busy with other work the figure comes out higher than it is, and one run
 * can differ from the next by hundreds of milliseconds. So each page is measured
 * LIGHTHOUSE_RUNS times (3 unless set) and the median run is reported, as Lighthouse's own
 * documentation recommends; the performance score of every run is listed too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { pathTo, type RouteName } from '../src/i18n/routes.ts';
import { ensureBuild } from '../src/server/build.ts';
import { CHROMIUM_PATH } from '../tests/helpers/browser.ts';
import { freePort } from '../tests/helpers/nginx.ts';
import { startServer } from '../tests/helpers/server.ts';

export interface LighthouseResult {
  page: string;
  path: string;
  performance: number;
  accessibility: number;
  /** Total blocking time, largest contentful paint (ms) and cumulative layout shift. */
  tbt: number;
  lcp: number;
  cls: number;
  /** The performance score of every run; the figures above are of the median run. */
  runs: number[];
  /** Titles of the accessibility audits that failed. */
  accessibilityFindings: string[];
  /** Titles of performance audits worth a look (score below 0.9), with what they say. */
  performanceFindings: string[];
}

/** One address per public page type (on the demo board's fictional parties). */
const PAGE_TYPES: { page: string; path: string }[] = [
  { page: 'scoreboard (nl)', path: pathTo('scoreboard', 'nl') },
  { page: 'scoreboard (en)', path: pathTo('scoreboard', 'en') },
  { page: 'goal', path: pathTo('goal', 'nl', { slug: 'financiering' }) },
  { page: 'party', path: pathTo('party', 'nl', { slug: 'zeewind' }) },
  { page: 'compare', path: `${pathTo('compare', 'nl')}?partijen=zeewind,kompas` },
  { page: 'about', path: pathTo('about', 'nl') },
  { page: 'sign-in', path: pathTo('signIn', 'nl') },
  { page: 'embed scoreboard', path: pathTo('embedScoreboard', 'nl') },
  { page: 'embed builder', path: pathTo('embedBuilder' satisfies RouteName, 'nl') },
  { page: '404', path: '/bestaat-niet' },
];

async function launchChromium(): Promise<{ port: number; child: ChildProcess; profile: string }> {
  const port = await freePort();
  const profile = await mkdtemp(path.join(os.tmpdir(), 'pb-lighthouse-'));
  const child = spawn(
    CHROMIUM_PATH,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      `--user-data-dir=${profile}`,
      `--remote-debugging-port=${port}`,
      'about:blank',
    ],
    { stdio: 'ignore' },
  );
  for (let tries = 0; ; tries++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/json/version`);
      if (response.ok) break;
    } catch {
      if (tries > 100) throw new Error(`Chromium (${CHROMIUM_PATH}) did not open its debugging port`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, child, profile };
}

const RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3));

/** Runs Lighthouse on every page type of the site at baseUrl (a demo server when none). */
export async function runLighthouse(baseUrl?: string, onResult?: (result: LighthouseResult) => void): Promise<LighthouseResult[]> {
  const server = baseUrl ? null : await startServer({ DEMO: '1' });
  const base = baseUrl ?? server!.url;
  const chromium = await launchChromium();
  const results: LighthouseResult[] = [];
  try {
    for (const { page, path: pagePath } of PAGE_TYPES) {
      const url = new URL(pagePath, base).href;
      await fetch(url); // the front's cache has it, as on a busy evening
      const runs: LighthouseResult[] = [];
      for (let run = 0; run < RUNS; run++) runs.push(await measureWithRetry(chromium.port, page, pagePath, url));
      // The median run by performance score (of equal scores, the one with more blocking time).
      runs.sort((a, b) => a.performance - b.performance || b.tbt - a.tbt);
      const result = { ...runs[Math.floor((runs.length - 1) / 2)]!, runs: runs.map((r) => r.performance) };
      results.push(result);
      onResult?.(result);
    }
  } finally {
    chromium.child.kill('SIGTERM');
    await rm(chromium.profile, { recursive: true, force: true }).catch(() => {});
    await server?.stop();
  }
  return results;
}

/** Lighthouse now and then fails to record a trace (NO_NAVSTART): such a run is run again. */
async function measureWithRetry(port: number, page: string, pagePath: string, url: string): Promise<LighthouseResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await measure(port, page, pagePath, url);
    } catch (error) {
      if (attempt >= 3) throw error;
      console.warn(`${page}: ${(error as Error).message}; trying again`);
    }
  }
}

async function measure(port: number, page: string, pagePath: string, url: string): Promise<LighthouseResult> {
  // The 404 page answers 404 on purpose: Lighthouse measures it anyway.
  const runner = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
    ignoreStatusCode: page === '404',
  });
  const lhr = runner?.lhr;
  if (!lhr) throw new Error(`Lighthouse gave no result for ${url}`);
  if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.message}`);
  const numeric = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  const auditsOf = (category: string) => lhr.categories[category]?.auditRefs.map((ref) => lhr.audits[ref.id]!) ?? [];
  return {
    page,
    path: pagePath,
    performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
    tbt: numeric('total-blocking-time'),
    lcp: numeric('largest-contentful-paint'),
    cls: numeric('cumulative-layout-shift'),
    accessibilityFindings: auditsOf('accessibility')
      .filter((a) => a.score !== null && a.score < 1)
      .map((a) => a.title),
    performanceFindings: auditsOf('performance')
      .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative')
      .map((a) => `${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}`),
    runs: [],
  };
}

export function lighthouseTable(results: readonly LighthouseResult[]): string {
  return [
    '| page | address | performance (median; every run) | accessibility | TBT | LCP | CLS |',
    '|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.page} | \`${r.path}\` | ${r.performance} (${r.runs.join(', ')}) | ${r.accessibility} | ${r.tbt.toFixed(0)} ms | ${(r.lcp / 1000).toFixed(2)} s | ${r.cls.toFixed(3)} |`,
    ),
  ].join('\n');
}

if (import.meta.main) {
  if (!process.argv[2]) await ensureBuild();
  const results = await runLighthouse(process.argv[2], (r) => {
    console.log(
      `${r.page}: performance ${r.performance}, accessibility ${r.accessibility}, TBT ${r.tbt.toFixed(0)} ms, LCP ${r.lcp.toFixed(0)} ms, CLS ${r.cls.toFixed(3)}`,
    );
    for (const finding of r.accessibilityFindings) console.log(`  accessibility: ${finding}`);
    for (const finding of r.performanceFindings) console.log(`  performance: ${finding}`);
  });
  console.log(`\n${lighthouseTable(results)}`);
}
