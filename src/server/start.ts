/**
 * `npm start` (and `npm run demo` with --demo): check the configuration, build if the sources
 * changed, then serve. A bad setting fails in a second, not after a build.
 */
import { ensureBuild } from './build.ts';
import { exitWithProblem, loadConfigOrExit, main } from './entry.ts';

if (process.argv.includes('--demo')) process.env.DEMO = '1';
const config = loadConfigOrExit();
try {
  await ensureBuild();
  await main(config);
} catch (error) {
  exitWithProblem(error);
}
