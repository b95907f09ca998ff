// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

// Server-rendered pages behind our own node:http front (src/server/): Astro builds a handler
// ("middleware" mode) and the front owns the port, static files, health checks and shutdown.
export default defineConfig({
  output: 'server',
  // Pages are rendered whole before they are sent: an error becomes a clean 500 (not half a page),
  // and the front can cache and compress complete responses.
  adapter: node({ mode: 'middleware', experimentalDisableStreaming: true }),
  // No Astro toolbar or telemetry prompts in a server product.
  devToolbar: { enabled: false },
  // Actions' bodies: 1 MB each (src/site/request-body.ts), except the Kiesraad's candidate file
  // uploaded in Beheer (50 MB, src/actions/candidate-admin.ts); this is the ceiling for both.
  security: { checkOrigin: true, actionBodySizeLimit: 51 * 1024 * 1024 },
  build: { inlineStylesheets: 'always' },
  // Bundled scripts (e.g. the statement's choice-of-words warning) stay files under /_astro/:
  // the CSP allows no inline script, and Vite would inline a small one.
  vite: { build: { assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined) } },
  // Dutch at /, English at /en/… with English words in the paths: src/i18n/routes.ts maps them,
  // src/middleware.ts serves an English address with the (Dutch-named) page file.
  i18n: { locales: ['nl', 'en'], defaultLocale: 'nl', routing: 'manual' },
});
