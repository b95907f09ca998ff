/**
 * The built client files (dist/client: hashed /_astro assets and public/), read into memory
 * once at start: a few small files, served without touching the disk or Astro.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml',
};

interface StaticFile {
  body: Buffer;
  type: string;
  cacheControl: string;
}

export type StaticFiles = Map<string, StaticFile>;

async function* filesBelow(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesBelow(full);
    else if (entry.isFile()) yield full;
  }
}

export async function loadStaticFiles(clientDir: string): Promise<StaticFiles> {
  const files: StaticFiles = new Map();
  for await (const file of filesBelow(clientDir)) {
    const urlPath = '/' + path.relative(clientDir, file).split(path.sep).join('/');
    files.set(urlPath, {
      body: await readFile(file),
      type: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      // Hashed build assets never change under their name; other files may, so revalidate.
      cacheControl: urlPath.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    });
  }
  return files;
}

/** Serves the file if there is one at this path; returns false to let the caller go on. */
export function serveStaticFile(files: StaticFiles, pathname: string, req: IncomingMessage, res: ServerResponse): boolean {
  const file = files.get(pathname);
  if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  res.writeHead(200, {
    'content-type': file.type,
    'content-length': file.body.length,
    'cache-control': file.cacheControl,
  });
  res.end(req.method === 'HEAD' ? undefined : file.body);
  return true;
}
