import { defineConfig } from 'vitest/config';

// The outage test stops and starts the machine's Postgres server, so it runs on its own,
// after the main suite (see "test" in package.json).
export default defineConfig({
  test: {
    include: ['tests/outage/**/*.test.ts'],
    globalSetup: ['tests/http/build-once.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
