/**
 * The election-night part of `npm run bench`: the cached scoreboard page under load while
 * representatives save pledges. Three settings side by side in one run, on one server and one
 * board (Postgres when DATABASE_URL is set, as on election night; PGlite otherwise): no
 * writes, one write per second and five writes per second. Each write is a real pledge save
 * through HTTP with a representative's session (a new stance and statement each time), so
 * each moves the board version and makes every cached page out of date.
 *
 * The settings take turns over three rounds (so that a slow moment of this shared machine does
 * not land on one only) and the figures are the medians of the rounds. Besides autocannon's 64 connections, a
 * probe asks for the page every 10 ms and notes how it was answered (hit, stale, miss): it
 * shows whether readers waited for renders or were given the previous version meanwhile.
 * BENCH_NIGHT_RATES=5 (say) measures only those settings besides no writes.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import autocannon from 'autocannon';
import { STANCES } from '../src/domain/stances.ts';
import { startServer } from '../tests/helpers/server.ts';

export interface ElectionNightOptions {
  /** A 15-party board with a representative of bankpartij-1 (session token), and its settings. */
  board: () => Promise<{ env: Record<string, string>; token: string | null; cleanup: () => Promise<void> }>;
  engine: 'postgres' | 'pglite';
  goal: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
  report: (what: string, figure: string, target: string, ok: boolean | null) => void;
}

const RATES = [0, ...(process.env.BENCH_NIGHT_RATES?.split(',').map(Number) ?? [1, 5])];
const TARGET_RATIO: Record<number, number> = { 1: 0.9, 5: 0.8 };
const TARGET_P99_MS = 25;
/** Rounds of the three settings (BENCH_NIGHT_ROUNDS, at least 1). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_NIGHT_ROUNDS ?? 3));

interface Phase {
  rps: number;
  answers: number;
  /** The server's CPU time (all its threads) during the phase, in ms. */
  cpuMs: number;
  p99: number;
  non2xx: number;
  writes: number;
  failedWrites: number;
  probes: Record<string, number>;
  slowestProbeMs: number;
}

/** CPU time a process has used (user and system, all threads), in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Asks for the page every 10 ms, one at a time, and counts how each answer was given. */
function startProbe(url: string, headers: Record<string, string>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const probes: Record<string, number> = {};
  let slowest = 0;
  let running = true;
  const once = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      http
        .get(url, { agent, headers }, (res) => {
          res.resume();
          res.on('end', () => {
            const state = res.statusCode === 200 ? String(res.headers['x-pledgeboard-cache'] ?? 'none') : `status ${res.statusCode}`;
            probes[state] = (probes[state] ?? 0) + 1;
            slowest = Math.max(slowest, performance.now() - started);
            resolve();
          });
        })
        .on('error', () => {
          probes.error = (probes.error ?? 0) + 1;
          resolve();
        });
    });
  const done = (async () => {
    while (running) {
      await once();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      agent.destroy();
      return { probes, slowest };
    },
  };
}

export async function electionNight({ board: makeBoard, engine, goal, connections, durationSeconds, headers, report }: ElectionNightOptions): Promise<void> {
  const board = await makeBoard();
  // BENCH_PROFILE=<folder>: the server writes a V8 CPU profile there when it stops.
  const profile: Record<string, string> = process.env.BENCH_PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE}` } : {};
  const server = await startServer({ ...board.env, ...profile });
  const url = `${server.url}/`;
  // The seeded pledge of bankpartij-1 on the goal is at version 1; each save moves it on.
  let pledgeVersion = 1;
  const save = async (): Promise<boolean> => {
    const next = pledgeVersion + 1;
    const body = new URLSearchParams({
      party: 'bankpartij-1',
      [`${goal}.baseVersion`]: String(pledgeVersion),
      [`${goal}.stance`]: STANCES[next % 3]!,
      [`${goal}.statement`]: `Verkiezingsavond, versie ${next}`,
      [`${goal}.evidenceUrl`]: '',
      [`${goal}.evidencePage`]: '',
    });
    const response = await fetch(`${server.url}/mijn-partij?_action=savePledges`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, cookie: `pb_session=${board.token}` },
      body,
      redirect: 'manual',
    });
    await response.arrayBuffer();
    if (response.status !== 303) return false;
    pledgeVersion = next;
    return true;
  };

  async function phase(rate: number, seconds: number): Promise<Phase> {
    let writes = 0;
    let failedWrites = 0;
    let writing: Promise<void> = Promise.resolve();
    // One save at a time, started on the clock: a save still running when the next is due
    // delays that one (counted: the figure says how many writes were really made).
    const timer =
      rate > 0
        ? setInterval(() => {
            writing = writing.then(async () => {
              if (await save().catch(() => false)) writes++;
              else failedWrites++;
            });
          }, 1000 / rate)
        : undefined;
    const probe = startProbe(url, headers);
    const cpuBefore = cpuMs(server.child.pid!);
    try {
      const result = await autocannon({ url, connections, duration: seconds, headers });
      const cpu = cpuMs(server.child.pid!) - cpuBefore;
      return {
        rps: result.requests.average,
        answers: result.requests.total,
        cpuMs: cpu,
        p99: result.latency.p99,
        non2xx: result.non2xx + result.errors + result.timeouts,
        writes,
        failedWrites,
        ...(await probe.stop().then(({ probes, slowest }) => ({ probes, slowestProbeMs: slowest }))),
      };
    } finally {
      clearInterval(timer);
      await writing;
    }
  }

  try {
    if (!(await save())) throw new Error('election night: the representative could not save a pledge');
    await fetch(url);
    await phase(0, 2); // warm up
    await phase(5, 2);
    const results = new Map<number, Phase[]>(RATES.map((rate) => [rate, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts with another setting, so that none always follows the same one.
      const order = [...RATES.slice(round % RATES.length), ...RATES.slice(0, round % RATES.length)];
      for (const rate of order) results.get(rate)!.push(await phase(rate, durationSeconds));
    }
    // The median of the rounds: a moment when something else on the machine ran lands on one.
    const median = (phases: Phase[], figure: (p: Phase) => number) => {
      const sorted = phases.map(figure).sort((a, b) => a - b);
      const middle = sorted.length >> 1;
      return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    };
    const baseline = median(results.get(0)!, (p) => p.rps);
    const cpuPerAnswer = median(results.get(0)!, (p) => p.cpuMs / p.answers);
    for (const rate of RATES) {
      const phases = results.get(rate)!;
      const rps = median(phases, (p) => p.rps);
      const p99 = median(phases, (p) => p.p99);
      const writes = phases.reduce((sum, p) => sum + p.writes, 0);
      const failed = phases.reduce((sum, p) => sum + p.failedWrites + p.non2xx, 0);
      const probes: Record<string, number> = {};
      for (const p of phases) for (const [state, n] of Object.entries(p.probes)) probes[state] = (probes[state] ?? 0) + n;
      const probeText = Object.entries(probes)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([state, n]) => `${n} ${state}`)
        .join(', ');
      const slowest = Math.max(...phases.map((p) => p.slowestProbeMs));
      const setting = rate === 0 ? 'no writes' : `${rate} write${rate > 1 ? 's' : ''}/s`;
      const ratio = rps / baseline;
      const ratioTarget = TARGET_RATIO[rate];
      report(
        `election night (${engine}), cached scoreboard page, ${setting}: requests/s`,
        `${rps.toFixed(0)}${rate === 0 ? '' : ` = ${(ratio * 100).toFixed(0)}% of no writes`} (${writes} saves in ${phases.length} × ${durationSeconds} s${failed ? `; ${failed} failed saves or answers` : ''})`,
        ratioTarget ? `≥ ${ratioTarget * 100}% of no writes` : '',
        ratioTarget ? ratio >= ratioTarget && failed === 0 : null,
      );
      if (rate === 0) {
        report(`election night (${engine}), no writes: server CPU per answer`, `${(cpuPerAnswer * 1000).toFixed(0)} µs`, '', null);
      } else {
        // What the server spends on each write: its CPU time (all threads) in the phase less
        // what its answers cost with no writes, per save. That is the save itself, the new
        // render of the page and its compression. With a core of its own, the server would
        // then keep 1 − rate × that of each second for answers. Steadier than requests/s on a
        // shared machine, where other work takes turns on the cores and the server's share
        // of them is what requests/s measures.
        const perWrite = median(phases, (p) => (p.cpuMs - p.answers * cpuPerAnswer) / Math.max(1, p.writes));
        const projected = 1 - (rate * perWrite) / 1000;
        report(
          `election night (${engine}), ${setting}: server CPU per save (save, new render, compression)`,
          `${perWrite.toFixed(1)} ms: with a core of its own, ${(projected * 100).toFixed(0)}% of the no-write throughput`,
          ratioTarget ? `≥ ${ratioTarget * 100}% of no writes` : '',
          ratioTarget ? projected >= ratioTarget : null,
        );
      }
      report(
        `election night (${engine}), ${setting}: p99 latency`,
        `${p99.toFixed(0)} ms (probe every 10 ms: ${probeText}; slowest ${slowest.toFixed(0)} ms)`,
        `≤ ${TARGET_P99_MS} ms`,
        p99 <= TARGET_P99_MS,
      );
    }
  } finally {
    await server.stop();
    await board.cleanup();
  }
}
