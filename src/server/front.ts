/**
 * The node:http front: owns the port, answers health checks and static files itself and hands
 * every other request to Astro's handler. (Election-night caching will live here too.)
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AppContext } from '../app-context.ts';
import { applySecurityHeaders } from './security-headers.ts';
import { serveStaticFile, type StaticFiles } from './static-files.ts';

export type AstroHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
  locals?: object,
) => void | Promise<void>;

export interface FrontOptions {
  app: AppContext;
  astroHandler: AstroHandler;
  staticFiles: StaticFiles;
  /** How long /readyz waits for the database before calling it unavailable. */
  readyTimeoutMs?: number;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createFrontServer({ app, astroHandler, staticFiles, readyTimeoutMs = 2000 }: FrontOptions): http.Server {
  return http.createServer(async (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://front').pathname;
    applySecurityHeaders(res, pathname);

    if (pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (pathname === '/readyz') {
      try {
        await withTimeout(app.database.ping(), readyTimeoutMs);
        return sendJson(res, 200, { status: 'ready' });
      } catch {
        return sendJson(res, 503, { status: 'unavailable', reason: 'database does not answer' });
      }
    }
    if (serveStaticFile(staticFiles, pathname, req, res)) return;

    await astroHandler(req, res, undefined, { app });
  });
}
