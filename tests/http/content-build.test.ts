import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/server/build.ts';

/** A copy of the project (sharing node_modules) in which a content file can be broken. */
async function projectCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-build-'));
  for (const entry of ['src', 'content', 'public', 'astro.config.mjs', 'package.json', 'tsconfig.json']) {
    await cp(path.join(PROJECT_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

async function build(dir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(dir, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'], {
    cwd: dir,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

async function edit(file: string, from: RegExp, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  expect(text).toMatch(from);
  await writeFile(file, text.replace(from, to));
}

describe('a malformed content file fails the build', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('names campaign.yaml and the field', async () => {
    dir = await projectCopy();
    await edit(path.join(dir, 'content', 'campaign.yaml'), /website: "https:\/\/[^"]+"/, 'website: "ftp://example.org"');
    const result = await build(dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('content/campaign.yaml is not valid');
    expect(result.output).toContain('organiser.website: must be an https:// address');
  });

  it('names parties.yaml, the entry and the field', async () => {
    dir = await projectCopy();
    await edit(path.join(dir, 'content', 'parties.yaml'), /seats: 26\n {2}website: "https:\/\/d66\.nl"/, 'seats: "veel"\n  website: "https://d66.nl"');
    const result = await build(dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('content/parties.yaml');
    expect(result.output).toContain('content/parties.yaml is not valid');
    expect(result.output).toMatch(/ {2}- 0\.seats: /); // the first entry (D66), its seats
  });

  it('names the goal file and the field', async () => {
    dir = await projectCopy();
    const file = path.join(dir, 'content', 'goals', 'en', 'financiering.md');
    await edit(file, /^number: 4$/m, 'number: "four"');
    const result = await build(dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('content/goals/en/financiering.md');
    expect(result.output).toMatch(/number.*Expected type `"number"`/);
  });
});
