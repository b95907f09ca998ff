/**
 * Runs Astro's handler into memory instead of onto the socket: the stand-in for a
 * ServerResponse that the front uses to keep a public page for its cache.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Astro's request handler as its node adapter builds it ("middleware" mode). */
export type AstroHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void, locals?: object) => void | Promise<void>;

export interface Captured {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

class CaptureResponse extends EventEmitter {
  statusCode = 200;
  statusMessage = '';
  headersSent = false;
  writableEnded = false;
  readonly req: IncomingMessage;
  private headers: Record<string, string | string[]> = {};
  private chunks: Buffer[] = [];
  readonly done: Promise<Captured>;
  private resolve!: (value: Captured) => void;
  private reject!: (error: unknown) => void;

  constructor(req: IncomingMessage) {
    super();
    this.req = req;
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers[name.toLowerCase()] = typeof value === 'object' ? [...value] : String(value);
    return this;
  }
  getHeader(name: string) {
    return this.headers[name.toLowerCase()];
  }
  getHeaders() {
    return { ...this.headers };
  }
  hasHeader(name: string) {
    return name.toLowerCase() in this.headers;
  }
  removeHeader(name: string) {
    delete this.headers[name.toLowerCase()];
  }
  writeHead(status: number, headers?: OutgoingHttpHeaders | string, maybeHeaders?: OutgoingHttpHeaders): this {
    this.statusCode = status;
    const given = typeof headers === 'object' ? headers : maybeHeaders;
    for (const [name, value] of Object.entries(given ?? {})) {
      if (value !== undefined) this.setHeader(name, value);
    }
    this.headersSent = true;
    return this;
  }
  write(chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: () => void): boolean {
    this.headersSent = true;
    // A view of the bytes, not a copy: the adapter hands over each chunk once (the 1,000-party
    // board is 2.2 MB, and every copy of it is on the path of the reader who missed).
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    const cb = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    (cb as (() => void) | undefined)?.();
    return true;
  }
  end(chunk?: string | Uint8Array | (() => void)): this {
    if (chunk && typeof chunk !== 'function') this.write(chunk);
    if (this.writableEnded) return this;
    this.writableEnded = true;
    this.headersSent = true;
    this.emit('finish');
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.resolve({ status: this.statusCode, headers: this.headers, body });
    return this;
  }
  destroy(error?: Error): this {
    this.emit('close');
    this.reject(error ?? new Error('response destroyed while rendering'));
    return this;
  }
}

/** Renders a request with Astro's handler and returns the response as bytes. */
export async function captureResponse(handler: AstroHandler, req: IncomingMessage, locals: object): Promise<Captured> {
  const res = new CaptureResponse(req);
  await handler(req, res as never, undefined, locals);
  return res.done;
}
