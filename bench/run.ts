/**
 * `npm run bench`: election-night figures, measured in one run on this machine.
 *
 *  1. Cached scoreboard page, its 304 revalidation and scoreboard.json: requests per second
 *     and p99 latency at 64 connections, against a bare node:http server that returns the
 *     same bytes from memory (started here, measured with the same autocannon settings).
 *  2. A cache miss (first render after a write): median time for boards of 10, 15, 100 and
 *     1,000 parties.
 *  3. A pledge save through HTTP with a session: p95, on PGlite and (with DATABASE_URL) Postgres.
 *     Election night (bench/election-night.ts): the cached page with 0, 1 and 5 saves a second.
 *  4. Memory: resident set of one instance after 100,000 requests, and on up to 800,000.
 *
 * Prints every figure with its target and writes BENCHMARKS.md. Not part of `npm test`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import zlib from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createSession } from '../src/credentials/sessions.ts';
import { openDatabase, type DatabaseTarget } from '../src/db/client.ts';
import { migrateDatabase } from '../src/db/migrate.ts';
import { importInitialParties } from '../src/domain/parties.ts';
import { FIRST_CAMPAIGN_ID } from '../src/domain/content-import.ts';
import { STANCES } from '../src/domain/stances.ts';
import { readGoals } from '../src/content-files.ts';
import { ensureBuild, PROJECT_ROOT } from '../src/server/build.ts';
import { createAccount } from '../tests/helpers/accounts.ts';
import { createPostgresDatabase } from '../tests/helpers/engines.ts';
import { freePort } from '../tests/helpers/nginx.ts';
import { startServer, type RunningServer } from '../tests/helpers/server.ts';
import { seedFullBoard, testRep } from '../tests/fixtures/board.ts';
import { benchTargets, importElection, municipalElection, nationalElection, signEveryThird } from './candidates.ts';
import { electionNight } from './election-night.ts';
import { connectInspector } from './inspector.ts';
import { lighthouseTable, runLighthouse, type LighthouseResult } from './lighthouse.ts';

const CONNECTIONS = 64;
const BROWSER = { 'accept-encoding': 'gzip, deflate, br' };
/**
 * BENCH_ONLY=cached,miss,candidates,save,night,memory,lighthouse (or `npm run bench -- miss lighthouse`) runs
 * only those parts; BENCHMARKS.md is written only by a run of every part.
 */
const only = process.env.BENCH_ONLY?.split(',') ?? (process.argv.length > 2 ? process.argv.slice(2) : undefined);
const runs = (part: string) => !only || only.includes(part);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
/** BENCH_MISS_SIZES=15,1000 measures cache misses for those board sizes only. */
const MISS_SIZES = process.env.BENCH_MISS_SIZES?.split(',').map(Number) ?? [10, 15, 100, 1000];
/**
 * BENCH_PROFILE=<dir>: the miss part's servers run with --cpu-prof and write a V8 CPU profile
 * there when they stop (open it in Chrome's DevTools, Performance tab, or speedscope).
 */
/** Median render targets of a cache miss, by board size (issue 12). */
const MISS_TARGETS: Record<number, number> = { 15: 8, 1000: 100 };
const PROFILE_DIR = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
/** How many runs of 50,000 requests the memory part makes (at least 3). */
const MEMORY_RUNS = Math.max(3, Number(process.env.BENCH_MEMORY_RUNS ?? 16));

interface Row {
  what: string;
  figure: string;
  target: string;
  ok: boolean | null;
}
const rows: Row[] = [];
function report(what: string, figure: string, target: string, ok: boolean | null): void {
  rows.push({ what, figure, target, ok });
  console.log(`${ok === null ? '  ' : ok ? '✓ ' : '✗ '}${what}: ${figure}${target ? `  (target: ${target})` : ''}`);
}

const goals = await readGoals('nl');

/** A board of fictional parties, every party with a pledge on every goal. */
async function prepareBoard(target: DatabaseTarget, count: number, withRep = false): Promise<string | null> {
  const database = await openDatabase(target);
  try {
    await migrateDatabase(database, target);
    await importInitialParties(database.db, FIRST_CAMPAIGN_ID, []);
    const rows = Array.from({ length: count }, (_, i) => ({
      slug: `bankpartij-${i + 1}`,
      name: `Benchmarkpartij ${i + 1}`,
      abbreviation: `BP${i + 1}`,
      seats: (count - i) % 40,
      website: `https://example.org/bp${i + 1}`,
    }));
    await seedFullBoard(database.db, goals, rows, {
      statement: (i, j) => `Toelichting van partij ${i + 1} op doel ${j + 1}. `.repeat(8),
      evidencePage: (j) => j + 1,
      // The parties' own answers, as on election night (answers.ts): the summary needs no history then.
      actor: (partyId) => testRep(partyId, 'Benchmark'),
    });
    if (!withRep) return null;
    const rep = await createAccount(database.db, { email: 'rep@bankpartij-1.example', party: 'bankpartij-1' });
    return (await createSession(database.db, rep.user.id)).token;
  } finally {
    await database.close();
  }
}

async function pglite(count: number, withRep = false): Promise<{ env: Record<string, string>; token: string | null; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-bench-'));
  const token = await prepareBoard({ engine: 'pglite', dataDir: dir }, count, withRep);
  return { env: { DATA_DIR: dir }, token, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function postgresBoard(count: number, withRep = false) {
  const created = await createPostgresDatabase();
  const token = await prepareBoard({ engine: 'postgres', url: created.url }, count, withRep);
  return { env: { DATABASE_URL: created.url }, token, cleanup: created.drop };
}

async function load(url: string, options: Partial<autocannon.Options> = {}) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, ...options });
  if (result.non2xx && !options.headers?.['if-none-match']) throw new Error(`${url}: ${result.non2xx} answers were not 2xx`);
  return result;
}

/** The response exactly as a browser gets it (brotli, not decoded), with its headers. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** A body as the client reads it: decompressed as its Content-Encoding says. */
function decodedBody({ headers, body }: { headers: http.IncomingHttpHeaders; body: Buffer }): Buffer {
  const encoding = headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  if (encoding === undefined) return body;
  throw new Error(`unexpected Content-Encoding: ${encoding}`);
}

/** Every header of a response as sent, less those node:http writes itself (date, length, connection). */
function sentHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string' && !['date', 'content-length', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)) kept[name] = value;
  }
  return kept;
}

/** The bare server, answering with exactly the bytes Pledgeboard sent: headers and body, and its 304. */
async function startBare(
  response: { headers: http.IncomingHttpHeaders; body: Buffer },
  notModified: { headers: http.IncomingHttpHeaders },
): Promise<{ url: string; child: ChildProcess; file: string }> {
  const file = path.join(os.tmpdir(), `pb-bare-${process.pid}-${Date.now()}.json`);
  await writeFile(
    file,
    JSON.stringify({ headers: sentHeaders(response.headers), notModifiedHeaders: sentHeaders(notModified.headers), body: response.body.toString('base64') }),
  );
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bench', 'bare-server.ts'), file, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return { url: `http://127.0.0.1:${port}`, child, file };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** CPU time (user and system, every thread) a process has used so far, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

// ---------------------------------------------------------------------------------------

await ensureBuild();
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
console.log(`Pledgeboard benchmarks — ${machine}\n${CONNECTIONS} connections, ${DURATION} s per load run\n`);

// 1. Cached responses against a bare server ------------------------------------------------
if (runs('cached')) {
  const board = await pglite(15);
  const server = await startServer(board.env);
  try {
    for (const [what, pathName, conditional] of [
      ['scoreboard page, cached', '/', false],
      ['304 revalidation of the scoreboard page', '/', true],
      ['scoreboard.json, cached', '/api/v1/scoreboard.json', false],
    ] as const) {
      const url = server.url + pathName;
      await fetch(url); // render once: what follows is served from the cache
      // Like a browser, ask for brotli; the bare server gets exactly those bytes.
      const sample = await rawGet(url, BROWSER);
      const etag = String(sample.headers.etag);
      const bare = await startBare(sample, await rawGet(url, { ...BROWSER, 'if-none-match': etag }));
      const headers = conditional ? { ...BROWSER, 'if-none-match': etag } : BROWSER;
      try {
        await load(bare.url, { duration: 2, headers }); // warm both up the same way
        await load(url, { duration: 2, headers });
        // Two rounds, bare and ours taking turns, so that a slow moment of this shared machine
        // does not land on one side only: the figures are the means of the two rounds.
        const bareRuns: autocannon.Result[] = [];
        const ourRuns: autocannon.Result[] = [];
        for (let round = 0; round < 2; round++) {
          bareRuns.push(await load(bare.url, { headers }));
          const ours = await load(url, { headers });
          if (conditional && (ours['2xx'] > 0 || ours.non2xx === 0)) throw new Error('expected only 304 answers');
          ourRuns.push(ours);
        }
        const mean = (runs: autocannon.Result[], figure: (r: autocannon.Result) => number) => runs.reduce((sum, r) => sum + figure(r), 0) / runs.length;
        const [ourRps, bareRps] = [mean(ourRuns, (r) => r.requests.average), mean(bareRuns, (r) => r.requests.average)];
        const [ourP99, bareP99] = [mean(ourRuns, (r) => r.latency.p99), mean(bareRuns, (r) => r.latency.p99)];
        const ratio = ourRps / bareRps;
        report(`${what}: requests/s`, `${ourRps.toFixed(0)} vs bare ${bareRps.toFixed(0)} = ${(ratio * 100).toFixed(0)}%`, '≥ 70% of bare', ratio >= 0.7);
        report(`${what}: p99 latency`, `${ourP99.toFixed(0)} ms (bare ${bareP99.toFixed(0)} ms)`, '≤ 25 ms', ourP99 <= 25);
      } finally {
        await stop(bare.child);
        await rm(bare.file, { force: true });
      }
    }
  } finally {
    await server.stop();
    await board.cleanup();
  }
}

// 2. Cache misses by board size -------------------------------------------------------------
if (runs('miss')) {
  const medians: [number, number][] = [];
  for (const count of MISS_SIZES) {
    const board = await pglite(count);
    const profile: Record<string, string> = PROFILE_DIR
      ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILE_DIR} --cpu-prof-name=miss-${count}-parties.cpuprofile` }
      : {};
    const server = await startServer({ ...board.env, ...profile });
    try {
      // Each address is new to the cache: every request is a full render from the database.
      // The front keeps only parameters some page reads in its cache key (cache-query.ts), so
      // the varying one must be such a parameter: `lang` (the API's), which the scoreboard
      // ignores. Every answer must say it was a miss, or the figures would be of hits.
      // Like a browser: ask for brotli and decode the whole body at once. (Node's fetch decodes in
      // 16 KB steps through web streams: on the 1,000-party page that alone was about 55 ms of
      // the 100 ms measured with it, in the bench's own process; see BENCHMARKS.md.)
      const miss = async (i: number) => {
        const response = await rawGet(`${server.url}/?lang=bench-${i}`, BROWSER);
        const cache = response.headers['x-pledgeboard-cache'];
        if (cache !== 'miss') throw new Error(`cache-miss bench: expected a miss, the front answered "${String(cache)}"`);
        return decodedBody(response).toString('utf8');
      };
      for (let i = 0; i < 20; i++) await miss(-i - 1);
      const samples: number[] = [];
      // A 1,000-party miss takes 40 to 140 ms (a collection of the young or old generation falls in
      // about half of them): 100 rounds give a median that two runs agree on.
      const rounds = count >= 1000 ? 100 : 200;
      const cpuBefore = cpuMs(server.child.pid!);
      for (let i = 0; i < rounds; i++) samples.push(await timed(() => miss(i)));
      // The server's own CPU time per miss: unlike the time a reader waits, it hardly changes
      // when other work on the machine competes for its cores.
      const cpuPerMiss = (cpuMs(server.child.pid!) - cpuBefore) / rounds;
      const median = percentile(samples, 50);
      medians.push([count, median]);
      report(
        `cache miss, ${count} parties: median render`,
        `${median.toFixed(1)} ms (p95 ${percentile(samples, 95).toFixed(1)} ms; server CPU ${cpuPerMiss.toFixed(1)} ms per miss)`,
        MISS_TARGETS[count] ? `≤ ${MISS_TARGETS[count]} ms` : '',
        MISS_TARGETS[count] ? median <= MISS_TARGETS[count] : null,
      );
    } finally {
      await server.stop();
      await board.cleanup();
    }
  }
  const perParty = medians.map(([count, ms]) => `${count}: ${((ms * 1000) / count).toFixed(0)} µs`).join(', ');
  const t100 = medians.find(([c]) => c === 100)?.[1];
  const t1000 = medians.find(([c]) => c === 1000)?.[1];
  const growth = t100 && t1000 ? t1000 / t100 : NaN;
  if (t100 && t1000)
    report(
      'cache miss growth from 100 to 1,000 parties',
      `× ${growth.toFixed(1)} for × 10 parties (per party ${perParty})`,
      'about linear (≤ × 12)',
      growth <= 12,
    );
}

// 2b. Candidate lists: import and pages (issue 14) ------------------------------------------
if (runs('candidates')) {
  for (const engine of ['pglite', 'postgres'] as const) {
    if (engine === 'postgres' && !process.env.DATABASE_URL) continue;
    for (const election of [nationalElection(), municipalElection()]) {
      const created = engine === 'postgres' ? await createPostgresDatabase() : null;
      const dir = created ? null : await mkdtemp(path.join(os.tmpdir(), 'pb-bench-candidates-'));
      const target: DatabaseTarget = created ? { engine: 'postgres', url: created.url } : { engine: 'pglite', dataDir: dir };
      const database = await openDatabase(target);
      let targets: { candidateId: number; place: string };
      try {
        await migrateDatabase(database, target);
        await importInitialParties(database.db, FIRST_CAMPAIGN_ID, []);
        const { parseMs, importMs, people } = await importElection(database.db, election);
        const seconds = (parseMs + importMs) / 1000;
        report(
          `candidate import on ${engine}, ${election.name}`,
          `${seconds.toFixed(1)} s for ${people.toLocaleString('en')} people (parse and merge ${(parseMs / 1000).toFixed(1)} s, write ${(importMs / 1000).toFixed(1)} s)`,
          '≤ 10 s',
          seconds <= 10,
        );
        await signEveryThird(
          database.db,
          goals.map((g) => g.slug),
        );
        targets = await benchTargets(database.db);
      } finally {
        await database.close();
      }
      // The pages, each address new to the cache (see the cache-miss part): the first party's
      // list, the champions of one place, one candidate's page, and (national only) all champions.
      const server = await startServer(created ? { DATABASE_URL: created.url } : { DATA_DIR: dir! });
      try {
        const pages: [string, string][] = [
          ['party page with its list', '/partijen/lijstpartij-1'],
          ['champions of one place', `/kandidaten?woonplaats=${encodeURIComponent(targets.place)}`],
          ['a candidate', `/kandidaten/${targets.candidateId}`],
          ...(election.people <= 5000 ? ([['all champions', '/kandidaten']] as [string, string][]) : []),
        ];
        for (const [what, address] of pages) {
          const miss = async (i: number) => {
            const response = await rawGet(`${server.url}${address}${address.includes('?') ? '&' : '?'}lang=bench-${i}`, BROWSER);
            if (response.headers['x-pledgeboard-cache'] !== 'miss') throw new Error(`candidate bench: ${address} was not a miss`);
            if (!String(response.headers['content-type']).startsWith('text/html'))
              throw new Error(`candidate bench: ${address} answered ${response.headers['content-type']}`);
            return decodedBody(response).length;
          };
          for (let i = 0; i < 10; i++) await miss(-i - 1);
          const samples: number[] = [];
          for (let i = 0; i < 60; i++) samples.push(await timed(() => miss(i)));
          const median = percentile(samples, 50);
          const bytes = await miss(1000);
          report(
            `cold cache on ${engine}, ${election.name}: ${what}`,
            `${median.toFixed(1)} ms median (p95 ${percentile(samples, 95).toFixed(1)} ms; ${(bytes / 1024).toFixed(0)} KB)`,
            '≤ 50 ms',
            median <= 50,
          );
        }
      } finally {
        await server.stop();
        await created?.drop();
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    }
  }
}

// 3. Pledge saves through HTTP ----------------------------------------------------------------
for (const engine of runs('save') ? (['pglite', 'postgres'] as const) : []) {
  if (engine === 'postgres' && !process.env.DATABASE_URL) {
    report('pledge save on Postgres', 'not measured: DATABASE_URL is not set', '', null);
    continue;
  }
  const board = engine === 'pglite' ? await pglite(15, true) : await postgresBoard(15, true);
  const server: RunningServer = await startServer(board.env);
  try {
    const goal = goals[0]!.slug;
    const samples: number[] = [];
    for (let version = 1; version <= 220; version++) {
      const body = new URLSearchParams({
        party: 'bankpartij-1',
        [`${goal}.baseVersion`]: String(version),
        [`${goal}.stance`]: STANCES[version % 3]!,
        [`${goal}.statement`]: `Versie ${version}`,
        [`${goal}.evidenceUrl`]: '',
        [`${goal}.evidencePage`]: '',
      });
      const ms = await timed(async () => {
        const response = await fetch(`${server.url}/mijn-partij?_action=savePledges`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, cookie: `pb_session=${board.token}` },
          body,
          redirect: 'manual',
        });
        if (response.status !== 303) throw new Error(`save ${version}: ${response.status}`);
      });
      if (version > 20) samples.push(ms);
    }
    const p95 = percentile(samples, 95);
    report(
      `pledge save through HTTP, ${engine}: p95`,
      `${p95.toFixed(1)} ms (median ${percentile(samples, 50).toFixed(1)} ms, ${samples.length} saves)`,
      '≤ 50 ms',
      p95 <= 50,
    );
  } finally {
    await server.stop();
    await board.cleanup();
  }
}

// Election night: the cached page while pledges are saved (bench/election-night.ts) ----------
if (runs('night')) {
  const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  await electionNight({
    board: () => (engine === 'postgres' ? postgresBoard(15, true) : pglite(15, true)),
    engine,
    goal: goals[0]!.slug,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    headers: BROWSER,
    report,
  });
}

// 4. Memory after 100,000 requests, and whether it grows up to 800,000 -------------------------
// The election-night set-up is Postgres (several instances, NOTIFY); PGlite runs a whole
// Postgres inside the process (its WebAssembly memory alone is some 400 MB, and V8 keeps
// compiling its hot code for a while), so its figures are shown for information.
for (const engine of runs('memory') ? (['postgres', 'pglite'] as const) : []) {
  if (engine === 'postgres' && !process.env.DATABASE_URL) {
    report('memory on Postgres', 'not measured: DATABASE_URL is not set', '', null);
    continue;
  }
  const board = engine === 'postgres' ? await postgresBoard(15) : await pglite(15);
  // As README's deploy section recommends: glibc's default of one malloc arena per thread lets
  // zlib's worker threads hold on to freed memory; two arenas keep the resident set down.
  const server = await startServer({ ...board.env, MALLOC_ARENA_MAX: '2', NODE_OPTIONS: '--inspect=127.0.0.1:0' });
  const inspector = await connectInspector(server.output());
  try {
    const pid = server.child.pid!;
    const paths = [
      '/',
      '/en',
      '/partijen/bankpartij-1',
      `/doelen/${goals[0]!.slug}`,
      '/api/v1/scoreboard.json',
      '/api/v1/pledges.csv',
      '/feed.xml',
      '/vergelijk?partijen=bankpartij-1,bankpartij-2',
    ];
    const requests = paths.map((p) => ({ method: 'GET' as const, path: p }));
    // Each figure is read 3 s after its run, once the server is idle: V8 collects garbage when
    // it has time, so a reading taken mid-burst measures where the collector happened to be.
    const settledRss = async () => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      return rssMb(pid);
    };
    // What stays once garbage is gone: what a leak would make grow.
    const inUse = async () => {
      const usage = await inspector.collectAndMeasure();
      return { rss: rssMb(pid), heap: usage.heapUsed / 1024 / 1024 };
    };
    const fiftyThousand = () => autocannon({ url: server.url, connections: 32, amount: 50_000, requests, headers: BROWSER });
    // Runs of 50,000 (16, or BENCH_MEMORY_RUNS). The resident set as it comes, after each run;
    // it climbs until V8's heap reaches its working size, at a pace that varies from run to
    // run (from 50,000 to 650,000 requests here). Whether memory grows is judged after a full
    // garbage collection, at 100,000 and at the end.
    const readings = [await settledRss()];
    let warm = { rss: 0, heap: 0 };
    for (let run = 1; run <= MEMORY_RUNS; run++) {
      await fiftyThousand();
      readings.push(await settledRss());
      if (run === 2) warm = await inUse();
    }
    const end = await inUse();
    const at = (thousands: number) => readings[thousands / 50]!;
    const last = MEMORY_RUNS * 50;
    const lastText = (last * 1000).toLocaleString('en');
    const target = engine === 'postgres';
    const highest = Math.max(...readings);
    report(
      `resident memory after 100,000 requests, ${engine}`,
      `${at(100).toFixed(0)} MB (start ${at(0).toFixed(0)} MB, after 50,000 ${at(50).toFixed(0)} MB; highest up to ${lastText}: ${highest.toFixed(0)} MB)`,
      target ? '≤ 250 MB' : '',
      target ? at(100) <= 250 && highest <= 250 : null,
    );
    report(
      `resident memory every 50,000 requests, ${engine}`,
      `${readings
        .slice(1)
        .map((mb) => mb.toFixed(0))
        .join(', ')} MB`,
      '',
      null,
    );
    const growth = (end.rss - warm.rss) / warm.rss;
    report(
      `memory in use from 100,000 to ${lastText} requests (after a full garbage collection), ${engine}`,
      `resident ${warm.rss.toFixed(0)} → ${end.rss.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%), JavaScript heap ${warm.heap.toFixed(1)} → ${end.heap.toFixed(1)} MB`,
      target ? 'not growing (< 5%)' : '',
      target ? growth < 0.05 : null,
    );
  } finally {
    inspector.close();
    await server.stop();
    await board.cleanup();
  }
}

// 5. Lighthouse, mobile, on every public page type of a demo board -----------------------------
let lighthouseResults: LighthouseResult[] = [];
if (runs('lighthouse')) {
  lighthouseResults = await runLighthouse(undefined, (r) => {
    report(
      `Lighthouse mobile, ${r.page}: performance`,
      `${r.performance} (runs ${r.runs.join(', ')}; TBT ${r.tbt.toFixed(0)} ms, LCP ${(r.lcp / 1000).toFixed(2)} s, CLS ${r.cls.toFixed(3)})`,
      '≥ 98',
      r.performance >= 98,
    );
    report(
      `Lighthouse mobile, ${r.page}: accessibility`,
      `${r.accessibility}${r.accessibilityFindings.length ? ` (${r.accessibilityFindings.join('; ')})` : ''}`,
      '100',
      r.accessibility === 100,
    );
  });
}

// ---------------------------------------------------------------------------------------------
const table = [
  '| measurement | figure | target | |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.what} | ${r.figure} | ${r.target} | ${r.ok === null ? '' : r.ok ? '✓' : '✗'} |`),
].join('\n');
const markdown = `# Benchmarks

Measured by \`${process.env.DATABASE_URL ? `DATABASE_URL=${process.env.DATABASE_URL.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:…@')} ` : ''}npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}.

**Machine:** ${machine}. The load generator (autocannon, ${CONNECTIONS} connections, ${DURATION} s per
run after a 2 s warm-up) runs on the same machine as the server it loads, so both share its
${os.cpus().length} cores. The bare server (bench/bare-server.ts) returns the same bytes from memory (headers, body and
its 304) and is measured in the same run, with the same settings, in two rounds taking turns
with Pledgeboard; the figures are the means of the rounds.

${table}

How each is measured:
- *cached*: the page is rendered once, then every request is answered from the front's cache
  (PGlite, 15 fictional parties with a pledge on every goal).
- *304*: every request sends the page's ETag in If-None-Match.
- *cache miss*: each request has an address the cache has not seen (\`/?lang=bench-N\`, a parameter the front keeps in its key and the scoreboard ignores; each answer is checked to be a miss), so the page
  is rendered from the database every time; one request at a time, asking for brotli like a
  browser, the wait measured until the whole body is read and decoded. *Server CPU*: the server
  process's CPU time (all its threads, from /proc) over the run, per miss.
- *pledge save*: \`POST /mijn-partij?_action=savePledges\` (the one form, one goal changed) with a representative's session cookie,
  one at a time, each a new version; the first 20 are not counted.
- *election night*: the cached scoreboard page at ${CONNECTIONS} connections (Postgres when
  DATABASE_URL is set) with no writes, one and five pledge saves per second through HTTP (each a
  new board version), side by side: the three take turns over three rounds, figures are the medians.
  A probe asks every 10 ms and counts how it was answered: \`hit\`, \`stale\` (the previous
  version while the new one renders), \`miss\` (it waited for a render). *Server CPU per save*:
  the server's CPU time (all its threads, from /proc) in a phase, less what its answers cost
  with no writes, per save: the save, the new render and its compression. With a core of its
  own the server keeps 1 − saves/s × that for answers: the steadier figure on a shared machine,
  where requests/s also measure the server's share of the cores.
- *memory*: /proc VmRSS of the server process (started with \`MALLOC_ARENA_MAX=2\`, as the README
  recommends for production), before and after each of ${MEMORY_RUNS} runs of 50,000 requests over eight public
  addresses (32 connections), each read 3 s after its run. *In use*: the same after a full
  garbage collection (run through the V8 inspector the server was started with), after
  100,000 requests and at the end, with V8's own count of its heap in use; a leak would show
  there, while the resident set as it comes also holds garbage not yet collected. The target
  applies to the election-night set-up, Postgres; with embedded PGlite the process also holds
  a whole Postgres in WebAssembly memory, which is why its figure is larger (for information).
- Requests ask for \`accept-encoding: gzip, deflate, br\` like a browser; the bare server
  returns the same brotli bytes.
- *Lighthouse*: bench/lighthouse.ts, Lighthouse's default mobile settings (emulated phone,
  simulated slow 4G, 4× CPU slowdown) with Debian's Chromium, headless, on a demo board; each
  page ${process.env.LIGHTHOUSE_RUNS ?? 3} times, the median run shown (its blocking time is the main thread's observed
  work scaled up, so a busy machine shows more than a quiet one would).
${lighthouseResults.length ? `\n${lighthouseTable(lighthouseResults)}\n` : ''}`;
if (!only) {
  await writeFile(path.join(PROJECT_ROOT, 'BENCHMARKS.md'), markdown);
  console.log('\nWrote BENCHMARKS.md');
}
const failed = rows.filter((r) => r.ok === false);
if (failed.length > 0) console.log(`${failed.length} figure(s) missed their target.`);
process.exit(0);
