import { availableParallelism } from 'node:os';
import { getViteConfig } from 'astro/config';
import { configDefaults, defineConfig } from 'vitest/config';

const HTTP = { globalSetup: ['tests/http/build-once.ts'], testTimeout: 60_000, hookTimeout: 120_000 };
// HTTP tests that import a module using Astro's virtual modules (astro:actions, astro:content):
// they run with Astro's own Vite configuration, which resolves those.
const NEEDS_ASTRO_MODULES = ['tests/http/authorization.test.ts'];

// Three levels: domain rules (unit), database behaviour on every engine (integration), and the
// built server over HTTP (http, and browser for Chromium). Integration and HTTP tests run on
// PGlite always and on real Postgres too when DATABASE_URL is set (as in CI).
export default defineConfig({
  test: {
    // Two test files at a time even on a 2-core machine (Vitest's default is one worker fewer
    // than the cores, so one file at a time there): most files spend much of their time waiting
    // on Chromium, a server child process, Postgres or a deliberate delay, which left a core
    // idle. Every test has its own database, site and port, so files can run side by side.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: 'http', include: ['tests/http/**/*.test.ts'], exclude: [...configDefaults.exclude, ...NEEDS_ASTRO_MODULES], ...HTTP } },
      getViteConfig({ test: { name: 'http-astro', include: NEEDS_ASTRO_MODULES, ...HTTP } }),
      {
        test: {
          name: 'browser',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/http/build-once.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
