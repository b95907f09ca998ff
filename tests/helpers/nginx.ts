/**
 * Runs nginx (Debian's package) with the repository's deploy/nginx/pledgeboard.conf, its
 * upstream pointed at the given instances and its port at a free one, in a private folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/server/build.ts';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? null;

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningNginx {
  url: string;
  stop(): Promise<void>;
}

export async function startNginx(upstreamPorts: readonly number[]): Promise<RunningNginx> {
  if (!NGINX) throw new Error('nginx is not installed');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-nginx-'));
  const port = await freePort();
  const shipped = await readFile(path.join(PROJECT_ROOT, 'deploy', 'nginx', 'pledgeboard.conf'), 'utf8');
  let upstream = 0;
  const site = shipped
    .replace(/server 127\.0\.0\.1:\d+/g, () => `server 127.0.0.1:${upstreamPorts[upstream++] ?? upstreamPorts[0]}`)
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`);
  const main = `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`;
  await writeFile(path.join(dir, 'nginx.conf'), main);
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${output}`);
    if (await fetch(`${url}/nginx-health`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
