import { ensureBuild } from '../../src/server/build.ts';

/** The HTTP tests run the built server: build once, and only if the sources changed. */
export default async function setup(): Promise<void> {
  await ensureBuild();
}
