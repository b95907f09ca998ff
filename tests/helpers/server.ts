/**
 * Runs the built server (src/server/entry.ts) as a child process, the way `npm start` does
 * after its build step, on a free port. Output is kept for assertions and for failure reports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { PROJECT_ROOT, SERVER_NODE_FLAGS } from '../../src/server/build.ts';

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface ExitedProcess {
  code: number | null;
  output: string;
}

const ENTRY = path.join(PROJECT_ROOT, 'src', 'server', 'entry.ts');

function spawnEntry(env: Record<string, string>, script = ENTRY, args: string[] = []): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, script, ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

export async function startServer(env: Record<string, string>, { timeoutMs = 60_000 } = {}): Promise<RunningServer> {
  const { child, output } = spawnEntry(env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output()}`)), timeoutMs);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output()}`));
    });
  });
  return {
    url,
    child,
    output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** Runs a script that is expected to exit by itself (e.g. on a configuration error). */
export async function runToExit(env: Record<string, string>, script = ENTRY, args: string[] = []): Promise<ExitedProcess> {
  const { child, output } = spawnEntry(env, script, args);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output: output() };
}
