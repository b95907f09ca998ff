/**
 * Without Chromium, `npm test` skips the browser tests and says why; with CI=true a missing
 * browser fails the run. Shown by running a small browser test in a child Vitest with
 * CHROMIUM_PATH pointing nowhere, reading its JSON report.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/server/build.ts';

const VITEST = path.join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const CONFIG = path.join(PROJECT_ROOT, 'tests', 'fixtures', 'browser-probe', 'vitest.config.ts');

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

async function runProbe(env: Record<string, string>): Promise<{ report: Report; output: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-probe-'));
  try {
    const reportFile = path.join(dir, 'report.json');
    const args = [VITEST, 'run', '--config', CONFIG, '--reporter=json', '--reporter=default', `--outputFile.json=${reportFile}`];
    const result = await promisify(execFile)(process.execPath, args, {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CHROMIUM_PATH: '/nonexistent/chromium', ...env },
    }).catch((error: { stdout: string; stderr: string }) => error);
    return { report: JSON.parse(await readFile(reportFile, 'utf8')) as Report, output: result.stdout + result.stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('browser tests on a machine without Chromium', () => {
  it('are skipped, and the report says why', async () => {
    const { report, output } = await runProbe({});
    const [test] = report.testResults[0]!.assertionResults;
    expect(report.numPendingTests).toBe(1);
    expect(report.numFailedTests).toBe(0);
    expect(test!.status).toBe('skipped');
    expect(test!.fullName).toContain('skipped: Chromium not found at /nonexistent/chromium');
    expect(output).toContain('Skipping browser tests "a browser test": Chromium not found at /nonexistent/chromium');
  });

  it('fail the run when CI=true', async () => {
    const { report } = await runProbe({ CI: 'true' });
    const [test] = report.testResults[0]!.assertionResults;
    expect(report.numFailedTests).toBe(1);
    expect(test!.fullName).toContain('has a browser to run in');
    expect(test!.failureMessages.join('\n')).toContain('CI=true: browser tests must run');
  });
});
