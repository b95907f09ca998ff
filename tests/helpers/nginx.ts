/**
 * Runs nginx (Debian's package) with the repository's deploy/nginx/pledgeboard.conf, its
 * upstream pointed at the given instances, its HTTP and HTTPS ports at free ones and its
 * certificate at a self-signed one made for the occasion, in a private folder.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { promisify } from 'node:util';
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

export interface NginxAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RunningNginx {
  /** The HTTPS address readers use. */
  url: string;
  /** The plain HTTP address, which only redirects. */
  httpUrl: string;
  /** A request over HTTPS that trusts the test certificate. */
  request(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<NginxAnswer>;
  stop(): Promise<void>;
}

export interface NginxPorts {
  http: number;
  https: number;
}

export async function freeNginxPorts(): Promise<NginxPorts> {
  return { http: await freePort(), https: await freePort() };
}

async function selfSignedCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  return { cert, key };
}

export async function startNginx(upstreamPorts: readonly number[], ports?: NginxPorts): Promise<RunningNginx> {
  if (!NGINX) throw new Error('nginx is not installed');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pb-nginx-'));
  const { http: port, https: tlsPort } = ports ?? (await freeNginxPorts());
  const certificate = await selfSignedCertificate(dir);
  const ca = await readFile(certificate.cert, 'utf8');
  const shipped = await readFile(path.join(PROJECT_ROOT, 'deploy', 'nginx', 'pledgeboard.conf'), 'utf8');
  let upstream = 0;
  const replace = (text: string, pattern: RegExp, by: string) => {
    if (!pattern.test(text)) throw new Error(`deploy/nginx/pledgeboard.conf no longer has ${pattern}`);
    return text.replace(pattern, by);
  };
  let site = shipped.replace(/server 127\.0\.0\.1:\d+/g, () => `server 127.0.0.1:${upstreamPorts[upstream++] ?? upstreamPorts[0]}`);
  site = replace(site, /listen 80;/, `listen 127.0.0.1:${port};`);
  site = replace(site, /listen 443 ssl/, `listen 127.0.0.1:${tlsPort} ssl`);
  site = replace(site, /ssl_certificate\s+\S+;/, `ssl_certificate ${certificate.cert};`);
  site = replace(site, /ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${certificate.key};`);
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
  const httpUrl = `http://127.0.0.1:${port}`;
  const url = `https://127.0.0.1:${tlsPort}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${output}`);
    if (
      await fetch(`${httpUrl}/nginx-health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const agent = new https.Agent({ ca, keepAlive: false });
  return {
    url,
    httpUrl,
    request: (requestPath, { method = 'GET', headers = {}, body } = {}) =>
      new Promise((resolve, reject) => {
        https
          .request(new URL(requestPath, url), { method, headers, agent }, (res) => {
            let text = '';
            res
              .setEncoding('utf8')
              .on('data', (chunk: string) => (text += chunk))
              .on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
          })
          .on('error', reject)
          .end(body);
      }),
    stop: async () => {
      child.kill('SIGQUIT');
      await new Promise((resolve) => child.once('exit', resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
