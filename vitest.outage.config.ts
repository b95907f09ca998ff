import { defineConfig } from 'vitest/config';

// The outage test stops and starts a Postgres server (a throwaway cluster it makes for itself,
// never the machine's own). It is slow and timing-sensitive, so it runs on its own, after the
// main suite (see "test" in package.json).
export default defineConfig({
  test: {
    include: ['tests/outage/**/*.test.ts'],
    globalSetup: ['tests/http/build-once.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
