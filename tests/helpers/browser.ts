/**
 * Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (never a
 * downloaded browser). Without Chromium the browser tests are skipped with the reason; with
 * CI=true a missing browser fails the run instead.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM_PATH);
const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;

/** `describe` for tests that need the browser: skipped with a reason, or failed under CI. */
export function describeInBrowser(name: string, body: () => void): void {
  if (available) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a browser to run in', () => {
        throw new Error(`${reason}. CI=true: browser tests must run.`);
      });
    });
  } else {
    console.warn(`Skipping browser tests "${name}": ${reason}.`);
    describe.skip(`${name} (skipped: ${reason})`, body);
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
