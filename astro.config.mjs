// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

// Server-rendered pages behind our own node:http front (src/server/): Astro builds a handler
// ("middleware" mode) and the front owns the port, static files, health checks and shutdown.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'middleware' }),
  // No Astro toolbar or telemetry prompts in a server product.
  devToolbar: { enabled: false },
  security: { checkOrigin: true },
  build: { inlineStylesheets: 'always' },
});
